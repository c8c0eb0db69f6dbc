"""Every table `hbeu circle` and `hbeu coverage` (and `coverage --compare`) export says where it came
from, as `hbeu freq`'s exports do: the feeds (name, file, sha256, feed_version, publisher, dates),
`generated_at` in the feeds' timezone with its offset, the versions, and what the command measured.

They carried only the parameters (files) or nothing at all (--json): an analyst holding a
coverage CSV could not tell which feed, which version of it, or when it was made."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, TEST_DATA, pin_now, run_cli_in_probe, run_main
from hbeu_transit import export as ex

BUNDLED = [ROOT / "data" / "gtfs" / "hbeu-bus.zip", ROOT / "data" / "gtfs" / "hbeu-rail.zip"]
NOW = "2026-12-09T08:30:05"          # "now", pinned, in whatever timezone the feed has
ASK = ["--date", "2026-12-02", "--window", "07:00-08:00", "--origin", "Baotou", "--destination", "Hohhot"]
FILES = ("csv", "parquet", "xlsx", "md", "json")


def feed_records(paths: list[Path]) -> list[dict]:
    """What the metadata should say of each feed, read here from the zips themselves."""
    out = []
    for p in paths:
        with zipfile.ZipFile(p) as z:
            rows = list(csv.DictReader(io.StringIO(z.read("feed_info.txt").decode("utf-8-sig"))))
        info = rows[0] if rows else {}        # the sample feed's feed_info.txt has a header only
        out.append({"name": p.stem, "file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                    "feed_version": info.get("feed_version") or None, "publisher": info.get("feed_publisher_name") or None,
                    "start_date": info.get("feed_start_date") or None, "end_date": info.get("feed_end_date") or None})
    return sorted(out, key=lambda r: r["file"])


def feeds_of(meta: dict) -> list[dict]:
    keys = ("name", "file", "sha256", "feed_version", "publisher", "start_date", "end_date")
    return sorted(({k: f[k] for k in keys} for f in meta["feeds"]), key=lambda r: r["file"])


def check(meta: dict, tool: str, feeds: list[Path] = BUNDLED, offset: str = "+08:00") -> None:
    assert meta["tool"] == tool
    assert feeds_of(meta) == feed_records(feeds)
    assert meta["generated_at"] == NOW + offset
    assert meta["versions"]["hbeu-transit"] and meta["versions"]["pandas"]


@pytest.fixture
def hbeu(tmp_path_factory, monkeypatch, capsys):
    """``hbeu ARGS`` in-process, "now" pinned, one cache for the module's runs."""
    cache = Path(tmp_path_factory.getbasetemp()) / "provenance-cache"
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    monkeypatch.setenv("COLUMNS", "160")
    pin_now(monkeypatch, NOW)

    def run(*args: str) -> str:
        code, out, err = run_main(list(args), monkeypatch, capsys)
        assert code == 0, err
        return out

    return run


def read_back(path: Path) -> dict:
    """The metadata of an export, read as a user would find it."""
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))["metadata"]
    if path.suffix == ".csv":
        return json.loads(Path(f"{path}.meta.json").read_text(encoding="utf-8"))
    return ex.read_table(path)[1]


def test_coverage_files_and_json_carry_the_record(hbeu, tmp_path):
    for fmt in FILES:
        hbeu("coverage", *ASK, "-o", str(tmp_path / f"c.{fmt}"))
        meta = read_back(tmp_path / f"c.{fmt}")
        check(meta, "hbeu coverage")
        assert (meta["date"], meta["window"], meta["within"], meta["modes"]) == ("2026-12-02", "07:00-08:00", 60.0, ["rail"])
        assert meta["filters"] == {"origin": ["Baotou"], "destination": ["Hohhot"]}, fmt
    doc = json.loads(hbeu("coverage", *ASK, "--json"))
    assert list(doc) == ["parameters", "headline", "notes", "pairs", "metadata"]     # the documented keys kept
    check(doc["metadata"], "hbeu coverage")
    (tmp_path / "stdout.md").write_text(hbeu("coverage", *ASK, "--format", "md"), encoding="utf-8")
    check(read_back(tmp_path / "stdout.md"), "hbeu coverage")


