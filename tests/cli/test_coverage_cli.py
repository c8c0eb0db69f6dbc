"""`hbeu coverage` input edges through the real CLI."""

from __future__ import annotations

from conftest import ROOT, run_cli_batch

SAMPLE = str(ROOT / "tests" / "data" / "sample.zip")


def test_origins_equal_to_destinations_leave_no_pair_and_say_so(tmp_path):
    """--origin X --destination X has no ordered pair (a place is never paired with itself): it
    printed "0 of 0 ordered pairs" and wrote an empty table with exit 0, as if it had measured."""
    f = ["--feed", SAMPLE, "--date", "2007-06-05", "--window", "07:00-08:00"]
    out = tmp_path / "pairs.csv"
    same, two = run_cli_batch([["coverage", *f, "--origin", "STAGECOACH", "--destination", "STAGECOACH", "-o", str(out)],
                               ["coverage", *f, "--origin", "STAGECOACH", "--destination", "STAGECOACH,BEATTY_AIRPORT",
                                "--json"]], cache=tmp_path / "cache")
    lines = same["stderr"].strip().splitlines()
    assert same["code"] == 2 and len(lines) == 1 and lines[0].startswith("error: "), same
    assert "--origin" in lines[0] and "--destination" in lines[0] and "stagecoach" in lines[0].lower()
    assert same["stdout"] == "" and list(tmp_path.glob("pairs*")) == []
    assert two["code"] == 0, two  # one other destination: one pair
    import json

    pairs = json.loads(two["stdout"])["pairs"]
    assert len(pairs) == 1 and "Airport" in pairs[0]["destination_name"], pairs


def test_exports_carry_the_published_names_and_english_beside_them(tmp_path):
    """The pairs named places by their English label only ("origin_name": "Baotou"), so an export
    for a Chinese reader had no 包头 at all and --lang changed nothing in it. They now carry the
    published name and the English one beside it (as circle's destination_name/_en), in the
    JSON, the files and the before/after comparison."""
    import json

    import pandas as pd

    f = ["--date", "2026-12-02", "--window", "07:00-08:00", "--origin", "Baotou", "--destination", "Hohhot"]
    res = run_cli_batch([["coverage", *f, "--json"], ["coverage", *f, "-o", str(tmp_path / "c.csv")],
                         ["coverage", *f, "--compare", "hohhot-baotou-hsr", "-o", str(tmp_path / "d.csv")]],
                        cache=tmp_path / "cache")
    assert [r["code"] for r in res] == [0, 0, 0], res
    pair = json.loads(res[0]["stdout"])["pairs"][0]
    want = {"origin": "Baotou", "destination": "Hohhot", "origin_name": "包头", "origin_name_en": "Baotou",
            "destination_name": "呼和浩特", "destination_name_en": "Hohhot"}
    assert {k: pair.get(k) for k in want} == want
    for name in ("c.csv", "d.csv"):
        row = pd.read_csv(tmp_path / name).iloc[0]
        assert {k: row[k] for k in want} == want, name


def test_a_place_named_twice_is_one_origin(tmp_path):
    """--origin Baotou,包头,baotou names one city three ways: one origin, so two pairs with
    Hohhot and Ordos, not six."""
    import json

    f = ["--date", "2026-12-02", "--window", "07:00-08:00", "--destination", "Hohhot,Ordos", "--json"]
    once, thrice = run_cli_batch([["coverage", *f, "--origin", "Baotou"],
                                  ["coverage", *f, "--origin", "Baotou,包头,baotou"]], cache=tmp_path / "cache")
    assert once["code"] == thrice["code"] == 0, (once, thrice)
    pairs = json.loads(thrice["stdout"])["pairs"]
    assert [(p["origin"], p["destination"]) for p in pairs] == [("Baotou", "Hohhot"), ("Baotou", "Ordos")]
    assert pairs == json.loads(once["stdout"])["pairs"]


def test_circle_names_a_destination_in_english_as_coverage_does(tmp_path):
    """A feed published in English without translations.txt (the Google sample): coverage gave
    each destination its published name as the English one, circle --json left
    destination_name_en null for the same places (and named their areas in English anyway)."""
    import json

    f = ["--feed", SAMPLE, "--date", "2007-06-05", "--window", "07:00-09:00", "--json"]
    circle, cov = run_cli_batch([["circle", "STAGECOACH", *f], ["coverage", "--origin", "STAGECOACH", *f]],
                                cache=tmp_path / "cache")
    assert circle["code"] == cov["code"] == 0, (circle, cov)
    english = {p["destination_name"]: p["destination_name_en"] for p in json.loads(cov["stdout"])["pairs"]}
    rows = {r["destination"]: r for r in json.loads(circle["stdout"])["pairs"]}
    assert rows["BEATTY_AIRPORT"]["destination_name_en"] == "Nye County Airport (Demo)"
    assert english["Nye County Airport (Demo)"] == "Nye County Airport (Demo)"
    for r in rows.values():
        assert r["destination_name_en"] == english[r["destination_name"]], r


