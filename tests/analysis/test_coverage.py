"""The coverage matrix: ordered pairs, the road side, the headline, and Dask giving the same
answers as the in-process map (on a LocalCluster of threads, ~3 s)."""

from __future__ import annotations

import builtins
import importlib.util
import os
import socket
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_circle import networks

from hbeu_transit.analysis.circle import Groups, circle_measures, parse_window
from hbeu_transit.analysis.coverage import DriveTime, coverage, with_road
from hbeu_transit.errors import InputError
from hbeu_transit.timetable import timetable_from_connections

H = 3600


def need(module: str) -> None:
    """Skip without an optional extra, except in CI, where it must be installed."""
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed (pip install '.[test]')")
        pytest.skip(f"{module} not installed")


def three_cities():
    """A -> B every 30 min taking 40; B -> C hourly taking 90; nothing back to A."""
    conns = []
    for k, t in enumerate(range(6 * H, 22 * H, 1800)):
        conns.append(("A1", "B1", t, t + 2400, f"ab{k}"))
    for k, t in enumerate(range(6 * H, 22 * H, 3600)):
        conns.append(("B1", "C1", t + 600, t + 600 + 5400, f"bc{k}"))
        conns.append(("C1", "B1", t, t + 5400, f"cb{k}"))
    return timetable_from_connections(conns, stop_area={"A1": "A", "B1": "B", "C1": "C"})


def areas(tt) -> Groups:
    labels = ["A", "B", "C"]
    return Groups(labels, np.array([labels.index(tt.area_names[a]) for a in tt.stop_area], dtype=np.int64))


def test_pairs_are_ordered_and_skip_the_origin_itself():
    tt = three_cities()
    g = areas(tt)
    cov = coverage(tt, g, g, window=parse_window("06:00-20:00"))
    pairs = list(zip(cov.columns["origin"], cov.columns["destination"]))
    assert sorted(pairs) == sorted((o, d) for o in "ABC" for d in "ABC" if o != d)
    # each row equals the circle from its origin
    for k, (o, d) in enumerate(pairs):
        m = circle_measures(tt, g.stops(g.labels.index(o)), g, window=parse_window("06:00-20:00"))
        want = m.records()[g.labels.index(d)]
        for c in ("fastest_min", "median_min", "share_within", "direct_departures", "in_circle"):
            got = cov.columns[c][k]
            assert (np.isnan(got) and want[c] is None) if isinstance(got, float) and np.isnan(got) else got == want[c]
    by = {p: k for k, p in enumerate(pairs)}
    assert cov.columns["fastest_min"][by[("A", "B")]] == 40
    assert np.isnan(cov.columns["fastest_min"][by[("B", "A")]])     # unreachable: missing, never 0
    assert cov.columns["in_circle"].tolist().count(True) == 1       # only A -> B within 60
    assert cov.headline().startswith("1 of 6 ordered pairs inside the one-hour")


def rail_and_coach():
    """The three cities' coverage as the rail side and, within 120 min, as the coach timetable."""
    tt = three_cities()
    g = areas(tt)
    w = parse_window("06:00-20:00")
    return (coverage(tt, g, g, window=w, parameters={"places": "areas", "modes": ["rail"]}),
            coverage(tt, g, g, within=120, window=w))


def pair_rows(cov) -> dict[tuple[str, str], int]:
    return {(o, d): k for k, (o, d) in enumerate(zip(cov.columns["origin"], cov.columns["destination"]))}


def test_road_side_from_coach_timetable_and_driving_table():
    rail, coach = rail_and_coach()
    drive = {("B", "A"): DriveTime(100, "EST"), ("A", "C"): DriveTime(150, "SOURCED")}
    cov = with_road(rail, coach, drive, 120)
    by = pair_rows(cov)
    c = cov.columns
    assert c["in_road_circle"][by[("B", "A")]]                      # by car, 100 min
    assert not c["in_road_circle"][by[("A", "C")]]                  # car 150, coach 40 + wait + 90
    assert c["in_road_circle"][by[("B", "C")]]                      # coach 90 min
    assert c["drive_confidence"][by[("A", "C")]] == "SOURCED" and c["drive_confidence"][by[("C", "A")]] is None
    assert c["road_fastest_min"][by[("B", "C")]] == 90
    head = cov.headline()
    assert head.startswith("1 of 6 ordered city pairs inside the one-hour rail circle; ")
    # coach: A->B 40, B->C 90, C->B 90; car: B->A 100 (A->C 150 too long)
    assert "4 of 6 inside the two-hour road circle (coach 3, car 1)" in head


