"""Values a notebook passes to ``hbeu_transit.Network``: numbers as numpy gives them (a column of
seconds read from a DataFrame is numpy int64) are the numbers they are, and a number that is no
time, span or distance (inf, NaN, text) is an InputError naming the parameter, not a traceback
from deep inside (OverflowError, TypeError)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import hbeu_transit as hb

DAY = "2026-12-09"


@pytest.fixture(scope="module")
def net(tmp_path_factory) -> hb.Network:
    return hb.Network(cache_dir=tmp_path_factory.mktemp("values-cache"))


def _times(plan) -> list[tuple[str, str]]:
    return [(j.departure.isoformat(), j.arrival.isoformat()) for j in plan.journeys]


def test_numpy_seconds_are_seconds(net):
    """27000 s after midnight is 07:30 (7.5 h); np.int64(27000) was refused as "impossible time
    '27000' for depart" (as a circle's step of np.int64(2) minutes and a window of numpy seconds)."""
    want = _times(net.plan("Baotou", "Hohhot", date=DAY, depart="07:30"))
    assert want
    assert _times(net.plan("Baotou", "Hohhot", date=DAY, depart=np.int64(27000))) == want
    assert _times(net.plan("Baotou", "Hohhot", date=DAY, depart=np.int32(27000))) == want
    by = _times(net.plan("Baotou", "Hohhot", date=DAY, arrive_by="09:00"))
    assert _times(net.plan("Baotou", "Hohhot", date=DAY, arrive_by=np.int64(9 * 3600))) == by
    board = net.departures("Hohhot East", date=DAY, start="07:00", end="07:40").to_dict()
    assert net.departures("Hohhot East", date=DAY, start=np.int64(7 * 3600), end=np.int64(7 * 3600 + 2400)).to_dict() == board
    circle = net.circle("Hohhot", date=DAY, window="07:00-09:00", step=2)
    assert net.circle("Hohhot", date=DAY, window=(np.int64(7 * 3600), np.int64(9 * 3600)),
                      step=np.int64(2)).equals(circle)


@pytest.mark.parametrize("call, param", [
    # int(inf * 60): OverflowError
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, depart="07:00", window=float("inf")), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, depart="07:00", window=np.float64("inf")), "window"),
    # int(nan) / int(inf) of a window's bound: ValueError / OverflowError
    (lambda n: n.circle("Hohhot", date=DAY, window=(float("nan"), 9 * 3600)), "window"),
    (lambda n: n.circle("Hohhot", date=DAY, window=(7 * 3600, float("inf"))), "window"),
    (lambda n: n.coverage(date=DAY, window=(7 * 3600, float("inf"))), "window"),
    # "'<=' not supported between instances of 'int' and 'str'": TypeError
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, transfer_minutes="5"), "transfer_minutes"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, walk_meters="300"), "walk_meters"),
    (lambda n: n.circle("Hohhot", date=DAY, within="60"), "within"),
])
def test_a_number_that_is_no_value_names_its_parameter(net, call, param):
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert param in e.value.params, (e.value.params, str(e.value))


@pytest.mark.parametrize("call, param", [
    # "impossible date '2026-12-32': expected YYYY-MM-DD" named no parameter: which of start
    # and end (or a holiday) was it? (hbeu freq --from/--to said the same, without a flag)
    (lambda n: n.plan("Baotou", "Hohhot", date="2026-12-32"), "date"),
    (lambda n: n.commute("Baotou", "Hohhot", date="2026-02-30"), "date"),
    (lambda n: n.frequency("route", start="2026-12-01", end="2026-12-32"), "end"),
    (lambda n: n.frequency("route", start="2026-13-01", end="2026-12-31"), "start"),
    (lambda n: n.frequency("route", date=DAY, holidays="2026-12-32"), "holidays"),
    (lambda n: n.timetable("20261232"), "date"),
    # "unknown clock 'x': choose calendar or service"
    (lambda n: n.frequency("route", date=DAY, clock="wall"), "clock"),
])
def test_a_bad_date_or_clock_names_its_parameter(net, call, param):
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert e.value.params == (param,), (e.value.params, str(e.value))
    flag = "--" + param
    assert flag in e.value.render({param: flag})


