"""Edge cases of the journey commands found by exploring them as a demanding user would: each
feed here is a few hand-made rows (tests/gtfs_factory.py) whose answer is worked out by hand in
the test's docstring. make_feed's calendar runs every day of 2024; its agency is in UTC."""

from __future__ import annotations

import pytest
from gtfs_factory import make_feed

import hbeu_transit as hb
from hbeu_transit.errors import InputError


@pytest.fixture
def night_net(tmp_path):
    """One bus a day, A 24:30 -> B 25:00 (00:30 -> 01:00 the next morning)."""
    feed = make_feed(tmp_path / "night", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                     stop_times={"N1": [("A", "24:30:00", "24:30:00"), ("B", "25:00:00", "25:00:00")]})
    return hb.Network([feed], cache_dir=tmp_path / "cache")


def test_next_service_after_a_late_depart_is_not_a_bus_already_gone(night_net):
    """Leaving after 25:00 on 03-05 (01:00 on 03-06): 03-05's bus left at 00:30 on 03-06, and
    03-04's at 00:30 on 03-05; the next one is 03-06's, at 00:30 on 03-07 (not 03-05's again,
    which the 03-06 timetable also holds, leaving before the time asked). In a window of an
    hour there is none: it is the next service; without one it is the journey (a departure
    past 24:00 is searched in the next date's timetable, which holds 03-06's bus)."""
    p = night_net.plan("A", "B", date="2024-03-05", depart="25:00", window="1h")
    assert p.journeys == []
    assert p.next_service == {"date": "2024-03-06", "departure": "2024-03-07T00:30:00+00:00",
                              "arrival": "2024-03-07T01:00:00+00:00"}
    p = night_net.plan("A", "B", date="2024-03-05", depart="25:00", num=1)
    assert [(j.departure.isoformat(), j.arrival.isoformat()) for j in p.journeys] == [
        ("2024-03-07T00:30:00+00:00", "2024-03-07T01:00:00+00:00")]


def test_next_service_after_an_empty_window_is_the_first_after_it_that_day(night_net):
    """Leaving 00:00-00:10 on 03-05: no bus in the window; the next one is the 00:30 of the same
    morning (03-04's bus, in 03-05's timetable), not a bus of 03-06."""
    p = night_net.plan("A", "B", date="2024-03-05", depart="00:00", window="10m")
    assert p.journeys == []
    assert p.next_service == {"date": "2024-03-05", "departure": "2024-03-05T00:30:00+00:00",
                              "arrival": "2024-03-05T01:00:00+00:00"}


def test_next_service_of_arrive_by_is_the_same_days_first_journey(tmp_path):
    """The night bus from 03-04 on (the feeds start then). Arriving by 00:50 on 03-05: 03-04's bus
    reaches B at 01:00, too late, and there is none before; the first journey after that is the
    same bus (03-05 00:30 -> 01:00), not a bus of the next day. (With buses on the days before,
    the plan shows those, the evenings before's journeys.)"""
    feed = make_feed(tmp_path / "night", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                     stop_times={"N1": [("A", "24:30:00", "24:30:00"), ("B", "25:00:00", "25:00:00")]},
                     calendar=[{"service_id": "ALL", **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday",
                                                                       "friday", "saturday", "sunday"), 1),
                                "start_date": "20240304", "end_date": "20241231"}])
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("A", "B", date="2024-03-05", arrive_by="00:50")
    assert p.journeys == []
    assert p.next_service == {"date": "2024-03-05", "departure": "2024-03-05T00:30:00+00:00",
                              "arrival": "2024-03-05T01:00:00+00:00"}


