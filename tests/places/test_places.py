"""Station index: name matching in Chinese/English/pinyin, cities, suggestions, dates, fares.

The feed is a hand-made miniature of the region (``mini_feed.write_mini_feed``, shared with
test_plan_cli.py) whose answers are easy to work out by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import TEST_DATA
from mini_feed import HUB, MINI, write_feed, write_mini_feed

from hbeu_transit.errors import InputError
from hbeu_transit.places import PlaceIndex, build_index, feed_key, load_index, name_stem, normalize

# --------------------------------------------------------------------------- the mini feed


@pytest.fixture(scope="module")
def mini_zip(tmp_path_factory) -> Path:
    return write_mini_feed(tmp_path_factory.mktemp("mini") / "mini.zip")


@pytest.fixture(scope="module")
def idx(mini_zip, tmp_path_factory) -> PlaceIndex:
    return load_index([mini_zip], tmp_path_factory.mktemp("cache"))


# --------------------------------------------------------------------------- matching

def test_normalize_ignores_case_spaces_accents_and_width():
    assert normalize("Hūhéhàotè Dōng") == normalize("huhehaote dong") == normalize("HUHEHAOTE-DONG")
    assert normalize("ＢＡＯＴＯＵ") == "baotou"
    assert normalize(" 包头 东站 ") == "包头东站"


@pytest.mark.parametrize("query", ["包头东站", "包头东", "Baotou East", "baotoueast", "BAOTOU  EAST",
                                   "Baotou Dong", "bāotóu dōng", "baotou east station", "BTE",
                                   "bte", "Baotuo East"])
def test_names_in_every_language_find_the_station(idx, query):
    p = idx.resolve(query)
    assert set(p.stop_ids) == {"BTE", "BTE1"}


def test_typo_is_accepted_with_a_note(idx):
    p = idx.resolve("Baotuo East")
    assert p.note and "Baotuo East" in p.note
    assert idx.resolve("Baotou East").note is None


def test_platform_id_is_just_that_platform(idx):
    p = idx.resolve("BTE1")
    assert p.stop_ids == ("BTE1",) and p.kind == "stop"


@pytest.mark.parametrize("query", ["包头", "Baotou", "baotou"])
def test_city_name_expands_to_all_its_stations(idx, query):
    p = idx.resolve(query)
    assert p.kind == "area"
    assert set(p.stop_ids) == {"BT", "BT1", "BTE", "BTE1", "BUS_BT_RS", "BUS_BT_GOV"}


def test_station_word_picks_the_station_not_the_city(idx):
    assert set(idx.resolve("包头站").stop_ids) == {"BT", "BT1"}
    assert set(idx.resolve("Baotou Station").stop_ids) == {"BT", "BT1"}
    assert set(idx.resolve("Hohhot Railway Station").stop_ids) == {"HH", "HH1"}


def test_same_name_in_one_city_is_one_place(idx):
    # the rail station and the bus stop outside are both 呼和浩特东站
    assert set(idx.resolve("呼和浩特东站").stop_ids) == {"HHE", "HHE1", "BUS_HHE"}


def test_same_name_in_two_cities_is_ambiguous_and_lists_them(idx):
    with pytest.raises(InputError) as e:
        idx.resolve("Railway Station")
    msg = str(e.value)
    assert "several" in msg and "火车站 Railway Station (包头)" in msg and "(呼和浩特)" in msg
    assert "\n" not in msg


def test_candidate_form_name_city_picks_one(idx):
    assert idx.resolve("火车站 (包头)").stop_ids == ("BUS_BT_RS",)
    assert idx.resolve("Railway Station (Hohhot)").stop_ids == ("BUS_HH_RS",)
    assert idx.resolve("火车站 Railway Station (包头) [BUS_BT_RS]").stop_ids == ("BUS_BT_RS",)


def test_unknown_station_suggests_close_names(idx):
    with pytest.raises(InputError) as e:
        idx.resolve("Hoxhot Ezt")
    assert "Hohhot East" in str(e.value) or "呼和浩特东站" in str(e.value)
    with pytest.raises(InputError) as e:
        idx.resolve("zzzzqqqq")
    assert "unknown station 'zzzzqqqq'" in str(e.value) and "hbeu stations" in str(e.value)


def test_a_near_miss_of_a_names_start_needs_five_letters(idx):
    """A misspelt start of a name is sought from five letters on ("Hohhx": Hohhot, with a note);
    of four ("Hohx") one letter in four is wrong, too little to go on: no place is guessed, and
    the error suggests the close ones."""
    p = idx.resolve("Hohhx")
    assert p.note == f"no station is called 'Hohhx'; using {p.label}" and "Hohhot" in p.label
    with pytest.raises(InputError) as e:
        idx.resolve("Hohx")
    assert str(e.value).startswith("unknown station 'Hohx'") and "did you mean" in str(e.value)
    assert "Hohhot" in str(e.value).split("did you mean", 1)[1]


@pytest.fixture(scope="module")
def caltrain_idx(tmp_path_factory) -> PlaceIndex:
    return load_index([TEST_DATA / "caltrain.zip"], tmp_path_factory.mktemp("caltrain-cache"))


@pytest.mark.parametrize("query,stop_ids", [
    ("San Fransisco", {"70011", "70012"}),   # San Francisco Caltrain, not So. San Francisco Caltrain Station
    ("So San Fransisco", {"70041", "70042"}),
    ("Milbrae", {"70061", "70062"}),         # Millbrae Caltrain
    ("Palo Alot", {"70171", "70172"}),
])
def test_a_near_miss_of_a_name_is_that_station_not_one_containing_a_like_word(caltrain_idx, query, stop_ids):
    """Caltrain's names are "San Francisco Caltrain" and "So. San Francisco Caltrain Station":
    "San Fransisco" misspells the start of the first, and only contains a word like one of the
    second; it once resolved to the second, whose whole name scored closer."""
    p = caltrain_idx.resolve(query)
    assert set(p.stop_ids) == stop_ids
    assert p.note and query in p.note


def test_a_near_miss_of_several_names_suggests_them(caltrain_idx):
    """"San Mato" is as close to San Mateo as to San Martin: no place is picked; the error says
    no station has that name and suggests both."""
    with pytest.raises(InputError) as e:
        caltrain_idx.resolve("San Mato")
    msg = str(e.value)
    assert msg.startswith("unknown station 'San Mato'") and "did you mean" in msg
    assert "San Mateo Caltrain" in msg and "San Martin Caltrain" in msg


@pytest.mark.parametrize("name,stem", [
    ("San Jose Caltrain Station", "sanjosecaltrain"),   # not "sanjosecal": "train station" is not two words here
    ("Caltrain Station", "caltrain"),
    ("Hohhot Railway Station", "hohhot"),
    ("Baotou East Train Station", "baotoueast"),
    ("Baotou Trainstation", "baotou"),
    ("Baotou East Bus Station", "baotoueast"),
    ("Airbus Station", "airbus"),                       # not "air"
    ("Substation", "substation"),
    ("包头东站", "包头东"),
    ("包头火车站", "包头"),
    ("Hohhot Huoche Zhan", "hohhot"),
    ("Bāotóu Dōngzhàn", "baotoudong"),                  # pinyin writes 站 joined to its word
    ("Station", "station"),
])
def test_a_station_word_is_dropped_only_as_whole_words(name, stem):
    assert name_stem(name) == stem


def test_a_station_word_is_not_the_tail_of_a_longer_word(caltrain_idx):
    """Keys once lost 'train station' from "... Caltrain Station" (a key has no spaces left), so
    "Caltrain Station" meant "Cal" and resolved to the one name starting with it, California
    Ave Caltrain; it is "Caltrain" and names every Caltrain station."""
    with pytest.raises(InputError) as e:
        caltrain_idx.resolve("Caltrain Station")
    assert "matches several places" in str(e.value) and "Atherton Caltrain" in str(e.value)
    assert caltrain_idx.resolve("San Jose Caltrain").stop_ids == ("777402",)   # step 5: its name without "Station"


def test_a_near_miss_of_a_whole_name_beats_one_without_its_station_word(caltrain_idx):
    """"Tamien Caltrain" is one stop's whole name and another's ("Tamien Caltrain Station")
    without its station word: a misspelling of it means the first, as step 4 comes before 5."""
    p = caltrain_idx.resolve("Tmien Caltrain")
    assert set(p.stop_ids) == {"70271", "70272"} and p.note


def test_substring_ambiguity_lists_candidates(idx):
    with pytest.raises(InputError) as e:
        idx.resolve("东站")
    assert "包头东站" in str(e.value) and "呼和浩特东站" in str(e.value)
    assert set(idx.resolve("Kun District").stop_ids) == {"BUS_BT_GOV"}


def test_unserved_stops_are_not_places(idx):
    assert idx.station("NOSERVICE") is None


@pytest.mark.parametrize("query", ["NOSERVICE", "废弃站"])
def test_a_stop_no_trip_calls_at_is_named_as_such(idx, query):
    """Found by helper breaker3: a stop of stops.txt that no trip serves (NOSERVICE, 废弃站) was
    'unknown station ... (no station or city has that name)', which sends the user hunting for a
    typo in a name the feed has. The error says that no trip calls there."""
    with pytest.raises(InputError) as e:
        idx.resolve(query)
    assert str(e.value) == f"no trip calls at {query!r} (stop NOSERVICE of stops.txt): it is no place to travel from or to"


# --------------------------------------------------------------------------- other content

def test_modes_areas_and_translations(idx):
    assert idx.station("HHE").modes == ["rail"]
    assert idx.station("BUS_HHE").modes == ["bus"]
    assert idx.station("BTE").area == "包头"
    assert idx.name_in("BTE1") == "Baotou East"          # platform falls back to its station
    assert idx.name_in("BUS_HH_RS") == "Railway Station"  # translation by field_value
    assert idx.timezone == "Asia/Shanghai"


def test_service_dates_and_default_date(idx):
    assert "2026-12-01" in idx.service_dates and "2026-12-25" not in idx.service_dates
    assert "2026-12-05" not in idx.service_dates          # a Saturday
    assert "2026-11-30" not in idx.service_dates          # UNUSED has no trips
    assert idx.default_date(dt.date(2026, 12, 2)) == (dt.date(2026, 12, 2), None)
    d, note = idx.default_date(dt.date(2026, 11, 27))
    assert d == dt.date(2026, 12, 1) and "no service on 2026-11-27" in note and "2026-12-01" in note
    d, note = idx.default_date(dt.date(2027, 3, 1))
    assert d == dt.date(2026, 12, 1) and "ended" in note
    assert idx.next_service_dates(dt.date(2026, 12, 24), 3) == [dt.date(2026, 12, 24), dt.date(2026, 12, 28),
                                                                 dt.date(2026, 12, 29)]


def _sunday_only_feed(folder: Path) -> Path:
    """Trips run on Sundays of 2024 only; service "NOTRIPS" runs every day but has no trips."""
    from gtfs_factory import ALL_2024, make_feed

    week = dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday"), 0)
    return make_feed(folder, stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                     stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]},
                     trips=[{"trip_id": "T1", "service_id": "SUN"}],
                     calendar=[{**ALL_2024, "service_id": "NOTRIPS", "start_date": "20231201"},
                               {**ALL_2024, **week, "service_id": "SUN"}],
                     calendar_dates=[{"service_id": "SUN", "date": "20240310", "exception_type": 2},
                                     {"service_id": "SUN", "date": "20240312", "exception_type": 1}])


@pytest.mark.parametrize("feed_name", ["sample", "sunday_only"])
def test_planner_and_pandas_commands_choose_the_same_default_date(feed_name, tmp_path):
    """plan/departures/commute (cached place index) and info/freq/graph (feed tables) agree."""
    from hbeu_transit.feed import default_date, load_feeds

    if feed_name == "sample":
        path = Path(__file__).parents[1] / "data" / "sample.zip"
        todays = [dt.date(2006, 12, 31), dt.date(2007, 1, 1), dt.date(2007, 6, 4), dt.date(2008, 3, 4),
                  dt.date(2010, 12, 31), dt.date(2011, 1, 1), dt.date(2026, 1, 1)]
    else:
        path = _sunday_only_feed(tmp_path / "sunday")
        # NOTRIPS runs every day from 2023-12-01 but counts for neither: Mon 2024-01-01 -> Sun 01-07
        todays = [dt.date(2023, 12, 1), dt.date(2024, 1, 1), dt.date(2024, 1, 7), dt.date(2024, 3, 9),
                  dt.date(2024, 3, 11), dt.date(2024, 3, 12), dt.date(2024, 12, 30), dt.date(2025, 6, 1)]
    feed = load_feeds([path])
    idx = build_index(feed, "k")
    for today in todays:
        pandas_way = default_date(feed.calendar, feed.calendar_dates, feed.trips, today=today)
        assert idx.default_date(today) == pandas_way, today
    if feed_name == "sunday_only":
        assert idx.default_date(dt.date(2024, 1, 1)) == (
            dt.date(2024, 1, 7), "no service on 2024-01-01; using the next service date 2024-01-07")
        assert idx.default_date(dt.date(2024, 3, 9))[0] == dt.date(2024, 3, 12)   # 03-10 removed, 03-12 added
        assert idx.default_date(dt.date(2025, 6, 1)) == (
            dt.date(2024, 1, 7), "the feed's service ended 2024-12-29; using its first service date 2024-01-07")


#: A date the mini feed's service WK runs on (and the day after it: the peak timeframe's service)
TUESDAY = "2026-12-01"


def test_fares_v2_by_network_and_area_pair(idx):
    assert idx.leg_fare("R_D", "BT1", "HHE1", 7 * 3600, 8 * 3600, TUESDAY) == (45.5, "CNY")
    assert idx.leg_fare("R_D", "HHE1", "BTE1", 18 * 3600, 19 * 3600, TUESDAY) == (45.5, "CNY")
    assert idx.leg_fare("B1", "BUS_HHE", "BUS_HH_RS", 0, 1200, TUESDAY) == (1.0, "CNY")
    assert idx.leg_fare("R_K", "HH1", "ORD", 0, 6000, TUESDAY) is None     # no rule for Hohhot -> Ordos


#: The mini feed with a peak fare for Baotou -> Hohhot rail legs leaving 07:00-09:00 (a
#: timeframe, rule_priority 1 over the all-day rule) and a second all-day product at the same
#: priority as the first. GTFS: the highest rule_priority wins; a timeframe includes its
#: start_time, not its end_time; of the products that apply, the rider pays the cheapest.
PEAK = {**MINI,
        "fare_products": MINI["fare_products"] + [("P_PEAK", "高峰", "50.00", "CNY"),
                                                   ("P_SAVER", "优惠", "44.00", "CNY")],
        "fare_leg_rules": [("leg_group_id", "network_id", "from_area_id", "to_area_id", "fare_product_id",
                            "rule_priority", "from_timeframe_group_id")]
                          + [(*r, "0", "") for r in MINI["fare_leg_rules"][1:]]
                          + [("rail_bh_saver", "rail", "A_BT", "A_HH", "P_SAVER", "0", ""),
                             ("rail_bh_peak", "rail", "A_BT", "A_HH", "P_PEAK", "1", "peak")],
        "timeframes": [("timeframe_group_id", "start_time", "end_time", "service_id"),
                       ("peak", "07:00:00", "09:00:00", "WK")]}


@pytest.mark.parametrize("depart, fare", [(6 * 3600 + 3599, 44.0), (7 * 3600, 50.0), (9 * 3600 - 1, 50.0),
                                          (9 * 3600, 44.0), (24 * 3600 + 7 * 3600 + 60, 50.0)])
def test_fares_v2_priority_timeframes_and_the_cheapest_product(tmp_path, depart, fare):
    idx = load_index([write_feed(tmp_path / "peak.zip", PEAK)], tmp_path / "cache")
    assert idx.leg_fare("R_D", "BT1", "HHE1", depart, depart + 5400, TUESDAY) == (fare, "CNY")
    assert idx.leg_fare("R_D", "HHE1", "BTE1", depart, depart + 5400, TUESDAY) == (45.5, "CNY")   # the other way: no peak rule


def test_index_is_cached_and_reloads_without_the_feed(mini_zip, tmp_path):
    a = load_index([mini_zip], tmp_path)
    files = list(tmp_path.glob("places-*.idx"))
    assert len(files) == 1 and feed_key([mini_zip]) in files[0].name

    def boom():
        raise AssertionError("the feed must not be read on a cache hit")

    b = load_index([mini_zip], tmp_path, feed_loader=boom)
    assert b.to_json() == a.to_json()
    assert b.stations == a.stations and len(b.stations) == 9


def test_the_index_remembers_where_its_feeds_came_from(mini_zip, tmp_path):
    """The feeds' records (name, file, sha256, feed_info), which circle and coverage exports
    carry, come back from the cached index without reading the feed."""
    import hashlib

    from hbeu_transit.feed import load_feeds

    load_index([mini_zip], tmp_path)

    def boom():
        raise AssertionError("the feed must not be read on a cache hit")

    (src,) = load_index([mini_zip], tmp_path, feed_loader=boom).sources
    assert src == load_feeds([mini_zip]).sources[0]
    assert (src.name, src.sha256) == (mini_zip.stem, hashlib.sha256(mini_zip.read_bytes()).hexdigest())


def test_a_damaged_or_stale_index_file_is_rebuilt(mini_zip, tmp_path):
    import marshal

    from hbeu_transit.feed import load_feeds
    from hbeu_transit.places.names import INDEX_VERSION

    good = load_index([mini_zip], tmp_path)
    (path,) = tmp_path.glob("places-*.idx")
    d = good.to_json()
    short = {**d, "stations": {**d["stations"], "lat": d["stations"]["lat"][:-1]}}   # a column cut short
    for bad in (b"garbage", marshal.dumps(short), marshal.dumps({**d, "version": INDEX_VERSION - 1}),
                marshal.dumps({**d, "stations": [s.__dict__ for s in good.stations]})):    # version 4's rows
        path.write_bytes(bad)
        calls = []
        again = load_index([mini_zip], tmp_path, feed_loader=lambda: calls.append(1) or load_feeds([mini_zip]))
        assert calls == [1] and again.to_json() == d


def test_search_for_the_stations_command(idx):
    assert {s.id for s in idx.search("Hohhot")} == {"HHE", "HH", "BUS_HHE", "BUS_HH_RS"}
    assert [s.id for s in idx.search("Baotou East")] == ["BTE"]
    assert len(idx.search(None)) == len(idx.stations) == 9
    assert {s.id for s in idx.search("东")} == {"BTE", "HHE", "BUS_HHE"}


def test_feed_without_areas_or_translations(sample_zip, tmp_path):
    idx = load_index([sample_zip], tmp_path)
    assert idx.resolve("STAGECOACH").stop_ids == ("STAGECOACH",)
    p = idx.resolve("stagecoach hotel & casino (demo)")
    assert p.stop_ids == ("STAGECOACH",)
    assert idx.fares["kind"] == "v1"


# --------------------------------------------------------------------------- stops inside stations


@pytest.fixture(scope="module")
def hub_idx(tmp_path_factory) -> PlaceIndex:
    root = tmp_path_factory.mktemp("hub")
    return load_index([write_feed(root / "hub.zip", HUB)], root / "cache")


@pytest.mark.parametrize("query", ["呼和浩特东站综合客运枢纽", "Hohhot East Passenger Hub", "hohhot east passenger hub",
                                   "Huhehaote Dongzhan Zonghe Keyun Shuniu", "Passenger Hub",
                                   "Hohhot East Passenger Hub (Hohhot)",
                                   "呼和浩特东站综合客运枢纽 Hohhot East Passenger Hub (呼和浩特) [HHE_HUB]"])
def test_a_stop_inside_a_station_is_named_by_its_own_names(hub_idx, query):
    p = hub_idx.resolve(query)
    assert p.stop_ids == ("HHE_HUB",) and p.kind == "stop" and p.note is None
    assert p.label == "呼和浩特东站综合客运枢纽 Hohhot East Passenger Hub (呼和浩特东站 Hohhot East)"


@pytest.mark.parametrize("query", ["Baotou East Bus Station", "包头东汽车站", "Baotou East Bus"])
def test_a_bus_station_inside_a_rail_station_is_its_own_place(hub_idx, query):
    assert hub_idx.resolve(query).stop_ids == ("BTE_BUS",)


@pytest.mark.parametrize("query", ["包头东", "包头东站", "Baotou East", "Baotou East Station", "Baotou Ea"])
def test_the_stations_own_name_still_means_the_whole_station(hub_idx, query):
    # BTE_BAY is called 包头东 under 包头东站: the station's name (less the station word)
    p = hub_idx.resolve(query)
    assert p.kind == "station" and set(p.stop_ids) == {"BTE", "BTE1", "BTE_BUS", "BTE_BAY"}


def test_stops_inside_stations_by_name_typos_unserved_and_search(hub_idx):
    # the station, its platforms and the same-named bus stop outside (one place, as before)
    assert set(hub_idx.resolve("Hohhot East").stop_ids) == {"HHE", "HHE1", "HHE_HUB", "HHE_OLD", "BUS_HHE"}
    assert hub_idx.resolve("包头东站 1站台").stop_ids == ("BTE1",)  # a platform with a name of its own
    p = hub_idx.resolve("Hohhot East Passenger Hbu")
    assert p.stop_ids == ("HHE_HUB",) and "Hohhot East Passenger Hbu" in p.note
    assert hub_idx.suggest("Hohhot East Passenger Hbu")[0] == \
        "呼和浩特东站综合客运枢纽 Hohhot East Passenger Hub (呼和浩特) [HHE_HUB]"
    with pytest.raises(InputError, match="unknown station 'Old Waiting Room'"):
        hub_idx.resolve("Old Waiting Room")  # no trip calls there
    assert [s.id for s in hub_idx.search("Passenger Hub")] == ["HHE"]  # `hbeu stations` lists stations
    assert [s.id for s in hub_idx.search("Hohhot East Passenger Hub")] == ["HHE"]


def test_regional_coach_bays_under_rail_stations_resolve(tmp_path):
    from hbeu_transit.feed import default_feed_paths

    idx = load_index(default_feed_paths(), tmp_path)
    for query, stop in (("Hohhot East Passenger Hub", "BUS_HHE"), ("呼和浩特东站综合客运枢纽", "BUS_HHE"),
                        ("Baotou East Bus Station", "BUS_BTD"), ("呼和浩特长途汽车站", "BUS_HHT")):
        assert idx.resolve(query).stop_ids == (stop,), query
    assert {"HHE", "BUS_HHE"} <= set(idx.resolve("Hohhot East").stop_ids)


def test_build_index_from_loaded_feed(mini_zip):
    from hbeu_transit.feed import load_feeds

    idx = build_index(load_feeds([mini_zip]), "k")
    assert idx.feed_key == "k" and len(idx.stations) == 9
