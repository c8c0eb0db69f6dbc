"""Query dates outside the feeds' service dates, through the real CLI: one line naming the feeds'
range and exit 2; a --from/--to range partly outside is computed over the days the feeds cover,
and says so in the table title and the metadata (never an average over days with no data)."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli_batch

SAMPLE = str(ROOT / "tests" / "data" / "sample.zip")  # trips run 2007-01-01 … 2010-12-31
RANGE = "2007-01-01 … 2010-12-31"


def test_dates_outside_the_feed(tmp_path):
    f = ["--feed", SAMPLE]
    cmds = {
        "plan": ["plan", "STAGECOACH", "BEATTY_AIRPORT", *f, "--date", "2011-01-01"],
        "departures": ["departures", "STAGECOACH", *f, "--date", "2006-12-31"],
        "commute": ["commute", "STAGECOACH", "BEATTY_AIRPORT", *f, "--date", "2012-03-01"],
        "freq_date": ["freq", *f, "--date", "2011-01-01"],
        "circle": ["circle", "STAGECOACH", *f, "--date", "2011-01-01"],
        "coverage": ["coverage", *f, "--origin", "STAGECOACH", "--destination", "BEATTY_AIRPORT",
                     "--date", "2006-12-31", "--json"],
        "freq_range_out": ["freq", *f, "--from", "2011-01-01", "--to", "2011-02-01"],
        "graph": ["graph", *f, "--date", "2011-01-01", "-o", str(tmp_path / "g.graphml")],
        "info": ["info", *f, "--date", "2006-12-31"],
        "freq_partial": ["freq", *f, "--by", "hour", "--from", "2010-12-20", "--to", "2011-01-10",
                         "-o", str(tmp_path / "p.json")],
        "freq_partial_table": ["freq", *f, "--by", "hour", "--from", "2010-12-20", "--to", "2011-01-10"],
        "plan_inside": ["plan", "STAGECOACH", "BEATTY_AIRPORT", *f, "--date", "2010-12-31", "--json"],
        "circle_inside": ["circle", "STAGECOACH", *f, "--date", "2010-12-31", "--json"],
        "coverage_inside": ["coverage", *f, "--origin", "STAGECOACH", "--destination", "BEATTY_AIRPORT",
                            "--date", "2007-01-01", "--json"],
    }
    res = dict(zip(cmds, run_cli_batch(list(cmds.values()), cache=tmp_path / "c")))
    for key, opt, day in (("plan", "--date", "2011-01-01"), ("departures", "--date", "2006-12-31"),
                          ("commute", "--date", "2012-03-01"), ("freq_date", "--date", "2011-01-01"),
                          ("circle", "--date", "2011-01-01"), ("coverage", "--date", "2006-12-31"),
                          ("freq_range_out", "--from", "2011-01-01"), ("graph", "--date", "2011-01-01"),
                          ("info", "--date", "2006-12-31")):
        r = res[key]
        lines = r["stderr"].strip().splitlines()
        assert r["code"] == 2 and len(lines) == 1, (key, r["stderr"])
        assert lines[0].startswith(f"error: {opt} {day}") and f"outside the feeds' service dates {RANGE}" in lines[0]
        assert r["stdout"] == ""
    assert not (tmp_path / "g.graphml").exists()  # no empty graph written for a date with no data
    assert res["plan_inside"]["code"] == 0 and json.loads(res["plan_inside"]["stdout"])["journeys"]
    # the feed's first and last days are inside: the analyses run and reach the destination
    circle = json.loads(res["circle_inside"]["stdout"])
    assert res["circle_inside"]["code"] == 0 and circle["parameters"]["date"] == "2010-12-31"
    assert any(r["destination"] == "BEATTY_AIRPORT" and r["fastest_min"] for r in circle["pairs"]), circle["pairs"]
    cov = json.loads(res["coverage_inside"]["stdout"])
    assert res["coverage_inside"]["code"] == 0 and cov["parameters"]["date"] == "2007-01-01"
    assert [p["fastest_min"] is not None for p in cov["pairs"]] == [True], cov["pairs"]
    r = res["freq_partial"]
    assert r["code"] == 0, r["stderr"]
    meta = json.loads((tmp_path / "p.json").read_text())["metadata"]
    assert (meta["date_from"], meta["date_to"], meta["days"]) == ("2010-12-20", "2010-12-31", 12)
    assert (meta["requested_from"], meta["requested_to"]) == ("2010-12-20", "2011-01-10")
    assert "12 of the 22 days" in meta["coverage_note"]
    title = " ".join(res["freq_partial_table"]["stdout"].split())
    assert "only the days the feeds cover (asked 2010-12-20 … 2011-01-10)" in title