def test_plan_leaves_as_late_as_arriving_as_early_allows(tmp_path):
    """A feeder every 30 min from A (06:00, 06:30, 07:00, 07:30; 20 min to B) and one bus B 08:00
    -> C 09:00. Leaving A after 06:00, the 06:00 feeder arrives as early as the 07:30 one (09:00,
    1 change) and waits 1h40 at B: the journey to show leaves at 07:30, and never the 06:00 one
    beside it (leaving earlier to arrive no earlier is no journey worth showing)."""
    feeders = {f"F{h}{m}": [("A", f"0{h}:{m}:00", f"0{h}:{m}:00"), ("B", f"0{h}:{int(m) + 20}:00", f"0{h}:{int(m) + 20}:00")]
               for h in (6, 7) for m in ("00", "30")}
    feed = make_feed(tmp_path / "wait", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01), ("C", 0.0, 0.02)],
                     stop_times={**feeders, "BUS": [("B", "08:00:00", "08:00:00"), ("C", "09:00:00", "09:00:00")]})
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    p = net.plan("A", "C", date="2024-03-05", depart="06:00")
    # one a day: the next days' (the plan goes on into them until --num, 3) leave at 07:30 too
    assert [(j.departure.strftime("%d %H:%M"), j.arrival.strftime("%H:%M"), j.transfers) for j in p.journeys] \
        == [("05 07:30", "09:00", 1), ("06 07:30", "09:00", 1), ("07 07:30", "09:00", 1)]
    nxt = net.plan("A", "C", date="2024-03-05", depart="08:00", window="1h").next_service
    assert (nxt["departure"], nxt["arrival"]) == ("2024-03-06T07:30:00+00:00", "2024-03-06T09:00:00+00:00")


def test_commute_finds_journeys_more_than_four_hours_from_the_times_asked(tmp_path):
    """A sparse service: H 04:00 -> W 04:30 and H 04:10 -> W 04:45 in the morning, W 23:00 -> H
    23:30 and W 23:30 -> H 24:00 at night. At work by 09:00: the latest journey is the 04:10
    (before it the 04:00); leaving after 17:00: the 23:00 (after it the 23:30). A commute
    that says "no journey" while these run is wrong, however early or late they are."""
    feed = make_feed(tmp_path / "sparse", stops=[("H", 0.0, 0.0), ("W", 0.0, 0.01)],
                     stop_times={"M1": [("H", "04:00:00", "04:00:00"), ("W", "04:30:00", "04:30:00")],
                                 "M2": [("H", "04:10:00", "04:10:00"), ("W", "04:45:00", "04:45:00")],
                                 "E1": [("W", "23:00:00", "23:00:00"), ("H", "23:30:00", "23:30:00")],
                                 "E2": [("W", "23:30:00", "23:30:00"), ("H", "24:00:00", "24:00:00")]})
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    (day,) = net.commute("H", "W", arrive_by="09:00", leave_after="17:00", days=1, date="2024-03-05").to_dict()["days"]
    hm = lambda j: (j["departure"][11:16], j["arrival"][11:16])  # noqa: E731
    assert [hm(day["morning"][k]) for k in ("journey", "alternative")] == [("04:10", "04:45"), ("04:00", "04:30")]
    assert [hm(day["evening"][k]) for k in ("journey", "alternative")] == [("23:00", "23:30"), ("23:30", "00:00")]


@pytest.mark.parametrize("with_id", [False, True])
def test_every_name_an_ambiguity_error_offers_resolves_back(tmp_path, with_id):
    """Stop names with parentheses of their own (the Google sample feed's "North Ave / D Ave N
    (Demo)"): "North Ave" matches two, and the error says to copy a name with its city in
    parentheses, or the id in brackets. Each offered "NAME (CITY) [ID]", whole or without the
    id, must name that stop, not be "unknown station"."""
    feed = make_feed(tmp_path / "paren", stops=[{"stop_id": "NADAV", "stop_name": "North Ave / D Ave N (Demo)",
                                                 "stop_lat": 0.0, "stop_lon": 0.0},
                                                {"stop_id": "NANAA", "stop_name": "North Ave / N A Ave (Demo)",
                                                 "stop_lat": 0.0, "stop_lon": 0.01}],
                     stop_times={"T": [("NADAV", "08:00:00", "08:00:00"), ("NANAA", "08:10:00", "08:10:00")]})
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    with pytest.raises(hb.InputError) as e:
        net.places.resolve("North Ave")
    offered = str(e.value).split("matches several places: ")[1].split(". Name one")[0].split("; ")
    assert len(offered) == 2
    for label in offered:
        copied = label if with_id else label.rsplit(" [", 1)[0]
        assert net.places.resolve(copied).stop_ids == (label.rsplit("[", 1)[1].rstrip("]"),)


