"""`hbeu validate` through the real CLI: the canonical rules and the planner's checks, exit codes
0/1/2, the JSON schema, the HTML report, and the one-line warning of the other commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli_batch, run_hbeu

CORPUS = ROOT / "tests" / "broken_feeds"
SPEED = str(CORPUS / "48_bus_at_300_kmh.zip")
BACKWARDS = str(CORPUS / "47_time_backwards.zip")
LATIN1 = str(CORPUS / "30_latin1_file.zip")


def edited(src: str, dst: Path, **replace: tuple[str, str]) -> str:
    """A copy of the feed zip ``src`` with text replaced in some files (file stem -> (old, new))."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            text = zin.read(name).decode("utf-8")
            old, new = replace.get(Path(name).stem, ("", ""))
            assert old in text, (name, old)
            zout.writestr(name, text.replace(old, new, 1))
    return str(dst)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    feeds = tmp_path_factory.mktemp("feeds")
    # the AAMV route (one hour for ~270 km from the airport to the moved AMV) as rail: under rail's
    # 400 km/h; then AMV moved to ~460 km away: over it
    rail = "AAMV,DTA,50,Airport - Amargosa Valley,,2"
    rail_ok = edited(SPEED, feeds / "rail_270.zip", routes=("AAMV,DTA,50,Airport - Amargosa Valley,,3", rail))
    rail_fast = edited(SPEED, feeds / "rail_460.zip", routes=("AAMV,DTA,50,Airport - Amargosa Valley,,3", rail),
                       stops=("AMV,Amargosa Valley (Demo),,39.3,", "AMV,Amargosa Valley (Demo),,41.0,"))
    transfers = edited(SPEED, feeds / "transfers.zip", trips=("", ""))
    with zipfile.ZipFile(transfers, "a") as z:
        z.writestr("transfers.txt", "from_stop_id,to_stop_id,from_route_id,to_route_id,transfer_type\n"
                                    "GHOST_STOP,STAGECOACH,,,0\nSTAGECOACH,STAGECOACH,AB,GHOST_ROUTE,0\n")
    cmds = {
        "bundled": ["validate", "--date", "2026-12-02", "--json"],
        "speed_html": ["validate", SPEED, "--date", "2007-06-05", "-o", str(out / "speed.html")],
        "speed_json_file": ["validate", SPEED, "--date", "2007-06-05", "-o", str(out / "speed.json")],
        "speed_stdout": ["validate", SPEED, "--date", "2007-06-05", "-o", "-"],
        "unreadable": ["validate", LATIN1, "--json"],
        "bad_ext": ["validate", SPEED, "-o", str(out / "report.txt")],
        "no_folder": ["validate", SPEED, "-o", str(out / "missing" / "r.html")],
        "no_service_day": ["validate", BACKWARDS, "--date", "2030-01-01", "--json"],
        "freq_warns": ["freq", "--feed", BACKWARDS, "--date", "2007-06-05", "--format", "csv"],
        "info_warns": ["info", "--feed", SPEED, "--date", "2007-06-05", "--json"],
        "rail_270": ["validate", rail_ok, "--no-canonical", "--json"],
        "rail_460": ["validate", rail_fast, "--no-canonical", "--json"],
        "transfers": ["validate", transfers, "--no-canonical", "--json"],
    }
    got = run_cli_batch(list(cmds.values()), cache=tmp_path_factory.mktemp("cache"))
    return dict(zip(cmds, got)), out


def test_bundled_feeds_have_no_errors_and_the_canonical_rules_ran(runs):
    r = runs[0]["bundled"]
    assert r["code"] == 0, r["stderr"]
    doc = json.loads(r["stdout"])
    assert doc["canonical_validator"] and doc["counts"]["ERROR"] == 0 and doc["exit_code"] == 0
    assert {f.rsplit("/", 1)[-1] for f in doc["feeds"]} == {"hbeu-rail.zip", "hbeu-bus.zip"}
    codes = {n["code"] for n in doc["notices"]}
    assert "unexpected_enum_value" in codes  # the canonical rule on route_type 101/204 (README)
    hit = next(n for n in doc["notices"] if n["code"] == "unexpected_enum_value")
    assert hit["file"].endswith("/routes.txt") and hit["field"] == "route_type" and hit["value"] in ("101", "204")


