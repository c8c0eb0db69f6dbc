"""Issue 12, tables and language: every table fits 80/100/160 columns (a column is dropped in its
stated priority and named in a footnote, never squeezed to nothing or truncated with "…"), and
``--lang zh|en|both`` shows the same names the same way in every command (table cells, titles,
info's agency names, the coverage --compare summary). Run through the CLI on
the bundled regional feed (bilingual names), with fixed dates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_main
from rich.cells import cell_len

DAY = "2026-12-09"
WIDTHS = (80, 100, 160)

W = ["--window", "07:00-09:00"]
#: every table-printing command (and its table shapes), on fixed dates
TABLES = {
    "plan": ["plan", "包头", "呼和浩特", "--date", DAY, "--depart", "07:40", "--window", "1h"],
    "plan_bus": ["plan", "集宁汽车站", "Baotou", "--modes", "rail,bus", "--date", DAY, "--num", "1"],
    # the station's board (the city's lists trips leaving Baotou only, from its first station, 包头)
    "departures": ["departures", "包头东", "--date", DAY, "--from", "07:00", "--to", "07:40"],
    "commute": ["commute", "Baotou", "Hohhot East", "--days", "2", "--date", DAY],
    "stations": ["stations", "Baotou"],
    "freq_route": ["freq", "--by", "route", "--date", DAY, "--rows", "8"],
    "freq_od": ["freq", "--by", "od", "--date", DAY, "--origin", "Hohhot"],
    "freq_od_stations": ["freq", "--by", "od", "--stations", "--date", DAY, "--rows", "8"],
    "freq_stop": ["freq", "--by", "stop", "--date", DAY, "--rows", "8"],
    "freq_hour": ["freq", "--by", "hour", "--date", DAY, "--rows", "6"],
    "freq_range": ["freq", "--by", "od", "--from", DAY, "--to", "2026-12-13", "--origin", "Baotou"],
    "circle": ["circle", "呼和浩特", "--date", DAY, *W, "--rows", "8"],
    "coverage": ["coverage", "--date", DAY, *W],
    "coverage_pairs": ["coverage", "--by", "station", "--date", DAY, *W, "--origin", "BTD,HHE",   # > 14 places:
                       "--destination", "BTO,HHT,JNN,ULQ,ORD,CSQ,SLQ,QXN,ZZD,TKD,BUS_DSS,BUS_JN,DLX,DSD"],  # pairs
    "coverage_compare": ["coverage", "--compare", "all-planned", "--date", DAY, *W],
    "info": ["info", "--date", DAY],
    "validate": ["validate", "tests/data/sample.zip"],
    "scenario_list": ["scenario", "list"],
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("present-cache")


@pytest.fixture
def hbeu(cache, capsys, monkeypatch):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    monkeypatch.setenv("HBEU_NOW", f"{DAY}T05:00")

    def run(*args: str, width: int = 160):
        monkeypatch.setenv("COLUMNS", str(width))
        return run_main(list(args), monkeypatch, capsys)

    return run


def _header_cells(out: str) -> list[str]:
    """The header texts of every table printed (multi-line headers joined per column)."""
    heads: list[str] = []
    lines = out.splitlines()
    for k, line in enumerate(lines):
        if not line.startswith("┏"):
            continue
        block = []
        for row in lines[k + 1:]:
            if not row.startswith("┃"):
                break
            block.append([c.strip() for c in row.strip("┃").split("┃")])
        heads += [" ".join(p for p in parts if p) for parts in zip(*block)]
    return heads


def check_fits(out: str, width: int, headers: list[str]) -> list[str]:
    """Assert the output fits ``width``, no cell is cut with "…" nor a column empty, and every
    header is either shown or named in the footnote; returns the headers dropped."""
    for line in out.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line}"
        if line[:1] in "│┃":
            assert "…" not in line, f"truncated cell: {line}"
            assert "││" not in line and "┃┃" not in line, f"zero-width column: {line}"
    shown = _header_cells(out)
    foot = re.search(r"not shown at (\d+) columns: (.*?) \(widen", out)
    dropped = [h.strip() for h in foot.group(2).split(",")] if foot else []
    if foot:
        assert int(foot.group(1)) == width
    for h in dict.fromkeys(headers):
        assert (h in shown) != (h in dropped), f"{h!r}: shown {shown}, dropped {dropped}"
    return dropped


@pytest.fixture(scope="module")
def all_headers(cache):
    """Each command's headers on a terminal wide enough for every column."""
    return {}