def test_feeds_from_a_glob_are_those_feeds(tmp_path):
    """``Path.glob`` gives a generator: Network consumed it checking that each path exists, kept
    no path, and every query then failed with "(no feed): no feed given"."""
    from pathlib import Path

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "sample.zip").write_bytes((Path(__file__).parent / "data" / "sample.zip").read_bytes())
    net = hb.Network(folder.glob("*.zip"), cache_dir=tmp_path / "cache")
    assert net.paths == [folder / "sample.zip"]
    # the sample feed's stations (stops.txt of Google's example feed: 9 stops, no parents)
    assert len(net.stations()) == 9 and "FUR_CREEK_RES" in set(net.stations()["stop_id"])


def test_no_feeds_is_an_error_not_the_bundled_region(tmp_path):
    """``Network([])`` (a glob that matched nothing) silently planned on the bundled Hohhot
    region; only ``feeds=None`` (left out) means the bundled feeds."""
    with pytest.raises(hb.InputError) as e:
        hb.Network([], cache_dir=tmp_path / "cache")
    assert e.value.params == ("feeds",)
    with pytest.raises(hb.InputError):
        hb.Network((tmp_path / "nothing-here").glob("*.zip"), cache_dir=tmp_path / "cache")
    assert [p.name for p in hb.Network(None, cache_dir=tmp_path / "cache").paths] == ["hbeu-bus.zip", "hbeu-rail.zip"]


@pytest.mark.parametrize("param, value, bad", [
    # 'int' object is not iterable / expected str, bytes or os.PathLike object, not int (or list, NoneType)
    ("feeds", 5, 5), ("feeds", np.int64(5), np.int64(5)), ("feeds", [5], 5), ("feeds", ["x.zip", 3], 3),
    ("feeds", [None], None), ("feeds", b"x.zip", b"x.zip"), ("feeds", [b"x.zip"], b"x.zip"),
    ("areas", 5, 5), ("areas", ["areas.csv"], ["areas.csv"]), ("areas", True, True),
    ("cache_dir", 5, 5), ("cache_dir", ["cache"], ["cache"]), ("cache_dir", 1.5, 1.5),
    # '' is Path('.'): the working folder read as a feed, taken for the cache
    ("feeds", "", ""), ("feeds", ["x.zip", ""], ""), ("areas", "", ""), ("cache_dir", "", ""),
], ids=lambda v: v if isinstance(v, str) and v else repr(v))
def test_a_path_that_is_no_path_names_its_parameter(tmp_path, param, value, bad):
    """Network(feeds=5), feeds=[5], areas=5 or cache_dir=[...] raised Python's TypeError ('int'
    object is not iterable, expected str, bytes or os.PathLike object, not int) from Path();
    bytes iterated into numbers. Now an InputError naming the parameter and the bad value.
    An empty str too (found by helper review16): Path('') is the working folder, which feeds=''
    read as a feed ('review16/agency.txt: required file is missing'), areas='' named as '.' and
    cache_dir='' silently took for the cache."""
    given = {"cache_dir": tmp_path / "cache", param: value}
    with pytest.raises(hb.InputError) as e:
        hb.Network(**given)
    assert e.value.params == (param,), str(e.value)
    assert f"not {bad!r}" in str(e.value), str(e.value)


def test_paths_of_any_pathlike_kind_are_paths(tmp_path):
    """str, Path and any os.PathLike are paths (feeds, areas and cache_dir alike)."""
    from pathlib import Path

    class Where:
        def __init__(self, p):
            self.p = p

        def __fspath__(self):
            return str(self.p)

    sample = Path(__file__).parent / "data" / "sample.zip"
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\nFUR_CREEK_RES,Creek\n", encoding="utf-8")
    net = hb.Network([Where(sample)], areas=Where(areas), cache_dir=Where(tmp_path / "cache"))
    assert (net.paths, net.area_csv, net.cache_dir) == ([sample], areas, tmp_path / "cache")
    assert hb.Network(str(sample), areas=str(areas), cache_dir=str(tmp_path / "cache")).paths == [sample]