def test_errors_exit_1_with_html_and_json_reports(runs):
    res, out = runs
    for key in ("speed_html", "speed_json_file", "speed_stdout"):
        assert res[key]["code"] == 1, res[key]["stderr"]
    html = (out / "speed.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "impossible_speed" in html and "AMV" in html
    doc = json.loads((out / "speed.json").read_text(encoding="utf-8"))
    assert doc == json.loads(res["speed_stdout"]["stdout"]) | {"notices": doc["notices"]}
    speed = [n for n in doc["notices"] if n["code"] == "impossible_speed"]
    assert speed and all(n["severity"] == "ERROR" and n["file"] == "48_bus_at_300_kmh/stop_times.txt" for n in speed)
    # the AAMV buses take 60 min for ~300 km: about 300 km/h against the bus limit of 150
    assert all(250 < float(n["value"].split()[0]) < 350 for n in speed)
    # one notice per hop, on the arriving stop's line: the four AAMV trips are data rows 20-27
    # (two stops each), so their second stops sit on lines 23, 25, 27 and 29
    assert sorted(n["row"] for n in speed) == [23, 25, 27, 29]


def test_rich_summary_counts_by_severity_then_rows(runs):
    r = runs[0]["speed_html"]
    assert "ERROR" in r["stdout"] and "impossible_speed" in r["stdout"] and "result: errors found" in r["stdout"]
    assert "wrote" in r["stderr"]


def test_unreadable_feed_exits_2_with_a_report_saying_why(runs):
    r = runs[0]["unreadable"]
    assert r["code"] == 2
    doc = json.loads(r["stdout"])
    assert [n["code"] for n in doc["notices"]] == ["hbeu_unreadable_feed"]
    assert "not UTF-8" in doc["notices"][0]["message"] and doc["notices"][0]["file"].endswith("stops.txt")


def test_bad_report_paths_are_one_line_errors_before_any_work(runs):
    res, out = runs
    for key, text in (("bad_ext", "cannot tell the format"), ("no_folder", "cannot write")):
        r = res[key]
        assert r["code"] == 2 and r["stdout"] == ""
        assert r["stderr"].count("\n") == 1 and r["stderr"].startswith("error: ") and text in r["stderr"]
    assert sorted(p.name for p in out.iterdir()) == ["speed.html", "speed.json"]
    # validate has no --format: the hint names only what the command takes (it said "or pass --format")
    assert ".html, .json" in res["bad_ext"]["stderr"] and "--format" not in res["bad_ext"]["stderr"]


def test_date_without_service_is_a_warning(runs):
    doc = json.loads(runs[0]["no_service_day"]["stdout"])
    assert any(n["code"] == "no_service_on_date" and n["severity"] == "WARNING" for n in doc["notices"])


def test_other_commands_warn_once_and_point_at_validate(runs):
    for key, code in (("freq_warns", "time_travels_backwards"), ("info_warns", "impossible_speed")):
        r = runs[0][key]
        assert r["code"] == 0, r["stderr"]
        lines = [ln for ln in r["stderr"].splitlines() if "hbeu validate" in ln]
        assert len(lines) == 1 and lines[0].startswith("warning: ") and code in lines[0]


def test_validate_in_its_own_process():
    r = run_hbeu("validate", SPEED, "--no-canonical", "--json")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert json.loads(r.stdout)["canonical_validator"] is None


def test_speed_limits_are_per_mode(runs):
    def speed(key):
        return [n for n in json.loads(runs[0][key]["stdout"])["notices"] if n["code"] == "impossible_speed"]

    assert runs[0]["rail_270"]["code"] == 0 and speed("rail_270") == []  # ~270 km/h is a train's speed
    fast = speed("rail_460")
    assert runs[0]["rail_460"]["code"] == 1 and len(fast) == 4, fast
    assert all(450 < float(n["value"].split()[0]) < 480 and "over the 400 km/h a rail can do" in n["message"]
               for n in fast)


def test_transfers_naming_unknown_stops_and_routes(runs):
    r = runs[0]["transfers"]
    got = sorted((n["row"], n["field"], n["value"]) for n in json.loads(r["stdout"])["notices"]
                 if n["code"] == "transfer_unknown_reference")
    assert r["code"] == 1 and got == [(2, "from_stop_id", "GHOST_STOP"), (3, "to_route_id", "GHOST_ROUTE")]


def test_without_the_canonical_validator_one_line_says_what_to_install(tmp_path):
    # a gtfs_validator that cannot be imported, ahead of the installed one
    (tmp_path / "gtfs_validator").mkdir()
    (tmp_path / "gtfs_validator" / "__init__.py").write_text('raise ImportError("not installed")\n')
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
           "HBEU_CACHE_DIR": str(tmp_path / "c")}
    r = subprocess.run([sys.executable, "-m", "hbeu_transit", "validate", SPEED], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [r.stderr.strip()] and "pip install gtfs-validator" in r.stderr
    r = subprocess.run([sys.executable, "-m", "hbeu_transit", "validate", SPEED, "--no-canonical", "--json"],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 1 and json.loads(r.stdout)["canonical_validator"] is None  # the planner's checks still run


@pytest.mark.parametrize("argv", [["plan", "STAGECOACH", "BEATTY_AIRPORT", "--json"],
                                  ["circle", "STAGECOACH", "--json"],
                                  ["coverage", "--origin", "STAGECOACH", "--destination", "BEATTY_AIRPORT", "--json"]])
def test_plan_and_the_analyses_warn_once_and_point_at_validate(tmp_path, argv):
    # a fresh cache: the warning comes when the feeds are read (warm caches do not read them again)
    r = run_hbeu(*argv, "--feed", BACKWARDS, "--date", "2007-06-05", cache=tmp_path / "c")
    assert r.returncode == 0 and json.loads(r.stdout), r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "hbeu validate" in ln]
    assert len(lines) == 1 and lines[0].startswith("warning: the feeds have 1 error(s)")
    assert "time_travels_backwards" in lines[0]


def test_canonical_notices_name_file_row_field_and_value(tmp_path):
    """Canonical notices whose record is not under filename/csvRowNumber/fieldName (a foreign key's
    child file and field, a duplicate key's new row and fieldName1, a rule about one file only)
    used to come out with an empty file/row/field: the report could not say where to look."""
    from hbeu_transit.feed.validate import canonical_notices

    sample = str(ROOT / "tests" / "data" / "sample.zip")
    # stop_times line 3 (STBA's second stop) names an unknown stop, and goes back in time;
    # stops line 11 repeats line 2's stop_id
    feed = edited(sample, tmp_path / "broken.zip",
                  stop_times=("STBA,6:20:00,6:20:00,BEATTY_AIRPORT", "STBA,5:20:00,5:20:00,NOWHERE_STOP"),
                  stops=("FUR_CREEK_RES,Furnace Creek Resort (Demo),,36.425288,-117.133162,,\n",
                         "FUR_CREEK_RES,Furnace Creek Resort (Demo),,36.425288,-117.133162,,\n"
                         "FUR_CREEK_RES,Again,,36.4,-117.1,,\n"))
    notices, _ = canonical_notices(Path(feed), "broken", None)
    where = {n.code: (n.file, n.row, n.field, n.value) for n in notices}
    assert where["foreign_key_violation"] == ("broken/stop_times.txt", 3, "stop_id", "NOWHERE_STOP")
    assert where["duplicate_key"] == ("broken/stops.txt", 3, "stop_id", "FUR_CREEK_RES")
    assert where["stop_time_with_arrival_before_previous_departure_time"][:2] == ("broken/stop_times.txt", 3)
    # a notice about a trip names the trip's row: STBA (line 4 of trips.txt) now 6 km in one minute
    fast_feed = edited(sample, tmp_path / "fast.zip",
                       stop_times=("STBA,6:20:00,6:20:00,BEATTY_AIRPORT", "STBA,6:01:00,6:01:00,BEATTY_AIRPORT"))
    fast = [n for n in canonical_notices(Path(fast_feed), "broken", None)[0]
            if n.code == "fast_travel_between_consecutive_stops"]
    assert fast and {(n.file, n.row) for n in fast} == {("broken/trips.txt", 4)}, fast


def test_an_expired_calendar_names_its_file(tmp_path):
    """expired_calendar gives a row but no file (its rule reads calendar.txt, or calendar_dates.txt
    when calendar.txt has no rows): the report showed row 2 of no file for the sample feed
    validated as of 2012 (as for cairns and caltrain as of a later date)."""
    from hbeu_transit.feed.validate import canonical_notices

    sample = str(ROOT / "tests" / "data" / "sample.zip")
    got = {(n.file, n.row) for n in canonical_notices(Path(sample), "sample", dt.date(2012, 1, 2))[0]
           if n.code == "expired_calendar"}
    assert got == {("sample/calendar.txt", 2), ("sample/calendar.txt", 3)}
    # no calendar.txt rows: the rule reports each service's first calendar_dates.txt row
    only_dates = edited(sample, tmp_path / "dates.zip",
                        calendar=("FULLW,1,1,1,1,1,1,1,20070101,20101231\nWE,0,0,0,0,0,1,1,20070101,20101231\n", ""),
                        calendar_dates=("FULLW,20070604,2", "FULLW,20070604,1\nWE,20070609,1"))
    got = {(n.file, n.row) for n in canonical_notices(Path(only_dates), "d", dt.date(2012, 1, 2))[0]
           if n.code == "expired_calendar"}
    assert got == {("d/calendar_dates.txt", 2), ("d/calendar_dates.txt", 3)}


def test_notices_whose_rule_reads_two_files_name_the_file_of_their_row(tmp_path):
    """Found by helper breaker3. Some canonical rules read two files and give only the row
    (csvRowNumber) of the one they report on: caltrain's two stops without a zone id showed as
    'row 64' and 'row 65' of no file. Here: station A (stops.txt line 2) has a stop time
    (location_with_unexpected_stop_time), stop C (stops.txt line 4) has no zone although the fare
    rules use zones (stop_without_zone_id), and trip T2 (trips.txt line 3) has no stop times
    (unused_trip, unusable_trip)."""
    from gtfs_factory import make_feed

    from hbeu_transit.feed.validate import canonical_notices

    feed = make_feed(tmp_path / "f", stops=[
        {"stop_id": "A", "stop_name": "Alpha", "stop_lat": 40.0, "stop_lon": 111.0, "location_type": 1,
         "zone_id": "Z1"},
        {"stop_id": "B", "stop_name": "Bravo", "stop_lat": 40.01, "stop_lon": 111.01, "zone_id": "Z1"},
        {"stop_id": "C", "stop_name": "Charlie", "stop_lat": 40.02, "stop_lon": 111.02}],
        stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00"),
                           ("C", "08:20:00", "08:20:00")]},
        trips=[{"trip_id": "T2"}],
        fare_attributes=[{"fare_id": "F", "price": "1.00", "currency_type": "EUR", "payment_method": 0,
                          "transfers": 0}],
        fare_rules=[{"fare_id": "F", "route_id": "R", "origin_id": "Z1"}])
    where = {n.code: (n.file, n.row) for n in canonical_notices(feed, "f", None)[0]}
    assert where["location_with_unexpected_stop_time"] == ("f/stops.txt", 2)
    assert where["stop_without_zone_id"] == ("f/stops.txt", 4)
    assert where["unused_trip"] == where["unusable_trip"] == ("f/trips.txt", 3)