@pytest.fixture
def dst_net(tmp_path):
    """New York, 2024-03-10, the clocks go from 02:00 EST to 03:00 EDT. GTFS counts a service
    day's times from noon minus 12 h, 23:00 EST the evening before: the bus at 02:30 on that
    clock leaves A at 01:30 EST by the wall clock (06:30 UTC) and reaches B at 01:40."""
    feed = make_feed(tmp_path / "dst", stops=[("A", 40.0, -74.0), ("B", 40.0, -74.01)],
                     stop_times={"T": [("A", "02:30:00", "02:30:00"), ("B", "02:40:00", "02:40:00")]},
                     agency=[{"agency_id": "A", "agency_name": "NY", "agency_url": "https://example.org",
                              "agency_timezone": "America/New_York"}])
    return hb.Network([feed], cache_dir=tmp_path / "cache")


def test_times_asked_are_wall_clock_times_on_a_dst_day(dst_net):
    """Leaving after 01:45 (wall clock, as every time shown): the 01:30 bus has gone, and the
    query says 01:45 back; leaving after 01:00 it is the 01:30 bus. Arriving by 01:35 is too
    early for it. A departure board from 01:35 has nothing."""
    p = dst_net.plan("A", "B", date="2024-03-10", depart="01:45")
    # (the journeys shown are the next days': the plan goes on into them until --num)
    assert p.depart.isoformat() == "2024-03-10T01:45:00-05:00"
    assert [j.service_date for j in p.journeys] == ["2024-03-11", "2024-03-12", "2024-03-13"]
    (j,) = dst_net.plan("A", "B", date="2024-03-10", depart="01:00", num=1).journeys
    assert (j.departure.isoformat(), j.arrival.isoformat()) == ("2024-03-10T01:30:00-05:00", "2024-03-10T01:40:00-05:00")
    assert [j.service_date for j in dst_net.plan("A", "B", date="2024-03-10", arrive_by="01:35").journeys] \
        == ["2024-03-07", "2024-03-08", "2024-03-09"]   # the days before's
    assert dst_net.departures("A", date="2024-03-10", start="01:35").to_dict()["departures"] == []
    assert len(dst_net.departures("A", date="2024-03-10", start="01:25", end="01:30").to_dict()["departures"]) == 1
    (day,) = dst_net.commute("A", "B", arrive_by="01:45", leave_after="12:00", days=1, date="2024-03-10",
                             weekdays=False).to_dict()["days"]
    assert day["morning"]["journey"]["departure"] == "2024-03-10T01:30:00-05:00"


def test_commute_echoes_the_times_it_used_not_the_text_typed(night_net):
    """"9:5" is read as 09:05 (as --depart reads it), so the commute's JSON and title say 09:05,
    not the text as typed."""
    c = night_net.commute("A", "B", arrive_by="9:5", leave_after=" 18:30 ", days=1, date="2024-03-05").to_dict()
    assert (c["arrive_by"], c["leave_after"]) == ("09:05", "18:30")


def test_two_platforms_of_one_station_are_the_same_station(tmp_path):
    """Platforms P1 and P2 of station S, and a station T: a train P1 08:00 -> T 08:10 and one back
    T 08:20 -> P2 08:30. From P1 to P2 is a walk across the station, not a ride to T and back:
    the same error as from S to S."""
    feed = make_feed(tmp_path / "plat", stops=[("S", 0.0, 0.0, "", 1), ("P1", 0.0, 0.0, "S"), ("P2", 0.0, 0.0001, "S"),
                                               ("T", 0.0, 0.02)],
                     stop_times={"X": [("P1", "08:00:00", "08:00:00"), ("T", "08:10:00", "08:10:00")],
                                 "Y": [("T", "08:20:00", "08:20:00"), ("P2", "08:30:00", "08:30:00")]})
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    with pytest.raises(hb.InputError, match="same station"):
        net.plan("P1", "P2", date="2024-03-05", depart="07:00")
    with pytest.raises(hb.InputError, match="same station"):
        net.commute("P1", "P2", date="2024-03-05", days=1)