def test_load_feeds_takes_one_path_or_any_iterable():
    """``hb.load_feeds("feed.zip")`` iterated the string's characters and failed with "t: no such
    file or folder"; a generator (``Path.glob``) raised TypeError from ``len``."""
    from pathlib import Path

    sample = Path(__file__).parent / "data" / "sample.zip"
    for given in (str(sample), sample, [sample], (p for p in [sample])):
        feed = hb.load_feeds(given)
        assert len(feed.get("stops")) == 9, given   # Google's example feed: 9 stops


@pytest.mark.parametrize("value, bad", [
    # 'int' object is not iterable / expected str, bytes or os.PathLike object, not int (or NoneType)
    (5, 5), (np.int64(5), np.int64(5)), (None, None), ([5], 5), (["x.zip", 3], 3), ([None], None),
    (b"x.zip", b"x.zip"), ([b"x.zip"], b"x.zip"), ("", ""), ([""], ""),
], ids=repr)
def test_load_feeds_of_no_path_names_its_parameter(value, bad):
    """``hb.load_feeds(5)``, ``load_feeds([5])`` and ``load_feeds(b"x.zip")`` raised Python's
    TypeError ('int' object is not iterable, expected str, bytes or os.PathLike object, not int);
    now the InputError ``Network(feeds=...)`` gives, naming the parameter (``paths``) and the value.
    ``load_feeds("")`` read the working folder as a feed (Path('') is '.'; found by helper review16)."""
    with pytest.raises(hb.InputError) as e:
        hb.load_feeds(value)
    assert e.value.params == ("paths",), str(e.value)
    assert str(e.value).startswith("paths must be GTFS zips or folders"), str(e.value)
    assert f"not {bad!r}" in str(e.value), str(e.value)


@pytest.fixture(scope="module")
def caltrain(tmp_path_factory) -> hb.Network:
    from pathlib import Path

    return hb.Network([Path(__file__).parent / "data" / "caltrain.zip"], cache_dir=tmp_path_factory.mktemp("ct"))


def test_a_numeric_stop_id_as_pandas_reads_it_names_that_stop(caltrain):
    """pandas reads caltrain's stop_ids (70011, San Francisco northbound; 70012 southbound; 70261,
    Palo Alto southbound...) as int64: passing one raised AttributeError "'numpy.int64' object has
    no attribute 'strip'" (an int likewise)."""
    kw = dict(date="2018-06-05", depart="08:00")
    want = _times(caltrain.plan("70012", "70262", **kw))
    assert want
    assert _times(caltrain.plan(70012, 70262, **kw)) == want
    assert _times(caltrain.plan(np.int64(70012), np.int64(70262), **kw)) == want
    assert caltrain.departures(np.int64(70012), date="2018-06-05", start="08:00", end="09:00").to_dict() == \
        caltrain.departures("70012", date="2018-06-05", start="08:00", end="09:00").to_dict()
    assert caltrain.circle(70012, date="2018-06-05", window="08:00-09:00").equals(
        caltrain.circle("70012", date="2018-06-05", window="08:00-09:00"))


@pytest.mark.parametrize("call, param", [
    (lambda n: n.plan(None, "70262", date="2018-06-05"), "origin"),
    (lambda n: n.plan("70012", 70262.0, date="2018-06-05"), "destination"),
    (lambda n: n.commute("70012", None, date="2018-06-05"), "work"),
    (lambda n: n.departures(None, date="2018-06-05"), "station"),
    (lambda n: n.circle(None, date="2018-06-05"), "origin"),
])
def test_a_place_that_is_no_name_names_its_parameter(caltrain, call, param):
    """None (or a float) raised AttributeError "'NoneType' object has no attribute 'strip'"."""
    with pytest.raises(hb.InputError) as e:
        call(caltrain)
    assert param in e.value.params, (e.value.params, str(e.value))


