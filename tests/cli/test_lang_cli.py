"""Issue 12: ``--lang zh|en|both`` also governs the place names in table titles (plan, departures,
commute, circle), the agency names of ``hbeu info`` and the ``coverage --compare`` summary line,
at 80 columns as at 160 (the text above the first table is read whole, wrapped lines joined)."""

from __future__ import annotations

import re

import pytest
from conftest import run_main

DAY = "2026-12-09"
W = ["--window", "07:00-09:00"]

#: command -> (argv, a Chinese name it must show, the English name of that place)
CASES = {
    "plan": (["plan", "包头", "呼和浩特", "--date", DAY, "--depart", "07:40", "--num", "1"], "呼和浩特", "Hohhot"),
    "departures": (["departures", "包头东", "--date", DAY, "--from", "07:00", "--to", "07:40"], "包头东",
                   "Baotou East"),
    "commute": (["commute", "Baotou", "Hohhot East", "--days", "1", "--date", DAY], "呼和浩特东", "Hohhot East"),
    "circle": (["circle", "呼和浩特", "--date", DAY, *W, "--rows", "3"], "呼和浩特", "Hohhot"),
    "info": (["info", "--date", DAY], "呼包鄂乌城际客运（模型）", "HBEU intercity coaches (modelled)"),
    "coverage_compare": (["coverage", "--compare", "all-planned", "--date", DAY, *W], "鄂尔多斯", "Ordos"),
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("lang-cache")


@pytest.fixture
def hbeu(cache, capsys, monkeypatch):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    monkeypatch.setenv("HBEU_NOW", f"{DAY}T05:00")

    def run(*args: str, width: int):
        monkeypatch.setenv("COLUMNS", str(width))
        return run_main(list(args), monkeypatch, capsys)

    return run


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


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang,width", [("zh", 80), ("en", 80), ("both", 80), ("both", 160)])
def test_titles_info_and_summaries_follow_lang(hbeu, case, lang, width):
    argv, zh, en = CASES[case]
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
    import json

    code, out, err = hbeu("info", "--date", DAY, "--json", width=160)
    assert code == 0, err
    names = {a["agency_id"]: (a["name"], a["name_en"]) for a in json.loads(out)["agencies"]}
    assert names["CR_HOHHOT"] == ("中国铁路呼和浩特局集团（模型）", "China Railway Hohhot Bureau (modelled)")
