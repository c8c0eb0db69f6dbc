"""The quick start-up path of `hbeu plan` (``cli.quick``) parses exactly as typer does, or
leaves the command line to typer: its option table is typer's `plan` command, and on random
command lines it either returns what typer would pass the command or declines."""

from __future__ import annotations

import functools
import inspect
from typing import get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbeu_transit.cli import app as entry
from hbeu_transit.cli import plan as cli_plan
from hbeu_transit.cli import quick
from hbeu_transit.cli.common import ROUTER_OPTIONS


@functools.cache
def _click_group():
    """typer's click command group, built once (typer builds every command's options per call)."""
    import typer.main

    return typer.main.get_command(entry.app)


def _plan_command():
    return _click_group().commands["plan"]


def test_the_table_is_typers_plan_command():
    cmd = _plan_command()
    args = [p for p in cmd.params if p.param_type_name == "argument"]
    opts = [p for p in cmd.params if p.param_type_name == "option"]
    assert tuple(p.name for p in args) == quick.PLAN_ARGUMENTS and all(p.required for p in args)
    table = {}
    for p in opts:
        assert p.envvar is None and not p.secondary_opts and p.nargs == 1 and p.callback is None, p.name
        info = p.type_descriptor.parameter_info     # no conversion of typer's beyond the type's own
        assert all(getattr(info, a, None) is None for a in ("parser", "click_type", "callback")), p.name
        kind = p.type_descriptor.annotation
        if p.multiple:
            assert get_origin(kind) is list, p.name
            (kind,) = get_args(kind)
        for spelling in p.opts:
            table[spelling] = (p.name, kind, p.multiple, p.min)
        assert quick.PLAN_DEFAULTS.get(p.name) == p.default, p.name
    assert table == quick.PLAN_OPTIONS
    assert quick.ROUTER_PARAMS == tuple(ROUTER_OPTIONS)
    assert not cmd.context_settings.get("auto_envvar_prefix") and not cmd.context_settings.get("default_map")


def _typer_parse(monkeypatch, args: list[str]):
    """What typer passes the plan command's body for ``hbeu plan ARGS`` (None: it refuses them)."""
    got = {}

    def record(from_, to, **kw):
        got.update(kw, from_=from_, to=to)

    monkeypatch.setattr(cli_plan, "show_plan", record)
    try:
        _click_group().main(["plan", *args], standalone_mode=False, prog_name="hbeu")
    except Exception as e:  # click's usage errors
        if type(e).__name__ in ("UsageError", "BadParameter", "NoSuchOption", "BadOptionUsage", "MissingParameter"):
            return None
        raise
    return got


def _quick_parse(args: list[str]):
    from hbeu_transit.values import RouterOptions

    kw = quick.parse_plan(args)
    if kw is None:
        return None
    kw["router"] = RouterOptions(**{p: kw.pop(p) for p in quick.ROUTER_PARAMS})
    return kw


_TEXT = st.one_of(st.sampled_from(["07:00", "2026-12-01", "2h", "Baotou", "包头", "", " 7", "a=b", "-x", "--json",
                                   "x y", "rail,bus", "zh", "en"]),
                  st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6))
_NUMBER = st.one_of(st.integers(-2, 40).map(str), st.floats(-1, 100, allow_nan=False).map(repr),
                    st.sampled_from(["+3", " 4", "1_0", "", "x", "3.0", "5.", ".5", ".", "1e3", "nan", "inf", "٣",
                                     "00.5", "007"]))


@st.composite
def _command_line(draw) -> list[str]:
    words: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        words.append(draw(st.sampled_from(["HHT", "BTD", "包头", "Hohhot East", "x", "-", "-1", "--", "--nope"])))
    for _ in range(draw(st.integers(0, 6))):
        spelling = draw(st.sampled_from(sorted(quick.PLAN_OPTIONS)))
        _, kind, _, _ = quick.PLAN_OPTIONS[spelling]
        if kind is bool:
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from([spelling, spelling + "=1"])))
            continue
        value = draw(_NUMBER if kind in (int, float) else _TEXT)
        at = draw(st.integers(0, len(words)))
        if draw(st.booleans()) and spelling.startswith("--"):
            words.insert(at, f"{spelling}={value}")
        else:
            words[at:at] = [spelling, value]
        if draw(st.integers(0, 9)) == 0:
            words.pop(draw(st.integers(0, len(words) - 1)))     # a value or an option gone missing
    return words


@settings(max_examples=200, deadline=None)
@given(_command_line())
def test_a_command_line_is_parsed_as_typer_does_or_left_to_typer(args):
    with pytest.MonkeyPatch.context() as mp:
        want = _typer_parse(mp, args)
    got = _quick_parse(args)
    if got is not None:
        assert got == want, args


@pytest.mark.parametrize("args", [
    ["HHT", "BTD"],
    ["包头", "Hohhot East", "--date", "2026-12-01", "--depart=07:00", "--window", "3h", "--json", "--lang", "en"],
    ["A", "--feed", "a.zip", "-f", "b.zip", "B", "--scenario", "x", "--scenario=y", "--num", "4", "--all-day"],
    ["A", "B", "--max-transfers", "0", "--modes", "rail", "--transfer-minutes", "2.5", "--walk-meters=300",
     "--arrive-by", "09:00", "--areas", "a.csv", "--cache-dir", "c"],
])
def test_plain_command_lines_take_the_quick_path(args, monkeypatch):
    got = _quick_parse(args)
    assert got is not None and got == _typer_parse(monkeypatch, args)


@pytest.mark.parametrize("args", [["--help"], ["A", "B", "--help"], ["A"], ["A", "B", "C"], ["A", "B", "--num", "0"],
                                  ["A", "B", "--date", "x", "--date", "y"], ["A", "B", "--json=yes"],
                                  ["A", "B", "--max-transfers", "-1"], ["A", "B", "--", "C"], ["A", "B", "--deprt", "7"]])
def test_the_rest_is_left_to_typer(args):
    assert quick.parse_plan(args) is None


def test_the_body_typer_calls_is_the_one_the_quick_path_calls():
    from hbeu_transit.cli import journeys

    assert cli_plan.show_plan is journeys.show_plan
    params = inspect.signature(journeys.show_plan).parameters
    assert set(params) == set(quick.PLAN_ARGUMENTS) | {p for p, *_ in quick.PLAN_OPTIONS.values()
                                                       if p not in quick.ROUTER_PARAMS} | {"router"}


def test_a_warm_plan_never_imports_typer(tmp_path):
    from conftest import run_cli_in_probe

    from hbeu_transit.feed.bundled import default_feed_paths

    feeds = [str(p) for p in default_feed_paths()]
    args = ["plan", "HHT", "BTD", "--date", "2026-12-02", "--depart", "07:00", "--json", "--cache-dir", str(tmp_path),
            *sum((["--feed", f] for f in feeds), [])]
    for _ in range(2):                                  # the first run builds the caches (pandas)
        r, loaded = run_cli_in_probe(args, modules=("typer", "click", "pandas"))
        assert r.returncode == 0, r.stderr
    assert loaded == [] and '"journeys"' in r.stdout