def test_numeric_stop_ids_in_a_list_of_places(caltrain):
    """coverage's and frequency's origins/destinations lists: 'int' object has no attribute 'strip'."""
    kw = dict(date="2018-06-05", window="08:00-09:00", by="station")
    assert caltrain.coverage([70012], [70262], **kw).equals(caltrain.coverage(["70012"], ["70262"], **kw))
    # recorded as the stop_ids they are (text), so the run can be repeated from its record
    assert caltrain.coverage_result([70012], [70262], **kw).metadata["filters"] == {"origin": ["70012"],
                                                                                  "destination": ["70262"]}
    od = caltrain.frequency("od", date="2018-06-05", origins=[np.int64(70012)], destinations=[70262])
    assert od.equals(caltrain.frequency("od", date="2018-06-05", origins="70012", destinations="70262"))


def test_coverage_places_from_a_generator_are_recorded(net):
    """The places were read by the run, then again (empty) for the export's record: the metadata
    of coverage_result(generator, generator) had no origin or destination filter."""
    listed = net.coverage_result(["Baotou", "Hohhot"], ["Ordos"], date=DAY)
    given = net.coverage_result((x for x in ["Baotou", "Hohhot"]), (x for x in ["Ordos"]), date=DAY)
    assert given.metadata["filters"] == listed.metadata["filters"] == {"origin": ["Baotou", "Hohhot"],
                                                                       "destination": ["Ordos"]}
    assert given.to_dict()["pairs"] == listed.to_dict()["pairs"]


def test_holidays_as_dates_as_the_signature_says(net):
    """frequency_table's ``holidays: str | Iterable[dt.date | str]``: a list of dates raised
    AttributeError "'datetime.date' object has no attribute 'strip'". 2026-12-09 is a Wednesday:
    only as a holiday is it a date of the holiday-only count."""
    import datetime as dt

    as_text = net.frequency("route", date=DAY, day_types="holiday", holidays="2026-12-09")
    as_date = net.frequency("route", date=DAY, day_types="holiday", holidays=[dt.date(2026, 12, 9)])
    assert as_date.equals(as_text) and as_date["trips_per_day"].sum() > 0
    with pytest.raises(hb.InputError, match="no holiday dates"):
        net.frequency("route", date=DAY, day_types="holiday", holidays="none")


def test_numpy_dates_and_durations(net):
    """A date from a datetime64[ns] column (np.datetime64 with a time) was an 'impossible date';
    window=np.timedelta64(2, 'h') an 'impossible duration'."""
    want = net.plan("Baotou", "Hohhot", date=DAY, depart="07:00", window="2h")
    got = net.plan("Baotou", "Hohhot", date=np.datetime64("2026-12-09T00:00:00.000000000"), depart="07:00",
                   window=np.timedelta64(2, "h"))
    assert got.to_dict() == want.to_dict()
    with pytest.raises(hb.InputError, match="window"):
        net.plan("Baotou", "Hohhot", date=DAY, depart="07:00", window=np.timedelta64("NaT"))
    # a time of day is no numpy duration's unit count: np.timedelta64(7, "h") is not 7 seconds
    with pytest.raises(hb.InputError, match="depart"):
        net.plan("Baotou", "Hohhot", date=DAY, depart=np.timedelta64(7, "h"))
    # nor is a circle window's bound: one clear error, where its own number check raised a TypeError
    with pytest.raises(hb.InputError, match="window"):
        net.circle("Baotou", date=DAY, window=(np.timedelta64(7, "h"), np.timedelta64(9, "h")))
    # nor a place: no stop_id '5' (values.split_names reads it so too)
    with pytest.raises(hb.InputError, match="origin"):
        net.plan(np.timedelta64(5, "m"), "Hohhot", date=DAY)