@pytest.mark.parametrize("case", sorted(TABLES))
def test_tables_fit_the_terminal(hbeu, all_headers, case):
    """At 80, 100 and 160 columns every line fits, no cell is cut or empty, and each column
    of the wide table is either shown or named in the footnote (nothing is dropped at 160)."""
    code, wide, err = hbeu(*TABLES[case], width=400)
    assert code in (0, 1), err           # validate exits 1 on errors
    headers = _header_cells(wide)
    assert headers and "not shown" not in wide
    for width in WIDTHS:
        code, out, err = hbeu(*TABLES[case], width=width)
        assert code in (0, 1), err
        dropped = check_fits(out, width, headers)
        if width == 160:
            assert dropped == [], f"nothing is dropped at 160 columns: {dropped}"


def test_columns_drop_in_their_stated_priority(hbeu):
    """The plan table gives up changes first, then the fare, then the duration: at 80 columns
    the changes go; the train and the stations never do."""
    from hbeu_transit.cli.present import Column, fit_table

    cols = [Column("a"), Column("b", priority=2), Column("c", priority=1), Column("name", wrap=True)]
    rows = [("x" * 10, "y" * 10, "z" * 10, "a long name that may fold " * 2)]
    _, dropped = fit_table(None, cols, rows, 60)
    assert dropped == []
    _, dropped = fit_table(None, cols, rows, 40)
    assert dropped == ["c"]
    _, dropped = fit_table(None, cols, rows, 30)
    assert dropped == ["c", "b"]
    t, dropped = fit_table(None, cols, rows, 10)      # nothing more may go: too wide, but every
    assert dropped == ["c", "b"] and len(t.columns) == 2   # column keeps its text


def _body(out: str) -> str:
    return "\n".join(line for line in out.splitlines() if line[:1] in "│┃")


@pytest.mark.parametrize("case", ["plan", "departures", "stations", "freq_stop", "circle", "coverage_pairs"])
def test_lang_picks_the_names_shown(hbeu, case):
    """--lang zh: published names only; en: English only; both (default): both side by side."""
    argv = TABLES[case]
    outs = {}
    for lang in ("zh", "en", "both"):
        code, out, err = hbeu(*argv, "--lang", lang)
        assert code == 0, err
        outs[lang] = _body(out)
    code, default, _ = hbeu(*argv)
    assert _body(default) == outs["both"]
    assert "包头东" in outs["zh"] and "Baotou East" not in outs["zh"]
    assert "Baotou East" in outs["en"] and "包头东" not in outs["en"]
    assert "包头东 Baotou East" in outs["both"]


def test_bad_lang_is_one_line_exit_2(hbeu):
    code, out, err = hbeu("stations", "Baotou", "--lang", "fr")
    assert code == 2 and "--lang" in err and "Traceback" not in err


def test_bus_legs_show_the_direction_travelled(hbeu):
    """A Baotou -> Hohhot coach runs on routes named "… 呼和浩特东—包头东" (read the other way):
    the leg shows where it heads (its headsign), and --json says so in ``direction``."""
    code, out, err = hbeu("plan", "Baotou", "Hohhot", "--modes", "bus", "--date", DAY, "--depart", "07:00",
                          "--num", "3", "--json")
    assert code == 0, err
    doc = json.loads(out)
    buses = [leg for j in doc["journeys"] for leg in j["legs"] if leg["trip"]]
    assert buses
    for leg in buses:
        assert leg["direction"] == leg["headsign"] and leg["direction"]
        assert leg["number"] is None        # these coaches have no number of their own
    reversed_name = [leg for leg in buses if leg["route_name"].endswith("呼和浩特东—包头东")]
    assert reversed_name, "the test needs a coach whose route name reads Hohhot -> Baotou"
    code, out, err = hbeu("plan", "Baotou", "Hohhot", "--modes", "bus", "--date", DAY, "--depart", "07:00",
                          "--num", "3", "--lang", "zh")
    assert code == 0, err
    body = _body(out).replace("│", " ")
    flat = re.sub(r"\s+", "", body)
    assert "呼和浩特东—包头东" not in flat
    for leg in reversed_name:
        assert "→" + re.sub(r"\s+", "", leg["direction"]) in flat