def test_notices_that_give_their_row_under_other_names_name_file_and_row(tmp_path):
    """Found by helper breaker3. Canonical notices about two rows (a duplicate route name, two
    overlapping frequencies) or a range of rows (a trip's unsorted stop times) give them as
    csvRowNumber1/2, prev/currCsvRowNumber, start/endCsvRowNumber: the report showed neither file
    nor row (hart: 17 unsorted_stop_times). Now the file and the later row (as for a duplicate
    key), or the first of the range. Routes R and R9 (routes.txt lines 2, 3) share a name; T2's
    frequencies (lines 2, 3) overlap; T1's stop times are written sequence 2 then 1 (lines 2-3)."""
    from gtfs_factory import make_feed

    from hbeu_transit.feed.validate import canonical_notices

    feed = make_feed(
        tmp_path / "f", stops=[("A", 40.0, 111.0), ("B", 40.01, 111.01), ("C", 40.02, 111.02)],
        stop_times={"T1": [{"stop_id": "B", "arrival_time": "08:10:00", "departure_time": "08:10:00", "stop_sequence": 2},
                           {"stop_id": "A", "arrival_time": "08:00:00", "departure_time": "08:00:00", "stop_sequence": 1}],
                    "T2": [("A", "09:00:00", "09:00:00"), ("C", "09:20:00", "09:20:00")]},
        trips=[{"trip_id": "T2", "route_id": "R9"}],
        routes=[{"route_id": r, "agency_id": "A", "route_short_name": "1", "route_long_name": "Line", "route_type": 3}
                for r in ("R", "R9")],
        frequencies=[{"trip_id": "T2", "start_time": "06:00:00", "end_time": "08:00:00", "headway_secs": 600},
                     {"trip_id": "T2", "start_time": "07:00:00", "end_time": "09:00:00", "headway_secs": 600}])
    where = {n.code: (n.file, n.row) for n in canonical_notices(feed, "f", None)[0]}
    assert where["duplicate_route_name"] == ("f/routes.txt", 3)
    assert where["overlapping_frequency"] == ("f/frequencies.txt", 3)
    assert where["unsorted_stop_times"] == ("f/stop_times.txt", 2)