def test_the_road_circle_includes_pairs_exactly_road_within_minutes_apart():
    rail, coach = rail_and_coach()
    drive = {("B", "A"): DriveTime(100, "EST")}
    at90 = with_road(rail, coach, drive, 90)        # the coaches B <-> C take exactly 90 min
    by = pair_rows(at90)
    c = at90.columns
    assert c["road_fastest_min"][by[("B", "C")]] == 90 and c["road_fastest_min"][by[("C", "B")]] == 90
    assert c["in_road_circle"][by[("B", "C")]] and c["in_road_circle"][by[("C", "B")]]
    assert not c["in_road_circle"][by[("B", "A")]]                  # car 100 > 90
    assert "(coach 3, car 0)" in at90.headline()                    # A->B 40, B->C 90, C->B 90
    at100 = with_road(rail, coach, drive, 100)                      # the car B -> A: exactly 100
    assert at100.columns["in_road_circle"][by[("B", "A")]]
    assert "4 of 6 inside the 100-minute road circle (coach 3, car 1)" in at100.headline()


def test_a_coach_timetable_without_a_driving_table_has_no_car_in_any_pair():
    """No driving table skips the look-up per pair: the same columns (values and dtypes) as a
    table that names none of the pairs."""
    rail, coach = rail_and_coach()
    alone, other = with_road(rail, coach, None, 120), with_road(rail, coach, {("X", "Y"): DriveTime(5, "EST")}, 120)
    assert list(alone.columns) == list(other.columns)
    for c, v in other.columns.items():
        assert alone.columns[c].dtype == v.dtype and np.array_equal(alone.columns[c], v, equal_nan=v.dtype != object), c
    assert np.isnan(alone.columns["drive_min"]).all() and list(alone.columns["drive_confidence"]) == [None] * len(rail)
    assert alone.parameters["road"] == "coach timetable" and other.parameters["road"] == "coach timetable+driving table"


def test_no_road_at_all_says_so():
    tt = three_cities()
    g = areas(tt)
    cov = with_road(coverage(tt, g, g, window=parse_window("06:00-20:00")), None, {}, 120)
    assert "in_road_circle" not in cov.columns
    assert "no road table" in cov.headline()


def test_dask_local_cluster_gives_the_same_answers(caltrain_zip, tmp_path):
    need("dask.distributed")
    from hbeu_transit.analysis.distributed import DaskMap
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([caltrain_zip], "2018-07-11", cache_dir=tmp_path)
    labels = sorted(set(tt.stop_names))[:8]
    g = Groups(labels, np.array([labels.index(n) if n in labels else -1 for n in tt.stop_names], dtype=np.int64))
    w = parse_window("06:00-10:00")
    serial = coverage(tt, g, g, window=w)
    seen = []
    blocker = socket.socket()                       # Dask's default HTTP port taken: no warning about it
    try:
        blocker.bind(("", 8787))
        blocker.listen()
    except OSError:
        pass                                        # taken already
    with warnings.catch_warnings(record=True) as caught, DaskMap(workers=2, processes=False) as run:
        dist = coverage(tt, g, g, window=w, run=run, progress=lambda done, total: seen.append((done, total)))
        run.batch = 3                               # origins 0-2, 3-5, 6-7: three tasks, the last short
        batched = coverage(tt, g, g, window=w, run=run)
        assert len(run.task_cpu) == 3
        # the second call reused what the first scattered: the timetable went to the workers once
        assert sum(o is tt for o, _ in run._scattered.values()) == 1
    blocker.close()
    assert not [w for w in caught if "already in use" in str(w.message)], [str(w.message) for w in caught]
    assert len(serial) == 8 * 7 and seen[-1] == (8, 8) and len(seen) == 8   # automatic: one origin a task
    for got in (dist, batched):
        for c, v in serial.columns.items():
            a, b = np.asarray(v), np.asarray(got.columns[c])
            if a.dtype.kind == "f":
                assert np.array_equal(a, b, equal_nan=True), c
            else:
                assert a.tolist() == b.tolist(), c
    assert np.isfinite(serial.columns["fastest_min"]).sum() >= 20   # a floor: the equalities above compare real answers