def test_a_city_of_one_station_is_not_any_of_1_stations(tmp_path):
    """--areas puts stop A alone in city "Xtown": the plan's label says "(1 station)", not the
    "(any of 1 stations)" the bundled feed's Beijing showed."""
    feed = make_feed(tmp_path / "one", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                     stop_times={"T": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]})
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\nA,Xtown\n", encoding="utf-8")
    p = hb.Network([feed], areas=areas, cache_dir=tmp_path / "cache").plan("Xtown", "B", date="2024-03-05", depart="07:00")
    assert p.to_dict()["query"]["from"]["label"] == "Xtown (1 station)"


def test_a_published_stop_id_finds_its_stop_after_the_merge_prefixed_it(tmp_path):
    """Two feeds both publish stop "A", so the second one's ids get its name as a prefix
    ("two:A", "two:C"). "C", the id as published, names one stop only ("two:C"), so it finds
    it (with a note saying the id it has now), where it said "unknown station"."""
    one = make_feed(tmp_path / "one", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                    stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]})
    two = make_feed(tmp_path / "two", stops=[("A", 1.0, 0.0), {"stop_id": "C", "stop_name": "Cedar Square",
                                                               "stop_lat": 1.0, "stop_lon": 0.01}],
                    stop_times={"T1": [("A", "09:00:00", "09:00:00"), ("C", "09:10:00", "09:10:00")]})
    net = hb.Network([one, two], cache_dir=tmp_path / "cache")
    assert {s.id for s in net.find_stations()} == {"A", "B", "two:A", "two:C"}
    place = net.places.resolve("C")
    assert place.stop_ids == ("two:C",) and "two:C" in place.note
    assert net.places.resolve("A").stop_ids == ("A",)      # the unprefixed one is "A" itself


def test_feeds_in_different_timezones_are_not_read_on_one_clock(tmp_path):
    """A New York feed merged after a Los Angeles one: its 07:00 bus was printed as 07:00-07:00
    (the first feed's clock), three hours off. Merging them is refused in one line naming both
    timezones and the feed files; two feeds on one clock (or one alone) still load."""
    def feed(name, tz):
        return make_feed(tmp_path / name, stops=[(f"{name}1", 0.0, 0.0), (f"{name}2", 0.0, 0.01)],
                         stop_times={"T": [(f"{name}1", "07:00:00", "07:00:00"), (f"{name}2", "07:30:00", "07:30:00")]},
                         agency=[{"agency_id": "A", "agency_name": name, "agency_url": "https://example.org",
                                  "agency_timezone": tz}])
    la, ny, sf = feed("la", "America/Los_Angeles"), feed("ny", "America/New_York"), feed("sf", "America/Los_Angeles")
    with pytest.raises(hb.FeedError, match=r"America/Los_Angeles.*America/New_York") as e:
        hb.Network([la, ny], cache_dir=tmp_path / "cache").plan("ny1", "ny2", date="2024-03-05", depart="06:00")
    assert "la" in e.value.file and "ny" in e.value.file and "\n" not in str(e.value)
    (j,) = hb.Network([la, sf], cache_dir=tmp_path / "cache").plan("sf1", "sf2", date="2024-03-05", depart="06:00",
                                                                    num=1).journeys
    assert j.departure.isoformat() == "2024-03-05T07:00:00-08:00"