def test_the_planner_checks_run_once_per_feed_version(tmp_path, monkeypatch):
    """Reading a feed runs the planner's checks to warn that answers may be wrong; on hart they
    took ~19 s under load, more than reading the feed (~7 s), at every `hbeu info`. The verdict
    is kept in the cache under the feeds' digest: a later read of the same feed skips the checks
    and still warns (each read warns, as before); an edited feed is checked again."""
    import shutil
    import warnings

    import hbeu_transit as hb
    from hbeu_transit.errors import FeedWarning
    from hbeu_transit.feed import validate

    feed = tmp_path / "backwards.zip"
    shutil.copy(BACKWARDS, feed)

    def read() -> list[str]:
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            hb.Network([feed], cache_dir=tmp_path / "c").feed
        return [str(w.message) for w in got if issubclass(w.category, FeedWarning) and "hbeu validate" in str(w.message)]

    first = read()
    assert len(first) == 1 and "time_travels_backwards" in first[0]
    real = validate.planner_errors
    monkeypatch.setattr(validate, "planner_errors", lambda f: pytest.fail("checked again"))
    assert read() == first
    monkeypatch.setattr(validate, "planner_errors", real)
    sample = ROOT / "tests" / "data" / "sample.zip"
    shutil.copy(sample, feed)      # same path, other content: checked again, and sound
    assert read() == []
    monkeypatch.setattr(validate, "planner_errors", lambda f: pytest.fail("checked again"))
    assert read() == []