def test_batches_cover_every_origin_once_in_order():
    from hbeu_transit.analysis.distributed import batches

    assert [list(b) for b in batches(7, 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [list(b) for b in batches(2, 5)] == [[0, 1]] and batches(0, 4) == []


def test_without_dask_the_error_says_how_to_install(monkeypatch):
    from hbeu_transit.analysis import distributed

    real = builtins.__import__

    def no_dask(name, *a, **kw):
        if name.startswith("dask"):
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(InputError, match=r"pip install 'hbeu-transit\[dask\]'"):
        distributed.DaskMap(workers=1)


def test_more_local_workers_than_cpus_are_refused_before_any_start(monkeypatch):
    """--workers 1000 on a 2-CPU machine would start a thousand processes: refused in one line
    naming --workers, before Dask starts anything; as many workers as CPUs are taken."""
    from hbeu_transit.analysis import distributed

    started = []

    class Cluster:
        def __init__(self, n_workers, **kw):
            started.append(n_workers)

    class Fake:
        LocalCluster = Cluster

        @staticmethod
        def Client(*a, **kw):
            return None

    monkeypatch.setattr(distributed, "_distributed", lambda: Fake)
    monkeypatch.setattr(distributed, "usable_cpus", lambda: 2)
    with pytest.raises(InputError, match=r"workers 3 is more than the 2 CPUs.*at most 2") as e:
        distributed.DaskMap(workers=3)
    assert e.value.params == ("workers", "scheduler")
    assert started == []
    distributed.DaskMap(workers=2)
    distributed.DaskMap(workers=8, processes=False)     # threads in this process: no such cost
    assert started == [2, 8]


# --------------------------------------------------------------------------- by destination

def per_origin(fn, items, shared, progress=None):
    """A runner that is not ``serial_map``: ``coverage`` then runs one profile per origin."""
    return [fn(i, **shared) for i in items]


def same_columns(got, want) -> None:
    assert list(got.columns) == list(want.columns)
    for c, v in want.columns.items():
        a, b = np.asarray(got.columns[c]), np.asarray(v)
        assert a.dtype == b.dtype, c
        assert np.array_equal(a, b, equal_nan=True) if a.dtype.kind == "f" else a.tolist() == b.tolist(), c


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=networks(), data=st.data())
def test_by_destination_equals_a_profile_per_origin_on_both_backends_and_the_brute_force(tt, data):
    """In process, a small feed's matrix comes from one all-to-one profile per destination
    (``coverage.by_destination``); the same measures as one profile per origin, on the
    interpreted and the compiled router, and as the brute force (one drawn pair)."""
    from test_circle import brute

    from hbeu_transit import router
    from hbeu_transit.analysis.circle import station_groups
    from hbeu_transit.analysis.coverage import by_destination_pays

    g = station_groups(tt)
    start = data.draw(st.integers(0, 200)) * 60
    w = parse_window((start, start + data.draw(st.integers(1, 90)) * 60), step=data.draw(st.sampled_from([1, 3])))
    within = data.draw(st.sampled_from([5, 20, 60]))
    try:
        router.set_backend("python")
        assert by_destination_pays(tt, g, g, None)
        got = coverage(tt, g, g, within=within, window=w)
        same_columns(got, coverage(tt, g, g, within=within, window=w, run=per_origin))
        if importlib.util.find_spec("numba") is not None and data.draw(st.booleans(), label="numba"):
            router.set_backend("numba")
            assert not by_destination_pays(tt, g, g, None)
            same_columns(got, coverage(tt, g, g, within=within, window=w))
    finally:
        router.set_backend(None)
    k = data.draw(st.integers(0, len(got) - 1), label="pair") if len(got) else None
    if k is not None:
        o, d = (g.labels.index(got.columns[c][k]) for c in ("origin", "destination"))
        want = brute(tt, g.stops(o).tolist(), g.stops(d).tolist(), w, within)
        for c, v in want.items():
            x = got.columns[c][k]
            assert (None if isinstance(x, float) and np.isnan(x) else x) == (pytest.approx(v) if isinstance(v, float) else v), c


def test_road_times_give_the_other_direction_unless_it_has_a_row_of_its_own(tmp_path):
    """Rows Alpha -> Beta 50 min and Beta -> Alpha 65 min (one-way streets) keep each its own;
    Alpha -> Gamma 30 min alone serves Gamma -> Alpha too. Areas by id or by name, from rows,
    a CSV or a mapping; negative minutes refused with the row named."""
    from types import SimpleNamespace

    from hbeu_transit.planners import drive_table

    net = SimpleNamespace(places=SimpleNamespace(areas={"a1": {"name": "Alpha"}, "b1": {"name": "Beta"},
                                                        "g1": {"name": "Gamma"}}))
    rows = [{"from_area": "a1", "to_area": "b1", "minutes": "50"}, {"from_area": "Beta", "to_area": "Alpha",
                                                                     "minutes": "65"},
            {"from_area": "Alpha", "to_area": "g1", "minutes": "30"}]
    csv_path = tmp_path / "roads.csv"
    csv_path.write_text("from_area,to_area,minutes\n" + "".join(f"{r['from_area']},{r['to_area']},{r['minutes']}\n"
                                                                  for r in rows), encoding="utf-8")
    mapping = {(r["from_area"], r["to_area"]): float(r["minutes"]) for r in rows}
    for given in (rows, str(csv_path), mapping):
        d = drive_table(net, given)
        assert {k: v.minutes for k, v in d.items()} == {
            ("Alpha", "Beta"): 50, ("Beta", "Alpha"): 65, ("Alpha", "Gamma"): 30, ("Gamma", "Alpha"): 30}
    with pytest.raises(InputError, match="row 3: impossible minutes '-5'"):
        drive_table(net, rows[:1] + [{"from_area": "Beta", "to_area": "Gamma", "minutes": "-5"}])


def test_a_road_times_csv_saved_by_a_spreadsheet_or_not_in_utf8(tmp_path):
    """Found by helper breaker3. A CSV saved by Excel ("CSV UTF-8") starts with a byte-order mark
    and ends lines with CRLF: the header's first name read as '\\ufefffrom_area', so every row
    was refused as 'row 2: needs from_area, to_area and minutes'. A file in another encoding
    (Latin-1 'Zürich') ended in a UnicodeDecodeError traceback; now one error naming the line."""
    from types import SimpleNamespace

    from hbeu_transit.planners import drive_table

    net = SimpleNamespace(places=SimpleNamespace(areas={"a1": {"name": "Zürich"}, "b1": {"name": "Bern"}}))
    excel = tmp_path / "excel.csv"
    excel.write_bytes("\ufefffrom_area,to_area,minutes\r\nZürich,Bern,75\r\n".encode())
    assert {k: v.minutes for k, v in drive_table(net, str(excel)).items()} == {
        ("Zürich", "Bern"): 75, ("Bern", "Zürich"): 75}
    latin = tmp_path / "latin.csv"
    latin.write_bytes("from_area,to_area,minutes\nBern,Bern,5\nZürich,Bern,75\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"^road_times '[^']*latin\.csv' line 3: is not UTF-8 text"):
        drive_table(net, str(latin))


@pytest.mark.parametrize("text, error", [
    # a decimal comma (45,5 min) read as 45 minutes, the cell after it ignored
    ("from_area,to_area,minutes\nAlpha,Gamma,45,5\n", "line 2: cannot be read as CSV: 4 cells where the header has 3"),
    ("from_area,to_area,minutes\nAlpha,Gamma,30\nAlpha,Beta\n",      # a short row: no minutes
     "line 3: needs from_area, to_area and minutes (a number)"),
    ('from_area,to_area,minutes\nAlpha,Gamma,30\n"Alpha,Beta,20\n',   # was 'row 3: needs from_area...'
     "line 3: cannot be read as CSV: a quoted value opens here and never closes"),
    ("from_area,to_area,minutes\n\nAlpha,Gamma,30\nAlpha,Beta,-5\n",  # a blank line: was 'row 3'
     "line 4: impossible minutes '-5'"),
    ('from_area,to_area,minutes,note\nAlpha,Gamma,30,"by the\nold road"\nAlpha,Gama,20,\n',   # a two-line note
     "line 4: unknown area 'Gama'"),
], ids=["extra_cell", "short_row", "open_quote", "blank_line", "quoted_newline"])
def test_a_malformed_road_times_csv_names_its_file_and_line(tmp_path, text, error):
    """Found by helper mends16b. The road-times CSV was read by the csv module on its own: a row
    with a cell too many was taken (a decimal comma, 45,5, read as 45 minutes), an unclosed quote
    was 'needs from_area, to_area and minutes', and a row was counted as the rows before it, not
    the file's lines (a blank line or a quoted newline before it: the wrong line named), without
    the file. Now read as the feeds and --areas are (feed.load): one error naming the file and line."""
    from types import SimpleNamespace

    from hbeu_transit.planners import drive_table

    net = SimpleNamespace(places=SimpleNamespace(areas={"a1": {"name": "Alpha"}, "b1": {"name": "Beta"},
                                                        "g1": {"name": "Gamma"}}))
    path = tmp_path / "roads.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        drive_table(net, str(path))
    assert str(e.value).startswith(f"road_times {str(path)!r} {error}"), str(e.value)
    assert e.value.params == ("road_times",)


def test_road_times_of_an_empty_str_names_it():
    """Found by helper review16. road_times='' was read as Path(''), the working folder: "cannot
    read road_times '.': Is a directory", a value the caller never gave. Now the InputError of
    any value that is no path (values.as_path), naming ''."""
    from types import SimpleNamespace

    from hbeu_transit.planners import drive_table

    net = SimpleNamespace(places=SimpleNamespace(areas={"a1": {"name": "Alpha"}}))
    with pytest.raises(InputError) as e:
        drive_table(net, "")
    assert str(e.value) == "road_times must be a CSV file's path (a str or Path), not ''", str(e.value)
    assert e.value.params == ("road_times",)


def test_a_road_times_row_naming_no_area_is_refused(tmp_path):
    """Found by helper breaker3. A road table row whose area matches no area of the feeds (a typo:
    'Gama' for Gamma) was kept under its own name and never matched, so the pair silently had no
    driving time (outside the road circle); now one error naming the row."""
    from types import SimpleNamespace

    from hbeu_transit.planners import drive_table

    net = SimpleNamespace(places=SimpleNamespace(areas={"a1": {"name": "Alpha"}, "g1": {"name": "Gamma"}}))
    rows = [{"from_area": "a1", "to_area": "Gamma", "minutes": "30"},
            {"from_area": "Alpha", "to_area": "Gama", "minutes": "45"}]
    with pytest.raises(InputError, match=r"^road_times row 3: unknown area 'Gama'"):
        drive_table(net, rows)
    with pytest.raises(InputError, match=r"^road_times: unknown area 'Gama'"):
        drive_table(net, {("Alpha", "Gama"): 45})
    spaced = tmp_path / "spaced.csv"     # written by hand, a blank after each comma
    spaced.write_text("from_area, to_area, minutes\nAlpha, Gamma, 45\n", encoding="utf-8")
    assert {k: v.minutes for k, v in drive_table(net, str(spaced)).items()} == {("Alpha", "Gamma"): 45,
                                                                             ("Gamma", "Alpha"): 45}