def test_a_published_stop_id_two_merged_feeds_share_is_not_taken_for_either(tmp_path):
    """Feeds "two" and "three" both publish stop "C" (as "two:C" and "three:C" once merged):
    "C" alone names neither more than the other, so it is refused rather than planned from the
    first one found."""
    one = make_feed(tmp_path / "one", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                    stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]})
    feeds = [one]
    for name, lat, called in (("two", 1.0, "Cedar Square"), ("three", 2.0, "Cypress Lane")):
        feeds.append(make_feed(tmp_path / name, stops=[("A", lat, 0.0), {"stop_id": "C", "stop_name": called,
                                                                         "stop_lat": lat, "stop_lon": 0.01}],
                               stop_times={"T1": [("A", "09:00:00", "09:00:00"), ("C", "09:10:00", "09:10:00")]}))
    net = hb.Network(feeds, cache_dir=tmp_path / "cache")
    assert {"two:C", "three:C"} <= {s.id for s in net.find_stations()}
    with pytest.raises(InputError, match=r"stop_id 'C' is 'two:C' or 'three:C' in the merged feeds"):
        net.places.resolve("C")
    assert net.places.resolve("three:C").stop_ids == ("three:C",)


def test_a_published_stop_id_is_found_after_its_own_feed_s_prefix_only(tmp_path):
    """Found by helper mends16b. A published stop_id was looked for as what follows the first ':'
    of the merged ids: an id with a ':' of its own ("de:C", as IFOPT ids are written) or a feed
    named with one ("x:y", ids "x:y:D") was never found, and an id that has a ':' without any
    merge ("de:E" of the first feed) was found for "E" with a note that the merge had renamed it.
    Now each feed's own prefix is put before the id asked for."""
    def feed(name, lat, stop, called):
        return make_feed(tmp_path / name, stops=[("A", lat, 0.0), {"stop_id": stop, "stop_name": called,
                                                                   "stop_lat": lat, "stop_lon": 0.01}],
                         stop_times={"T1": [("A", "09:00:00", "09:00:00"), (stop, "09:10:00", "09:10:00")]})

    net = hb.Network([feed("one", 0.0, "de:E", "Elm Row"), feed("two", 1.0, "de:C", "Cedar Square"),
                      feed("x:y", 2.0, "D", "Dune Lane")],
                     cache_dir=tmp_path / "cache")
    assert [s.prefix for s in net.places.sources] == ["", "two:", "x:y:"]
    for asked, merged in (("de:C", "two:de:C"), ("D", "x:y:D")):
        place = net.places.resolve(asked)
        assert place.stop_ids == (merged,) and place.note == f"stop_id {asked!r} is {merged!r} in the merged feeds"
    assert net.places.resolve("de:E").stop_ids == ("de:E",) and net.places.resolve("de:E").note is None
    with pytest.raises(InputError, match=r"^unknown station 'E'"):
        net.places.resolve("E")


def test_a_name_without_its_station_word_finds_the_station_before_a_stop_of_that_name(tmp_path):
    """"Cedar" is both "Cedar Station" without its station word and "Cedar Bus Station", a
    bay of station Market Square, without its: the whole station named so answers, not the
    bay inside another station."""
    feed = make_feed(tmp_path / "f", stops=[
        {"stop_id": "CED", "stop_name": "Cedar Station", "stop_lat": 0.0, "stop_lon": 0.0},
        {"stop_id": "MKT", "stop_name": "Market Square", "stop_lat": 0.0, "stop_lon": 0.02, "location_type": 1},
        {"stop_id": "BAY", "stop_name": "Cedar Bus Station", "stop_lat": 0.0, "stop_lon": 0.021,
         "parent_station": "MKT", "location_type": 0},
        {"stop_id": "MKT1", "stop_name": "Market Square", "stop_lat": 0.0, "stop_lon": 0.02,
         "parent_station": "MKT", "location_type": 0}],
        stop_times={"T1": [("CED", "08:00:00", "08:00:00"), ("BAY", "08:10:00", "08:10:00")],
                    "T2": [("MKT1", "09:00:00", "09:00:00"), ("CED", "09:10:00", "09:10:00")]})
    places = hb.Network([feed], cache_dir=tmp_path / "cache").places
    assert places.resolve("Cedar Bus Station").stop_ids == ("BAY",)
    assert places.resolve("Cedar").stop_ids == ("CED",)