def test_a_city_given_as_one_station_lists_its_stations(tmp_path):
    """coverage --by station --origin Baotou (a city, and also the name of its station 包头 Baotou)
    stopped with "is not one station (...); name one station" and named none of them, so the
    planner could not tell how to ask for the station Baotou: the line now lists the city's
    stations with their ids (found by helper breaker5). The id it lists works."""
    f = ["--date", "2026-12-02", "--window", "07:00-08:00", "--by", "station", "--destination", "BTD", "--json"]
    city, station = run_cli_batch([["coverage", *f, "--origin", "Baotou"], ["coverage", *f, "--origin", "BTO"]],
                                  cache=tmp_path / "cache")
    lines = city["stderr"].strip().splitlines()
    assert city["code"] == 2 and len(lines) == 1 and lines[0].startswith("error: --origin 'Baotou'"), city
    assert "包头 Baotou [BTO]" in lines[0] and "包头东 Baotou East [BTD]" in lines[0], lines[0]
    assert station["code"] == 0, station


def test_circle_and_coverage_exports_follow_lang_as_freq_does(tmp_path):
    """--lang picks the export columns (README: "`both` keeps a `<name>_en` column beside each name
    column"), and freq's files do so; circle's and coverage's files and --json kept both names
    whatever --lang said and did not record it, so an English export still led with 包头 and the
    circle's origin column read "包头 Baotou (any of 5 stations)" (found by helper breaker5)."""
    import json

    import pandas as pd

    c = ["circle", "Baotou", "--date", "2026-12-02", "--window", "07:00-08:00", "--by", "area"]
    v = ["coverage", "--date", "2026-12-02", "--window", "07:00-08:00", "--origin", "Baotou", "--destination", "Hohhot"]
    runs = [[*c, "--lang", "en", "-o", str(tmp_path / "c-en.csv")], [*c, "--lang", "zh", "--json"],
            [*c, "-o", str(tmp_path / "c-both.csv")], [*v, "--lang", "en", "-o", str(tmp_path / "v-en.csv")],
            [*v, "--lang", "zh", "--json"], [*v, "--json"], [*v, "--lang", "en", "--json"]]
    res = run_cli_batch(runs, cache=tmp_path / "cache")
    assert [r["code"] for r in res] == [0] * len(runs), res
    en = pd.read_csv(tmp_path / "c-en.csv")
    assert "destination_name_en" not in en.columns and "area_en" not in en.columns
    assert "Hohhot" in set(en["destination_name"]) and set(en["origin"]) == {"Baotou (any of 5 stations)"}
    assert json.loads((tmp_path / "c-en.csv.meta.json").read_text())["lang"] == "en"
    zh = json.loads(res[1]["stdout"])
    assert "呼和浩特" in {p["destination_name"] for p in zh["pairs"]} and "destination_name_en" not in zh["pairs"][0]
    assert zh["pairs"][0]["origin"].startswith("包头") and "Baotou" not in zh["pairs"][0]["origin"]
    both = pd.read_csv(tmp_path / "c-both.csv")
    assert {"destination_name", "destination_name_en", "area", "area_en"} <= set(both.columns)
    row = pd.read_csv(tmp_path / "v-en.csv").iloc[0]
    assert (row["origin_name"], row["destination_name"]) == ("Baotou", "Hohhot") and "origin_name_en" not in row
    pair = json.loads(res[4]["stdout"])["pairs"][0]
    assert (pair["origin_name"], pair["destination_name"]) == ("包头", "呼和浩特") and "origin_name_en" not in pair
    assert json.loads(res[4]["stdout"])["metadata"]["lang"] == "zh"
    pair = json.loads(res[5]["stdout"])["pairs"][0]
    assert (pair["origin_name"], pair["origin_name_en"]) == ("包头", "Baotou")
    pair = json.loads(res[6]["stdout"])["pairs"][0]
    assert (pair["origin_name"], pair["destination_name"]) == ("Baotou", "Hohhot") and "origin_name_en" not in pair


def test_circle_from_an_origin_without_service_that_day_says_so(tmp_path):
    """Amargosa Valley (AMV) is served on weekends only. On a Tuesday circle printed "0 of 8
    stations" with every measure missing and no note, as if the network were that slow; the
    date's other trips run, so the feeds' "no trips on DATE" note did not come either. It now
    says no journey leaves the origin in the window (found by helper breaker5)."""
    import json

    f = ["circle", "AMV", "--feed", SAMPLE, "--window", "06:00-22:00", "--json"]
    tue, sat = run_cli_batch([[*f, "--date", "2007-06-05"], [*f, "--date", "2007-06-02"]], cache=tmp_path / "cache")
    assert tue["code"] == sat["code"] == 0, (tue, sat)
    doc = json.loads(tue["stdout"])
    assert all(p["fastest_min"] is None for p in doc["pairs"]) and len(doc["pairs"]) > 1
    assert any("no journey leaves" in n and "Amargosa Valley" in n and "06:00-22:00" in n for n in doc["notes"]), doc["notes"]
    assert "no journey leaves" in tue["stderr"]
    doc = json.loads(sat["stdout"])
    assert any(p["fastest_min"] is not None for p in doc["pairs"]) and not doc["notes"], doc["notes"]