def test_coverage_compare_files_and_json_carry_the_record(hbeu, tmp_path):
    for fmt in FILES:
        hbeu("coverage", *ASK, "--compare", "hohhot-baotou-hsr", "-o", str(tmp_path / f"d.{fmt}"))
        meta = read_back(tmp_path / f"d.{fmt}")
        check(meta, "hbeu coverage --compare")     # the feeds compared against: the inputs
        assert meta["scenarios"] == ["hohhot-baotou-hsr"] and meta["date"] == "2026-12-02", fmt
    doc = json.loads(hbeu("coverage", *ASK, "--compare", "hohhot-baotou-hsr", "--json"))
    assert list(doc) == ["parameters", "notes", "summary", "pairs", "metadata"]
    check(doc["metadata"], "hbeu coverage --compare")


def test_circle_json_carries_the_record(hbeu):
    doc = json.loads(hbeu("circle", "Baotou", "--date", "2026-12-02", "--window", "07:00-08:00", "--by", "area",
                          "--json"))
    assert list(doc) == ["parameters", "notes", "pairs", "metadata"]
    meta = doc["metadata"]
    check(meta, "hbeu circle")
    assert meta["origin"]["query"] == "Baotou" and (meta["by"], meta["step_min"]) == ("area", 1.0)


CIRCLE = ["circle", "Baotou", "--date", "2026-12-02", "--window", "07:00-09:00"]


def _plain(v):
    """A cell as read back (numpy scalar, NaN, openpyxl's None) as the JSON value it stands for."""
    if hasattr(v, "item"):
        v = v.item()
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def rows_read_back(path: Path) -> tuple[list[str], list[list]]:
    """(columns, rows) of a circle export, read with pandas (csv, parquet, md) or openpyxl (xlsx)."""
    import pandas as pd

    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        assert wb.sheetnames == ["circle", "metadata"]                    # not freq's "frequency"
        head, *body = wb["circle"].iter_rows(values_only=True)
        wb.close()
        return list(head), [list(r) for r in body]
    if path.suffix == ".csv":
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    elif path.suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        assert path.read_text(encoding="utf-8").splitlines()[1] == "# hbeu circle"
        df = ex.read_table(path)[0]
    return list(df.columns), [list(r) for r in df.itertuples(index=False, name=None)]


def test_circle_files_are_its_json_rows_with_the_record(hbeu, tmp_path):
    """`hbeu circle -o FILE` writes every destination (not only the --rows of the table), the
    rows and columns of --json, in each export format, with the record --json carries; the
    terminal still gets the table it gets without -o, not the file's text (found by helper mut2:
    mutant table-csv-printed-with-file)."""
    doc = json.loads(hbeu(*CIRCLE, "--json"))
    pairs = doc["pairs"]
    assert len(pairs) > 10 and any(v is None for r in pairs for v in r.values())   # missing values too
    table = hbeu(*CIRCLE, "--rows", "3")
    for fmt in FILES:
        path = tmp_path / f"circle.{fmt}"
        assert hbeu(*CIRCLE, "-o", str(path), "--rows", "3") == table, fmt
        meta = read_back(path)
        check(meta, "hbeu circle")
        if fmt == "json":
            assert json.loads(path.read_text(encoding="utf-8")) == doc, fmt      # the --json document itself
            continue
        assert {k: v for k, v in meta.items() if k not in ("columns", "rows")} == doc["metadata"], fmt
        assert meta["rows"] == len(pairs) and list(meta["columns"]) == list(pairs[0]), fmt
        cols, rows = rows_read_back(path)
        assert cols == list(pairs[0]), fmt
        got = [{c: _plain(v) for c, v in zip(cols, r)} for r in rows]
        assert got == pairs, fmt


def test_circle_format_on_standard_output(hbeu, tmp_path):
    """`--format csv|md` print the file's text; `--format csv -o -` is the same CSV."""
    (tmp_path / "c.csv").write_text(hbeu(*CIRCLE, "--format", "csv"), encoding="utf-8")
    (tmp_path / "d.csv").write_text(hbeu(*CIRCLE, "--format", "csv", "-o", "-"), encoding="utf-8")
    pairs = json.loads(hbeu(*CIRCLE, "--json"))["pairs"]
    for name in ("c.csv", "d.csv"):
        cols, rows = rows_read_back(tmp_path / name)
        assert [{c: _plain(v) for c, v in zip(cols, r)} for r in rows] == pairs, name
    (tmp_path / "c.md").write_text(hbeu(*CIRCLE, "--format", "md"), encoding="utf-8")
    check(read_back(tmp_path / "c.md"), "hbeu circle")