def test_a_stop_whose_parent_is_not_a_station_stands_alone(tmp_path):
    """Stop "P1" names entrance "PE" (location_type 2, not a station) as its parent_station,
    as some real feeds do: P1 is then a place of its own (its own city, not "Pine Road
    entrance"), found by its id and its name, and a journey from it is planned."""
    feed = make_feed(tmp_path / "f", stops=[
        {"stop_id": "PE", "stop_name": "Pine Road entrance", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 2},
        {"stop_id": "P1", "stop_name": "Pine Road East", "stop_lat": 0.0, "stop_lon": 0.001,
         "location_type": 0, "parent_station": "PE"},
        ("Q", 0.0, 0.02)],
        stop_times={"T1": [("P1", "08:00:00", "08:00:00"), ("Q", "08:10:00", "08:10:00")]})
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    assert {s.id for s in net.find_stations()} == {"P1", "Q"}
    assert net.places.resolve("Pine Road East").stop_ids == ("P1",)
    assert dict(zip(net.stations()["stop_id"], net.stations()["area"])) == {"P1": "Pine Road East", "Q": "Q"}
    assert set(net.station_graph(date="2024-03-05").nodes) == {"P1", "Q"}     # not the entrance PE
    plan = net.plan("Pine Road East", "Q", date="2024-03-05", depart="07:50")
    assert [(j.departure.strftime("%H:%M"), j.arrival.strftime("%H:%M")) for j in plan.journeys][:1] == [
        ("08:00", "08:10")]


def test_a_journeys_fare_is_the_sum_of_its_rides_only_when_every_ride_has_one_in_one_currency(tmp_path):
    """Fares v1: routes U1 and U2 cost 2.00 and 1.50 USD, route E 3.00 EUR, route X has no fare.
    A -> B on U1 then B -> C on U2 costs 3.50 USD; on to D by E (another currency) or to F by X
    (fare unknown) the journey's fare is unknown, while each ride keeps its own."""
    legs = {"T1": ("U1", "A", "B", "08:00:00", "08:10:00"), "T2": ("U2", "B", "C", "08:20:00", "08:30:00"),
            "T3": ("E", "B", "D", "08:20:00", "08:30:00"), "T4": ("X", "B", "F", "08:20:00", "08:30:00")}
    feed = make_feed(
        tmp_path / "f", stops=[(s, 0.0, 0.01 * k) for k, s in enumerate("ABCDF")],
        stop_times={t: [(a, d, d), (b, e, e)] for t, (_, a, b, d, e) in legs.items()},
        trips=[{"trip_id": t, "route_id": r} for t, (r, *_) in legs.items()],
        routes=[{"route_id": r, "agency_id": "A", "route_short_name": r, "route_type": 3} for r in ("U1", "U2", "E", "X")],
        fare_attributes=[{"fare_id": f, "price": p, "currency_type": c, "payment_method": 0, "transfers": ""}
                         for f, p, c in (("F1", "2.00", "USD"), ("F2", "1.50", "USD"), ("FE", "3.00", "EUR"))],
        fare_rules=[{"fare_id": f, "route_id": r} for f, r in (("F1", "U1"), ("F2", "U2"), ("FE", "E"))])
    net = hb.Network([feed], cache_dir=tmp_path / "cache")

    def first(to):
        return net.plan("A", to, date="2024-03-05", depart="07:50").to_dict()["journeys"][0]

    j = first("C")
    assert [lg["fare"] for lg in j["legs"]] == [{"amount": 2.0, "currency": "USD"}, {"amount": 1.5, "currency": "USD"}]
    assert j["fare"] == {"amount": 3.5, "currency": "USD"}
    j = first("D")
    assert [lg["fare"] for lg in j["legs"]] == [{"amount": 2.0, "currency": "USD"}, {"amount": 3.0, "currency": "EUR"}]
    assert j["fare"] is None
    j = first("F")
    assert [lg["fare"] for lg in j["legs"]] == [{"amount": 2.0, "currency": "USD"}, None]
    assert j["fare"] is None


