"""Issue 12, tables and language: every table fits 80/100/160 columns (a column is dropped in its
stated priority and named in a footnote, never squeezed to nothing or truncated with "…"), and
``--lang zh|en|both`` shows the same names the same way in every command. Run through the CLI on
the bundled regional feed (bilingual names), with fixed dates."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_main
from rich.cells import cell_len

DAY = "2026-12-09"
WIDTHS = (80, 100, 160)

#: command -> (argv, the headers of its table(s))
TABLES = {
    "plan": (["plan", "包头", "呼和浩特", "--date", DAY, "--depart", "07:40", "--window", "1h"],
             ["#", "depart", "arrive", "time", "chg", "fare", "train / bus", "from", "to"]),
    "plan_bus": (["plan", "集宁汽车站", "Baotou", "--modes", "rail,bus", "--date", DAY, "--num", "1"],
                 ["#", "depart", "arrive", "time", "chg", "fare", "train / bus", "from", "to"]),
    # the station's board (the city's lists trips leaving Baotou only, from its first station, 包头)
    "departures": (["departures", "包头东", "--date", DAY, "--from", "07:00", "--to", "07:40"],
                   ["time", "train / bus", "mode", "to", "from stop"]),
    "commute": (["commute", "Baotou", "Hohhot East", "--days", "2", "--date", DAY],
                ["date", "way", "leave", "arrive", "trains / buses", "fare", "or leave", "or arrive", "by"]),
    "stations": (["stations", "Baotou"], ["stop_id", "name", "city", "modes", "stops"]),
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
    for h in headers:
        assert (h in shown) != (h in dropped), f"{h!r}: shown {shown}, dropped {dropped}"
    return dropped


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", sorted(TABLES))
def test_tables_fit_the_terminal(hbeu, case, width):
    argv, headers = TABLES[case]
    code, out, err = hbeu(*argv, width=width)
    assert code == 0, err
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


@pytest.mark.parametrize("argv", [TABLES["plan"][0], TABLES["departures"][0], TABLES["stations"][0]],
                         ids=["plan", "departures", "stations"])
def test_lang_picks_the_names_shown(hbeu, argv):
    """--lang zh: published names only; en: English only; both (default): both side by side."""
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