def test_the_record_follows_the_feed_and_its_timezone(hbeu, tmp_path):
    """On another feed the record names that feed, and the time is on its clock (Los Angeles:
    -08:00 in December), for circle and coverage alike."""
    sample = TEST_DATA / "sample.zip"
    f = ["--feed", str(sample), "--date", "2007-06-05", "--window", "07:00-08:00"]
    hbeu("coverage", *f, "--by", "station", "-o", str(tmp_path / "s.csv"))
    check(read_back(tmp_path / "s.csv"), "hbeu coverage", [sample], "-08:00")
    check(json.loads(hbeu("circle", "STAGECOACH", *f, "--json"))["metadata"], "hbeu circle", [sample], "-08:00")


def test_a_warm_coverage_names_its_feeds_without_reading_them(tmp_path):
    """The feeds' records come from the place index: a warm --json run still imports no pandas
    (which reading a feed needs)."""
    env = {"HBEU_CACHE_DIR": str(tmp_path / "cache")}
    args = ["coverage", *ASK, "--json"]
    run_cli_in_probe(args, env=env)                      # warm the cache
    r, heavy = run_cli_in_probe(args, env=env)
    assert r.returncode == 0, r.stderr
    assert heavy == [], heavy
    assert feeds_of(json.loads(r.stdout)["metadata"]) == feed_records(BUNDLED)