@pytest.mark.parametrize("transfers, duration, want", [
    ("", "3600", 3.5),    # unlimited transfers within an hour: one F2 ticket, zone 1 to zone 2
    ("1", "", 3.5),       # one transfer allowed, no time limit: the same
    ("0", "3600", 5.5),   # no transfer on F2: each ride pays, 2.00 + 3.50
    ("", "600", 5.5),     # the second ride boards 20 min after the first, past the 10 min
])
def test_a_fares_v1_ticket_with_transfers_pays_for_the_rides_it_covers(tmp_path, transfers, duration, want):
    """Found by helper breaker3 (caltrain: Bayshore -> So. San Francisco -> San Martin on two
    Limited trains cost $3.75 + $13.75 = $17.50; its OW_6 ticket, zone 1 to 6, allows unlimited
    transfers within 4 h: $13.75). Fares v1: F1 (2.00) is zone 1 -> 1, F2 (3.50) zone 1 -> 2,
    both on routes R1 and R2. A (zone 1) -> B (zone 1) on R1 at 08:00, B -> C (zone 2) on R2 at
    08:20: one F2 covers both rides when its transfers and transfer_duration allow, else each
    ride pays its own (F1 + F2)."""
    feed = make_feed(
        tmp_path / "f", stops=[{"stop_id": s, "stop_name": s, "stop_lat": 0.0, "stop_lon": 0.01 * k, "zone_id": z}
                               for k, (s, z) in enumerate((("A", "1"), ("B", "1"), ("C", "2")))],
        stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
                    "T2": [("B", "08:20:00", "08:20:00"), ("C", "08:40:00", "08:40:00")]},
        trips=[{"trip_id": "T1", "route_id": "R1"}, {"trip_id": "T2", "route_id": "R2"}],
        routes=[{"route_id": r, "agency_id": "A", "route_short_name": r, "route_type": 3} for r in ("R1", "R2")],
        fare_attributes=[{"fare_id": "F1", "price": "2.00", "currency_type": "USD", "payment_method": 0,
                          "transfers": "", "transfer_duration": ""},
                         {"fare_id": "F2", "price": "3.50", "currency_type": "USD", "payment_method": 0,
                          "transfers": transfers, "transfer_duration": duration}],
        fare_rules=[{"fare_id": f, "route_id": r, "origin_id": "1", "destination_id": d}
                    for f, d in (("F1", "1"), ("F2", "2")) for r in ("R1", "R2")])
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    j = net.plan("A", "C", date="2024-03-05", depart="07:50").to_dict()["journeys"][0]
    assert [(lg["route"], lg["fare"]) for lg in j["legs"]] == [
        ("R1", {"amount": 2.0, "currency": "USD"}), ("R2", {"amount": 3.5, "currency": "USD"})]  # each ride alone
    assert j["fare"] == {"amount": want, "currency": "USD"}


@pytest.mark.parametrize("block, changes, want", [("K", 0, 2.0), ("", 1, 4.0)])
def test_staying_aboard_is_no_transfer_a_fares_v1_ticket_counts(tmp_path, block, changes, want):
    """Found by helper breaker4 (hart: route 7's bus goes on as route 8 at Marion Transit Center,
    block 307902; 7196 -> 3917 staying aboard, 0 changes, cost 2 x $2.00 on fare 1, transfers 0).
    T1 A 08:00 -> B 08:20 then T2 B 08:25 -> C 08:45, one fare F ($2.00, transfers 0: no
    change allowed) on route R. With T1 and T2 in one block the rider stays aboard at B (no
    change): one F pays, $2.00. In no block it is a change: each ride its own F, $4.00."""
    feed = make_feed(
        tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01), ("C", 0.0, 0.02)],
        stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:20:00", "08:20:00")],
                    "T2": [("B", "08:25:00", "08:25:00"), ("C", "08:45:00", "08:45:00")]},
        trips=[{"trip_id": t, "route_id": "R", "block_id": block} for t in ("T1", "T2")],
        fare_attributes=[{"fare_id": "F", "price": "2.00", "currency_type": "USD", "payment_method": 0,
                          "transfers": "0"}],
        fare_rules=[{"fare_id": "F", "route_id": "R"}])
    j = hb.Network([feed], cache_dir=tmp_path / "cache").plan("A", "C", date="2024-03-05",
                                                               depart="07:50").to_dict()["journeys"][0]
    assert [lg["trip"] for lg in j["legs"]] == ["T1", "T2"] and j["transfers"] == changes
    assert j["fare"] == {"amount": want, "currency": "USD"}


