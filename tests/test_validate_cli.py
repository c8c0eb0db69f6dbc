"""`hbeu validate` through the real CLI: the canonical rules and the planner's checks, exit codes
0/1/2, the JSON schema, the HTML report, and the one-line warning of the other commands."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli_batch, run_hbeu

CORPUS = ROOT / "tests" / "broken_feeds"
SPEED = str(CORPUS / "48_bus_at_300_kmh.zip")
BACKWARDS = str(CORPUS / "47_time_backwards.zip")
LATIN1 = str(CORPUS / "30_latin1_file.zip")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
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