def scenario_record(path: Path) -> dict:
    """What the metadata should say of a scenario file, read here from the file itself."""
    return {"name": path.stem, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


HSR = ROOT / "data" / "scenarios" / "hohhot-baotou-hsr.toml"


def test_a_scenario_run_names_the_feeds_and_the_scenarios_it_ran_on(hbeu, tmp_path):
    """A run on a scenario's feeds names the feeds the scenarios were applied to, as a run without
    them would, and each scenario (name, file, sha256), freq's as coverage's and circle's: the
    scenario's cached zip, all they named before, said neither which feeds nor which file made it."""
    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\ndescription = "changes nothing"\n', encoding="utf-8")
    both = [scenario_record(HSR), scenario_record(mine)]
    scen = ["--scenario", "hohhot-baotou-hsr", "--scenario", str(mine)]
    hbeu("coverage", *ASK, *scen, "-o", str(tmp_path / "c.csv"))
    hbeu("freq", "--date", "2026-12-02", *scen, "-o", str(tmp_path / "f.csv"))
    metas = [read_back(tmp_path / "c.csv"), read_back(tmp_path / "f.csv"),
             json.loads(hbeu("circle", "Baotou", "--date", "2026-12-02", *scen, "--json"))["metadata"]]
    for meta in metas:
        assert feeds_of(meta) == feed_records(BUNDLED), meta["tool"]
        assert meta["filters"]["scenarios"] == both, meta["tool"]


def test_a_scenario_on_a_scenario_names_the_first_feeds(tmp_path):
    """``with_scenario`` of a scenario's network: the feeds named are still the inputs, and the
    scenarios both, in order; a scenario zip cached before its feeds were recorded gets the record
    once, without being rewritten (its timetables stay valid)."""
    from hbeu_transit import Network

    net = Network(cache_dir=tmp_path).with_scenario(str(HSR)).with_scenario({"name": "empty"})
    meta = net.circle_result("Baotou", date="2026-12-02", window="07:00-08:00").metadata
    assert feeds_of(meta) == feed_records(BUNDLED)
    assert meta["filters"]["scenarios"] == [scenario_record(HSR), {"name": "empty", "file": None, "sha256": None}]

    (zip_,) = Network(cache_dir=tmp_path, scenarios=[str(HSR)]).paths
    before = zip_.stat()
    for record in zip_.parent.glob("*.feeds.json"):
        record.unlink()
    again = Network(cache_dir=tmp_path, scenarios=[str(HSR)])
    after = zip_.stat()
    assert again.paths == [zip_] and (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert feeds_of(again.circle_result("Baotou", date="2026-12-02", window="07:00-08:00").metadata) == \
        feed_records(BUNDLED)


def test_a_warm_scenario_run_names_its_feeds_without_reading_them(tmp_path):
    env = {"HBEU_CACHE_DIR": str(tmp_path / "cache")}
    args = ["coverage", *ASK, "--scenario", "hohhot-baotou-hsr", "--json"]
    run_cli_in_probe(args, env=env)                      # warm the cache
    r, heavy = run_cli_in_probe(args, env=env)
    assert r.returncode == 0, r.stderr
    assert heavy == [], heavy
    meta = json.loads(r.stdout)["metadata"]
    assert feeds_of(meta) == feed_records(BUNDLED) and meta["filters"]["scenarios"] == [scenario_record(HSR)]


def read_only_cache(monkeypatch, cache: Path) -> None:
    """Writes under ``cache`` fail as on a read-only file system (the tests run as root, whom
    chmod does not stop)."""
    import errno

    from hbeu_transit import atomic

    real = atomic.write_bytes_atomic

    def refuse(path, *args, **kwargs):
        if Path(cache).resolve() in Path(path).resolve().parents:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(atomic, "write_bytes_atomic", refuse)


def test_a_read_only_cache_with_an_older_scenario_zip_still_runs(tmp_path, monkeypatch, capsys):
    """A scenario zip cached before its feeds were recorded, in a cache that is now read-only:
    the run goes on (its export names the scenario's zip, as before the record), no traceback
    from the record it cannot write. Found by helper breaker."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    args = ["circle", "Baotou", "--date", "2026-12-02", "--window", "07:00-08:00", "--scenario", "hohhot-baotou-hsr"]
    code, _, err = run_main([*args, "--json"], monkeypatch, capsys)
    assert code == 0, err
    (record,) = cache.glob("scenarios/*/*.feeds.json")
    record.unlink()                                    # as an older version left it
    read_only_cache(monkeypatch, cache)
    code, _, err = run_main([*args, "-o", str(tmp_path / "c.csv")], monkeypatch, capsys)
    assert code == 0 and "Traceback" not in err, err
    meta = read_back(tmp_path / "c.csv")
    assert meta["filters"]["scenarios"] == [scenario_record(HSR)]
    assert [f["file"] for f in meta["feeds"]] == ["hohhot-baotou-hsr.zip"]
    assert not record.exists()


def test_a_read_only_cache_without_the_scenario_zip_is_one_line(tmp_path, monkeypatch, capsys):
    """The scenario's feed cannot be written into a read-only cache: one line naming the folder
    and --cache-dir, exit 2, no traceback, no output. Found by helper breaker."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    read_only_cache(monkeypatch, cache)
    code, out, err = run_main(["circle", "Baotou", "--date", "2026-12-02", "--scenario", "hohhot-baotou-hsr",
                               "-o", str(tmp_path / "c.csv")], monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err, err
    (line,) = err.strip().splitlines()
    assert line.startswith("error: cannot write the scenarios' feed into the cache folder")
    assert str(cache / "scenarios") in line and "Read-only file system" in line and "--cache-dir" in line
    assert not (tmp_path / "c.csv").exists() and out == ""


def test_a_cached_scenario_zip_given_as_the_feed_keeps_its_scenarios(tmp_path):
    """`--feed <cache>/scenarios/.../hohhot-baotou-hsr.zip --scenario mine`: the exports named the
    feeds under that zip but only "mine", as if the HSR were not in the timetable measured. They
    name every scenario between the feeds named and the run, in order, as ``with_scenario`` does.
    Found by helper breaker."""
    from hbeu_transit import Network

    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\ndescription = "changes nothing"\n', encoding="utf-8")
    (hsr_zip,) = Network(cache_dir=tmp_path, scenarios=[str(HSR)]).paths
    ask = dict(date="2026-12-02", window="07:00-08:00")
    for net in (Network([hsr_zip], cache_dir=tmp_path, scenarios=[str(mine)]),        # the zip as the feed
                Network(cache_dir=tmp_path).with_scenario(str(HSR)).with_scenario(str(mine))):
        meta = net.circle_result("Baotou", **ask).metadata
        assert feeds_of(meta) == feed_records(BUNDLED)
        assert meta["filters"]["scenarios"] == [scenario_record(HSR), scenario_record(mine)]


def test_a_compare_names_each_compared_scenario_file(hbeu, tmp_path):
    """`coverage --compare` named its "after" scenarios by name only (`"scenarios": [...]`), not the
    file and sha256 that a --scenario run's record gives since today: the record names them under
    ``filters.compare``, in order, the same way. Found by helper breaker."""
    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\ndescription = "changes nothing"\n', encoding="utf-8")
    for fmt in ("csv", "json"):
        hbeu("coverage", *ASK, "--compare", "hohhot-baotou-hsr", "--compare", str(mine), "-o", str(tmp_path / f"d.{fmt}"))
        meta = read_back(tmp_path / f"d.{fmt}")
        assert meta["filters"]["compare"] == [scenario_record(HSR), scenario_record(mine)], fmt
        assert "scenarios" not in meta["filters"], fmt            # the before side ran on the plain feeds


def test_a_scenario_record_names_the_files_it_includes(tmp_path):
    """A scenario that includes others was named by its own file's sha256 only, which stays the
    same when an included file is edited: two runs of different timetables, one record. The record
    names every included file (at any depth, in order) with its sha256. Found by helper breaker."""
    from hbeu_transit import Network

    extra = tmp_path / "extra.toml"
    extra.write_text('name = "extra"\ninclude = ["hohhot-baotou-hsr"]\n', encoding="utf-8")
    plan = tmp_path / "plan.toml"
    plan.write_text('name = "plan"\ninclude = ["extra.toml"]\n', encoding="utf-8")
    meta = Network(cache_dir=tmp_path / "cache", scenarios=[str(plan)]).circle_result(
        "Baotou", date="2026-12-02", window="07:00-08:00").metadata
    includes = [{k: r[k] for k in ("file", "sha256")} for r in (scenario_record(extra), scenario_record(HSR))]
    assert meta["filters"]["scenarios"] == [{**scenario_record(plan), "includes": includes}]


def test_a_scenario_zip_of_a_scenario_zip_keeps_every_scenario_in_order(tmp_path):
    """Scenarios stacked through the cache three deep (`--feed` a cached scenario zip that was
    itself built on one): the record names the bottom feeds and every scenario in the order they
    were applied. Found by helper mut2 (mutant scenario-chain-reversed: the middle zip recorded
    its own scenario before the one under it)."""
    from hbeu_transit import Network

    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\ndescription = "changes nothing"\n', encoding="utf-8")
    (hsr_zip,) = Network(cache_dir=tmp_path, scenarios=[str(HSR)]).paths
    (both_zip,) = Network([hsr_zip], cache_dir=tmp_path, scenarios=[str(mine)]).paths
    net = Network([both_zip], cache_dir=tmp_path, scenarios=[{"name": "empty"}])
    meta = net.circle_result("Baotou", date="2026-12-02", window="07:00-08:00").metadata
    assert feeds_of(meta) == feed_records(BUNDLED)
    assert meta["filters"]["scenarios"] == [scenario_record(HSR), scenario_record(mine),
                                            {"name": "empty", "file": None, "sha256": None}]


def test_a_compare_on_a_scenario_network_names_only_the_compared_scenarios(tmp_path):
    """`coverage --scenario A --compare B`: ``filters.compare`` names B alone (the after side's
    own scenarios), ``filters.scenarios`` A (both sides ran on it). Found by helper mut2 (mutant
    network-compare-names-base-scenarios: compare listed A too)."""
    from hbeu_transit import Network

    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\ndescription = "changes nothing"\n', encoding="utf-8")
    net = Network(cache_dir=tmp_path / "cache", scenarios=[str(HSR)])
    meta = net.compare_coverage(str(mine), origins="Baotou", destinations="Hohhot", date="2026-12-02",
                                window="07:00-08:00").metadata
    assert meta["filters"]["compare"] == [scenario_record(mine)]
    assert meta["filters"]["scenarios"] == [scenario_record(HSR)]


def test_freq_records_the_timezone_its_times_are_on(hbeu, tmp_path):
    """circle's and coverage's records name the feeds' timezone ("timezone", beside their
    date); freq's carried times on that clock (generated_at, the window, a calendar-clock
    count) and named none. Sample feed: America/Los_Angeles (its agency.txt), bundled: Asia/Shanghai."""
    sample = TEST_DATA / "sample.zip"
    f = ["--feed", str(sample), "--date", "2007-06-05", "--window", "07:00-08:00"]
    circle = json.loads(hbeu("circle", "STAGECOACH", *f, "--json"))["metadata"]
    freq = json.loads(hbeu("freq", *f, "--json"))["metadata"]
    assert freq["timezone"] == circle["timezone"] == "America/Los_Angeles"
    check(freq, "hbeu freq", [sample], "-08:00")
    hbeu("freq", "--date", "2026-12-09", "-o", str(tmp_path / "f.csv"))
    assert read_back(tmp_path / "f.csv")["timezone"] == "Asia/Shanghai"