@pytest.fixture
def city_feed(tmp_path):
    """City Alpha = stations A1 and A2 (an --areas CSV), station B its own place; a bus
    A1 08:00 -> A2 08:10 -> B 08:40 and one back B 17:00 -> A2 17:30 -> A1 17:40."""
    feed = make_feed(tmp_path / "city", stops=[("A1", 0.0, 0.0), ("A2", 0.0, 0.01), ("B", 0.0, 0.1)],
                     stop_times={"T1": [("A1", "08:00:00", "08:00:00"), ("A2", "08:10:00", "08:10:00"),
                                        ("B", "08:40:00", "08:40:00")],
                                 "T2": [("B", "17:00:00", "17:00:00"), ("A2", "17:30:00", "17:30:00"),
                                        ("A1", "17:40:00", "17:40:00")]})
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\nA1,Alpha\nA2,Alpha\n", encoding="utf-8")
    return feed, areas


def test_a_city_and_one_of_its_own_stations_are_said_to_contain_one_another(city_feed, tmp_path, monkeypatch, capsys):
    """Found by helper edges4: `plan Alpha A1` (a city and one of its stations) said "FROM and TO
    name the same station", which they do not: the origin contains the destination. Each way
    round, for commute too, the error names both and which contains which."""
    from conftest import run_main

    feed, areas = city_feed
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))

    def error(*args: str) -> str:
        code, out, err = run_main([*args, "--feed", str(feed), "--areas", str(areas), "--date", "2024-03-05"],
                                  monkeypatch, capsys)
        assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: "), err
        return err.strip()

    e = error("plan", "Alpha", "A1")
    assert "same station" not in e and e.startswith("error: FROM 'Alpha") and " contains TO 'A1" in e, e
    assert e.endswith("(one of its stations); nothing to plan between them"), e
    e = error("plan", "A2", "Alpha")
    assert e.startswith("error: TO 'Alpha") and " contains FROM 'A2" in e, e
    e = error("commute", "A1", "Alpha")
    assert e.startswith("error: WORK 'Alpha") and " contains HOME 'A1" in e, e
    e = error("plan", "A1", "A1")
    assert e.startswith("error: FROM 'A1") and " and TO 'A1" in e and e.endswith("name the same station; nothing to plan")
    e = error("plan", "Alpha", "alpha")
    assert e.endswith("name the same place; nothing to plan"), e


def test_two_places_sharing_some_stations_are_said_to_overlap(city_feed, tmp_path):
    """Stops of {A1, A2} and of {A2, B} (no one place of the feed, but the check takes any
    two sets): they overlap in A2, which the error names."""
    from hbeu_transit.analysis.plan import check_apart

    feed, areas = city_feed
    net = hb.Network([feed], areas=areas, cache_dir=tmp_path / "cache")
    tt = net.timetable("2024-03-05")
    a1, a2, b = (list(net.stop_indices(s, tt)) for s in ("A1", "A2", "B"))
    with pytest.raises(InputError) as e:
        check_apart(tt, a1 + a2, a2 + b)
    assert str(e.value) == ("origin '2 stations' and destination '2 stations' overlap (both include 'A2'); "
                            "nothing to plan between them")
    check_apart(tt, a1, a2 + b)   # apart: no error