def test_freq_and_graph_take_json(hbeu):
    """`freq --json` is `--format json`; `graph --json` prints the graph (node-link) without -o."""
    code, a, err = hbeu("freq", "--by", "od", "--date", DAY, "--origin", "Hohhot", "--json")
    assert code == 0, err
    code, b, err = hbeu("freq", "--by", "od", "--date", DAY, "--origin", "Hohhot", "--format", "json")
    assert code == 0, err

    def stable(text):
        doc = json.loads(text)
        doc["metadata"].pop("generated_at", None)
        return doc

    assert stable(a) == stable(b) and stable(a)["rows"]
    code, _, err = hbeu("freq", "--by", "od", "--date", DAY, "--json", "--format", "csv")
    assert code == 2 and "--json" in err
    code, out, err = hbeu("graph", "--date", DAY, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["nodes"] and doc["links"] and doc["graph"]["date"] == DAY
    code, _, err = hbeu("graph", "--date", DAY)
    assert code == 2 and "-o" in err


def test_od_stop_tables_and_graph_name_places_alike(hbeu):
    """The same station or city carries the same (Chinese, English) names in the stop table, the
    station od table, the city od table and the graph; --lang picks among them the same way."""
    def rows(*argv):
        code, out, err = hbeu(*argv, "--json")
        assert code == 0, err
        return json.loads(out)["rows"]

    stop = {r["station_id"]: (r["station"], r["station_en"], r["area"], r["area_en"])
            for r in rows("freq", "--by", "stop", "--date", DAY)}
    od_st = rows("freq", "--by", "od", "--stations", "--date", DAY)
    od = rows("freq", "--by", "od", "--date", DAY)
    code, out, err = hbeu("graph", "--date", DAY, "--json", "--lang", "en")
    assert code == 0, err
    nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
    assert stop["BTD"][:2] == ("包头东", "Baotou East") and stop["BTD"][2:] == ("包头", "Baotou")
    for r in od_st:
        assert (r["origin"], r["origin_en"]) == stop[r["origin_id"]][:2]
    for sid, n in nodes.items():
        if sid in stop:
            assert (n["name"], n["name_en"] or None, n["area"], n["area_en"] or None) == stop[sid]
        assert n["label"] == (n["name_en"] or n["name"])           # --lang en
    cities = {(r["origin"], r["origin_en"]) for r in od}
    assert {(a, e) for _, _, a, e in stop.values()} <= cities
    code, out, err = hbeu("freq", "--by", "stop", "--date", DAY, "--json", "--lang", "en")
    assert code == 0, err
    en = {r["station_id"]: r for r in json.loads(out)["rows"]}
    assert en["BTD"]["station"] == "Baotou East" and "station_en" not in en["BTD"]
    assert json.loads(out)["metadata"]["lang"] == "en"


#: matplotlib's complaints about fonts: a glyph drawn as an empty box, or no font found
FONT_WARNING = re.compile(r"Glyph \d+ .*missing from|findfont|missing from font", re.I)


def test_charts_draw_chinese_names_without_font_warnings(tmp_path, cache, monkeypatch):
    """Every chart path, run as `hbeu` in a fresh interpreter with Chinese names (--lang zh and
    both): no font warning on stderr (a missing glyph would print one per character)."""
    from conftest import missing, run_cli_batch

    from hbeu_transit.fonts import cjk_family

    if cjk_family() is None:
        missing("no CJK font: pip install 'hbeu-transit[cjk]'")
    monkeypatch.setenv("PYTHONWARNINGS", "always")   # every warning, not once per place
    charts = [["freq", "--by", "stop", "--date", DAY],
              ["freq", "--by", "od", "--stations", "--date", DAY],
              ["freq", "--by", "route", "--date", DAY],
              ["freq", "--by", "hour", "--date", DAY],
              ["circle", "呼和浩特", "--date", DAY, *W],
              ["coverage", "--date", DAY, *W],
              ["coverage", "--compare", "all-planned", "--date", DAY, *W]]
    cmds = [[*argv, "--lang", lang, "--png", str(tmp_path / f"{k}-{lang}.png")]
            for k, argv in enumerate(charts) for lang in ("zh", "both")]
    for cmd, r in zip(cmds, run_cli_batch(cmds, cache=cache)):
        assert r["code"] == 0, (cmd, r["stderr"])
        assert not FONT_WARNING.search(r["stderr"]), (cmd, r["stderr"][:500])
        assert (tmp_path / Path(cmd[-1]).name).stat().st_size > 10_000


#: --lang beyond table cells: command -> (argv, a Chinese name it must show, the English name of that place)
LANG_CASES = {
    "plan": (["plan", "包头", "呼和浩特", "--date", DAY, "--depart", "07:40", "--num", "1"], "呼和浩特", "Hohhot"),
    "departures": (["departures", "包头东", "--date", DAY, "--from", "07:00", "--to", "07:40"], "包头东",
                   "Baotou East"),
    "commute": (["commute", "Baotou", "Hohhot East", "--days", "1", "--date", DAY], "呼和浩特东", "Hohhot East"),
    "circle": (["circle", "呼和浩特", "--date", DAY, *W, "--rows", "3"], "呼和浩特", "Hohhot"),
    "info": (["info", "--date", DAY], "呼包鄂乌城际客运（模型）", "HBEU intercity coaches (modelled)"),
    "coverage_compare": (["coverage", "--compare", "all-planned", "--date", DAY, *W], "鄂尔多斯", "Ordos"),
}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _heads(out: str) -> str:
    """The text printed above each table (titles, summary lines) and, for info, the agency
    table's rows: wrapped lines joined, spaces dropped (a wrap may fall inside a name)."""
    lines, keep, inside = out.splitlines(), [], False
    for line in lines:
        if line[:1] in "┏┃┡└":
            inside = line[:1] != "└"
            continue
        if line[:1] == "│":
            keep.append(line.split("│")[2] if "Agencies" in "".join(keep) else "")
            continue
        if not inside:
            keep.append(line)
    return _squeeze("".join(keep))


@pytest.mark.parametrize("case", sorted(LANG_CASES))
@pytest.mark.parametrize("lang,width", [("zh", 80), ("en", 80), ("both", 80), ("both", 160)])
def test_titles_info_and_summaries_follow_lang(hbeu, case, lang, width):
    argv, zh, en = LANG_CASES[case]
    code, out, err = hbeu(*argv, "--lang", lang, width=width)
    assert code == 0, err
    head = _heads(out)
    assert head, out
    if lang in ("zh", "both"):
        assert _squeeze(zh) in head, out
    else:
        assert _squeeze(zh) not in head, out
    if lang in ("en", "both"):
        assert _squeeze(en) in head, out
    else:
        assert _squeeze(en) not in head, out
    if lang == "both":
        assert _squeeze(f"{zh} {en}") in head, out   # side by side, as in the tables


def test_info_json_carries_both_agency_names(hbeu):
    code, out, err = hbeu("info", "--date", DAY, "--json", width=160)
    assert code == 0, err
    names = {a["agency_id"]: (a["name"], a["name_en"]) for a in json.loads(out)["agencies"]}
    assert names["CR_HOHHOT"] == ("中国铁路呼和浩特局集团（模型）", "China Railway Hohhot Bureau (modelled)")


def _feed_with_names(path: Path, names: dict[str, str]) -> Path:
    """tests/data/sample.zip with some stop_names replaced."""
    import zipfile

    src = Path(__file__).resolve().parents[1] / "data" / "sample.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for n in zin.namelist():
            data = zin.read(n)
            if n.endswith("stops.txt"):
                text = data.decode("utf-8")
                for old, new in names.items():
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            zout.writestr(n, data)
    return path


@pytest.mark.parametrize("args", [("plan", "STAGECOACH", "BEATTY_AIRPORT", "--depart", "06:00"),
                                  ("plan", "STAGECOACH", "BEATTY_AIRPORT", "--depart", "23:00"),
                                  ("commute", "STAGECOACH", "BEATTY_AIRPORT", "--days", "1"),
                                  ("departures", "STAGECOACH"), ("circle", "STAGECOACH")])
def test_names_with_brackets_are_printed_as_published(hbeu, tmp_path, args):
    """A stop named '[red]Stage[/red] [x] (Demo)' (square brackets are rich markup): the plan's
    title printed 'Stage  (Demo)', eating the brackets as styles, where every table cell and the
    other titles escape names."""
    feed = _feed_with_names(tmp_path / "brackets.zip", {"Stagecoach Hotel & Casino (Demo)": "[red]Stage[/red] [x] (Demo)",
                                                        "Nye County Airport (Demo)": "Nye [b] Airport (Demo)"})
    code, out, err = hbeu(*args, "--date", "2007-06-05", "--feed", str(feed), width=200)
    assert code == 0, err
    first = out.splitlines()[0]
    assert "[red]Stage[/red] [x] (Demo)" in first, first
    if args[0] in ("plan", "commute"):
        assert "Nye [b] Airport (Demo)" in first, first