def test_stations_of_a_numeric_stop_id(caltrain):
    """stations(70012) raised AttributeError: 'int' object has no attribute 'strip'."""
    assert caltrain.stations(70012).equals(caltrain.stations("70012"))
    assert list(caltrain.stations(np.int64(70012))["name"]) == ["San Francisco Caltrain"]


def test_the_networks_modes_apply_to_its_frequency_tables(tmp_path):
    """Network(modes="bus"): "the router's defaults for every query (each query may override
    them)", as station_graph and plan follow them; frequency counted the trains too (the
    bundled feed's 28 routes, where its bus routes alone are 6)."""
    buses = hb.Network(cache_dir=tmp_path / "c", modes="bus")
    everything = hb.Network(cache_dir=tmp_path / "c")
    for by in ("route", "od", "hour"):
        assert buses.frequency(by, date=DAY).equals(everything.frequency(by, date=DAY, modes="bus")), by
    assert set(buses.frequency("route", date=DAY)["mode"]) == {"bus"}
    # a query's own modes still win
    assert buses.frequency("route", date=DAY, modes="rail").equals(everything.frequency("route", date=DAY, modes="rail"))


def test_stations_of_an_unknown_numeric_stop_id_say_so_as_plan_does(net):
    """stations(np.int64(99999)) raised AttributeError "'numpy.int64' object has no attribute
    'strip'" (from the no-match error), where plan(np.int64(99999), ...) says "unknown station
    '99999'": one rule reads a whole number as a stop_id for both."""
    with pytest.raises(hb.InputError) as planned:
        net.plan(np.int64(99999), "Hohhot", date=DAY)
    for query in (np.int64(99999), 99999):
        for call in (net.stations, net.find_stations):
            with pytest.raises(hb.InputError) as e:
                call(query)
            assert str(e.value) == str(planned.value)
            assert str(e.value).startswith("unknown station '99999'")
    with pytest.raises(hb.InputError, match="unknown station '0'"):   # no stop_id 0: not "no query" (falsy)
        net.stations(np.int64(0))


@pytest.mark.parametrize("query", [np.float64(5.0), float("nan"), True, b"Baotou", [], ("Baotou",), {"Baotou"},
                                   np.datetime64("2026-12-09"), np.timedelta64(5, "m")],
                         ids=lambda q: type(q).__name__)
def test_stations_of_a_value_that_is_no_place_name_their_query(net, query):
    """A value that is no stop_id or name (a float, a bool, bytes, a list...) raised AttributeError
    from strip() (an empty list listed every station): an InputError naming ``query``, as plan's
    names ``origin``."""
    for call in (net.stations, net.find_stations):
        with pytest.raises(hb.InputError) as e:
            call(query)
        assert e.value.params == ("query",), str(e.value)


@pytest.mark.parametrize("modes", [np.int64(2), float("nan"), True, b"rail", dt.date(2026, 12, 9), [2], {"rail": 1}],
                         ids=lambda m: type(m).__name__)
@pytest.mark.parametrize("call, param", [
    (lambda n, m: n.plan("Baotou", "Hohhot", date=DAY, depart="07:30", modes=m), "modes"),
    (lambda n, m: n.departures("Hohhot East", date=DAY, start="07:00", end="08:00", modes=m), "modes"),
    (lambda n, m: n.frequency("route", date=DAY, modes=m), "modes"),
    (lambda n, m: n.timetable(DAY, modes=m), "modes"),
    (lambda n, m: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", road_modes=m), "road_modes"),
], ids=["plan", "departures", "frequency", "timetable", "coverage-road"])
def test_modes_that_are_no_mode_names_name_their_parameter(net, call, param, modes):
    """modes=np.int64(2) (a route_type) raised TypeError "'numpy.int64' object is not iterable",
    b"rail" AttributeError "'int' object has no attribute 'strip'" (its bytes), [2] the same:
    an InputError naming the parameter (road_modes, not modes, for coverage's road side)."""
    with pytest.raises(hb.InputError) as e:
        call(net, modes)
    assert e.value.params == (param,), str(e.value)
    assert repr(modes) in str(e.value)


def test_modes_as_a_tuple_or_set_are_those_modes(net):
    want = net.frequency("route", date=DAY, modes="rail,bus")
    assert net.frequency("route", date=DAY, modes=("rail", "bus")).equals(want)
    assert net.plan("Baotou", "Hohhot", date=DAY, depart="07:30", modes={"rail"}).to_dict() == \
        net.plan("Baotou", "Hohhot", date=DAY, depart="07:30", modes="rail").to_dict()


@pytest.mark.parametrize("window", [np.int64(7 * 3600), float("nan"), True, dt.time(7), pd.Timestamp("2026-12-09 07:00"),
                                    np.timedelta64(2, "h"), {"07:00", "09:00"}, {"07:00": "09:00"}],
                         ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("call", [
    lambda n, w: n.circle("Hohhot", date=DAY, window=w),
    lambda n, w: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window=w),
    lambda n, w: n.frequency("route", date=DAY, window=w),
], ids=["circle", "coverage", "frequency"])
def test_a_window_that_is_no_span_names_window(net, call, window):
    """window=np.int64(25200) (one time, not a span) raised TypeError "'numpy.int64' object is not
    iterable" (a time, a Timestamp, a timedelta, NaN the same); a set of two times was read in
    whatever order the set iterates (an end before the start runs overnight): an InputError
    naming window."""
    with pytest.raises(hb.InputError) as e:
        call(net, window)
    assert e.value.params == ("window",), str(e.value)


def test_a_window_from_numpy_seconds_is_that_window(net):
    """(a numpy array of two seconds, as a DataFrame row gives them, stays a window)"""
    want = net.circle("Hohhot", date=DAY, window="07:00-08:00")
    assert net.circle("Hohhot", date=DAY, window=np.array([7 * 3600, 8 * 3600])).equals(want)


def test_one_place_or_date_where_a_list_is_taken(caltrain):
    """origins=np.int64(70012) (one stop_id, as plan takes it) raised TypeError "'numpy.int64'
    object is not iterable" in values.split_names, as holidays=dt.date(...) (one date) did; b"70012"
    was read as its bytes (places '55', '48'...). One value is a list of one; a value that is no
    place is an InputError naming the parameter."""
    kw = dict(date="2018-06-05", window="08:00-09:00", by="station")
    assert caltrain.coverage(np.int64(70012), 70262, **kw).equals(caltrain.coverage(["70012"], ["70262"], **kw))
    od = caltrain.frequency("od", date="2018-06-05", origins=np.int64(70012), destinations=70262)
    assert od.equals(caltrain.frequency("od", date="2018-06-05", origins="70012", destinations="70262"))
    hol = caltrain.frequency("route", date="2018-06-05", day_types="holiday", holidays=pd.Timestamp("2018-06-05"))
    assert hol.equals(caltrain.frequency("route", date="2018-06-05", day_types="holiday", holidays="2018-06-05"))
    for call, param in [(lambda v: caltrain.frequency("od", date="2018-06-05", origins=v), "origins"),
                        (lambda v: caltrain.frequency("od", date="2018-06-05", destinations=v), "destinations"),
                        (lambda v: caltrain.coverage(v, ["70262"], **kw), "origins")]:
        for value in (b"70012", np.float64(5.5), pd.Timestamp("2018-06-05"), True):
            with pytest.raises(hb.InputError) as e:
                call(value)
            assert e.value.params == (param,), (value, str(e.value))
    with pytest.raises(hb.InputError) as e:
        caltrain.frequency("route", date="2018-06-05", day_types=b"holiday")
    assert e.value.params == ("day_types",), str(e.value)


def test_numpy_router_options_on_a_cold_cache(caltrain):
    """transfer_minutes=np.int64(4) compiled the timetable, then failed writing it to the cache:
    TypeError "Object of type int64 is not JSON serializable"."""
    kw = dict(date="2018-06-05", depart="08:00")
    got = _times(caltrain.plan("70012", "70262", transfer_minutes=np.int64(4), walk_meters=np.int64(150), **kw))
    assert got == _times(caltrain.plan("70012", "70262", transfer_minutes=4, walk_meters=150, **kw))


@pytest.mark.parametrize("value", [pd.Timedelta("5min"), np.timedelta64(5, "m"), dt.time(0, 5), "5", "", [5], {5}, b"5"],
                         ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("param", ["transfer_minutes", "walk_meters"])
def test_router_options_that_are_no_numbers_name_their_parameter(caltrain, param, value):
    """A warm timetable hid the check (made only when one is compiled): after a plan with 5,
    transfer_minutes="5" was taken as 5 (float("5") made the cache key), and a Timedelta, a time,
    [5] or {5} raised TypeError from float() (ValueError for '' and b'5')."""
    kw = dict(date="2018-06-05", depart="08:00")
    caltrain.plan("70012", "70262", **{param: 5}, **kw)   # the cache is warm for 5
    for call in (lambda: caltrain.plan("70012", "70262", **{param: value}, **kw),
                 lambda: caltrain.circle("70012", date="2018-06-05", window="08:00-09:00", **{param: value}),
                 lambda: caltrain.timetable("2018-06-05", **{param: value}),
                 lambda: hb.Network(caltrain.paths, cache_dir=caltrain.cache_dir, **{param: value})):
        with pytest.raises(hb.InputError) as e:
            call()
        assert e.value.params == (param,), str(e.value)


@pytest.mark.parametrize("call, param", [
    (lambda n: n.frequency("route", date=pd.NaT), "date"),
    (lambda n: n.frequency("route", start=pd.NaT, end="2026-12-10"), "start"),
    (lambda n: n.frequency_table("route", start="2026-12-08", end=pd.NaT), "end"),
    (lambda n: n.plan("Baotou", "Hohhot", date=pd.NaT, depart="07:30"), "date"),
    (lambda n: n.summary(pd.NaT), "date"),
    (lambda n: n.timetable(np.datetime64("NaT")), "date"),
])
def test_a_missing_date_is_no_date(net, call, param):
    """pd.NaT (a DataFrame's missing date) is a datetime to isinstance: frequency raised TypeError
    "Cannot compare NaT with datetime.date object", plan and summary said "date NaT is outside the
    feeds' service dates": it is no date at all."""
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert e.value.params == (param,) and "impossible date 'NaT'" in str(e.value), str(e.value)


def test_numpy_flags_are_flags(net):
    """stations=np.bool_(True) (a flag from a DataFrame cell) raised ValueError "The truth value
    of an empty array is ambiguous" recording the filters (np.bool_ == [] is an array), and
    combine too."""
    import json

    kw = dict(date=DAY, origins="Hohhot", destinations="Baotou,Ordos")
    for flags in (dict(stations=True), dict(combine=True)):
        want = net.frequency("od", **kw, **flags)
        got = net.frequency("od", **kw, **{k: np.bool_(v) for k, v in flags.items()})
        assert got.equals(want)
        assert json.dumps(got.attrs["metadata"]["filters"]) == json.dumps(want.attrs["metadata"]["filters"])


@pytest.mark.parametrize("call, param", [
    (lambda n: n.frequency(["route"], date=DAY), "by"),       # TypeError: unhashable type: 'list'
    (lambda n: n.frequency({"route"}, date=DAY), "by"),
    (lambda n: n.frequency("route", date=DAY, clock=["service"]), "clock"),
    (lambda n: n.commute("Baotou", "Hohhot East", days=None, date=DAY), "days"),   # TypeError: '<' int and None
])
def test_a_choice_that_is_no_choice_names_its_parameter(net, call, param):
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert e.value.params == (param,), str(e.value)


@pytest.mark.parametrize("options", [{"modes": "rail"}, "rail", [], np.int64(1)], ids=lambda o: type(o).__name__)
def test_options_that_are_no_router_options_name_options(net, options):
    """options={"modes": "rail"} raised AttributeError "'dict' object has no attribute 'merged'"
    (an empty list or string was silently no options)."""
    for call in (lambda: net.plan("Baotou", "Hohhot East", date=DAY, depart="07:00", options=options),
                 lambda: net.commute("Baotou", "Hohhot East", days=1, date=DAY, options=options),
                 lambda: net.circle("Hohhot", date=DAY, window="07:00-08:00", options=options),
                 lambda: net.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", options=options)):
        with pytest.raises(hb.InputError) as e:
            call()
        assert e.value.params == ("options",), str(e.value)


def test_one_scenario_where_scenarios_are_taken(tmp_path):
    """Network(scenarios="all-planned") read each letter as a scenario ("a: no such scenario file"),
    as Network(feeds="x.zip") once did: one name, path or dict is a list of one."""
    one = hb.Network(scenarios="all-planned", cache_dir=tmp_path)
    assert one.scenarios == hb.Network(scenarios=["all-planned"], cache_dir=tmp_path).scenarios == ["all-planned"]


@pytest.mark.parametrize("value", [np.int64(1), b"all-planned", dt.date(2026, 12, 9), 1.5, True],
                         ids=lambda v: type(v).__name__)
def test_a_scenario_that_is_no_scenario_names_scenarios(net, value):
    """np.int64(1), bytes, a date... were read as a scenario dict: "<dict>: a scenario is a table with
    name and [[modification]] entries" (and Network(scenarios=np.int64(1)) raised TypeError 'not
    iterable')."""
    for call in (lambda: net.with_scenario(value), lambda: hb.Network(scenarios=value, cache_dir=net.cache_dir),
                 lambda: net.compare_coverage(value, origins=["Baotou"], destinations=["Hohhot"], date=DAY)):
        with pytest.raises(hb.InputError) as e:
            call()
        assert e.value.params == ("scenarios",) and repr(value) in str(e.value), str(e.value)


@pytest.mark.parametrize("call, param", [
    # list(np.int64(90)): TypeError 'not iterable' (a Timestamp, a date, NaN, a bool the same)
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", road_times=np.int64(90)), "road_times"),
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", road_times=pd.Timestamp(DAY)),
     "road_times"),
    # {"a": 1}: ValueError 'not enough values to unpack'; a minutes value that is no number: TypeError from float()
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", road_times={"Baotou": 90}),
     "road_times"),
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00",
                          road_times={("Baotou", "Hohhot"): [90]}), "road_times"),
    # workers=1.5: distributed's TypeError "'float' object cannot be interpreted as an integer";
    # a date: TypeError "'<' not supported between 'datetime.date' and 'int'"
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", workers=1.5), "workers"),
    (lambda n: n.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", workers=dt.date(2026, 1, 1)),
     "workers"),
])
def test_coverage_road_times_and_workers_that_are_no_such_thing(net, call, param):
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert e.value.params[0] == param, str(e.value)


@pytest.mark.parametrize("progress", [True, "bar", 1], ids=lambda p: type(p).__name__)
def test_a_progress_that_is_no_function_names_progress(net, progress):
    """progress=True (a flag, as tqdm-minded code writes it) raised TypeError "'bool' object is not
    callable" from deep inside the count (coverage's too, once its run began)."""
    for call in (lambda: net.frequency("route", date=DAY, progress=progress),
                 lambda: net.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", progress=progress)):
        with pytest.raises(hb.InputError) as e:
            call()
        assert e.value.params == ("progress",), str(e.value)


def test_a_scheduler_that_is_no_address_names_scheduler(net):
    """scheduler=8786 (a port, not an address) went to dask's Client as it was."""
    with pytest.raises(hb.InputError) as e:
        net.coverage(["Baotou"], ["Hohhot"], date=DAY, window="07:00-08:00", scheduler=8786)
    assert e.value.params == ("scheduler",), str(e.value)
