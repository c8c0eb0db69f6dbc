"""data/spec/driving_times.csv and its pure-Python reader (the two-hour road circle)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from hbeu_transit.regional import SpecError, driving_times, load_spec

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "data" / "spec"
FOUR = ("HOHHOT", "BAOTOU", "ORDOS", "ULANQAB")


def test_every_pair_of_the_four_cities_both_ways() -> None:
    d = driving_times()
    assert {(a, b) for a in FOUR for b in FOUR if a != b} == set(d)
    for (a, b), t in d.items():
        assert (t.from_area, t.to_area) == (a, b)
        assert (t.km, t.minutes, t.source) == (d[(b, a)].km, d[(b, a)].minutes, d[(b, a)].source)
        assert t.confidence in ("SOURCED", "EST") and t.source


def test_figures_from_facts() -> None:
    """FACTS: Hohhot–Baotou expressway 151 km ~1 h 50; Baotou–Ordos and Hohhot–Ulanqab ~1 h 30."""
    d = driving_times()
    assert (d[("HOHHOT", "BAOTOU")].km, d[("HOHHOT", "BAOTOU")].minutes) == (151, 110)
    assert d[("BAOTOU", "ORDOS")].minutes == d[("ULANQAB", "HOHHOT")].minutes == 90
    # no city pair is faster by road than the D train's 39 min, none slower than a day
    assert all(40 < t.minutes < 600 and t.km / (t.minutes / 60) <= 120 for t in d.values())


def _write(tmp: Path, rows: list[list[str]]) -> Path:
    spec = tmp / "spec"
    shutil.copytree(SPEC, spec)
    with open(spec / "driving_times.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return spec


def _rows() -> list[list[str]]:
    with open(SPEC / "driving_times.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_a_reversed_duplicate_is_refused(tmp_path: Path) -> None:
    rows = _rows()
    rows.append([rows[1][1], rows[1][0], *rows[1][2:]])
    spec = _write(tmp_path, rows)
    for call in (lambda: driving_times(spec / "driving_times.csv"), lambda: load_spec(spec)):
        with pytest.raises(SpecError, match=rf"driving_times.csv line {len(rows)} field to_area: .*already on line 2"):
            call()


def test_loader_checks_values_areas_and_completeness(tmp_path: Path) -> None:
    rows = _rows()
    bad = [r[:] for r in rows]
    bad[2][3] = "ninety"
    with pytest.raises(SpecError, match=r"driving_times.csv line 3 field minutes: 'ninety' is not an integer"):
        driving_times(_write(tmp_path / "a", bad) / "driving_times.csv")
    bad = [r[:] for r in rows]
    bad[1][1] = "BEIJING"
    with pytest.raises(SpecError, match=r"line 2 field to_area: unknown 'BEIJING'"):
        load_spec(_write(tmp_path / "b", bad))
    with pytest.raises(SpecError, match=r"no row for BAOTOU–HOHHOT"):
        load_spec(_write(tmp_path / "c", rows[:1] + rows[2:]))


def test_reader_needs_no_pandas_and_ships_with_the_package() -> None:
    code = ("import sys; from hbeu_transit.regional import driving_times; d = driving_times(); "
            "assert 'pandas' not in sys.modules, 'pandas imported'; print(len(d))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "12", out.stderr
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert cfg["package-dir"]["hbeu_transit._spec"] == "data/spec"
    assert "*.csv" in cfg["package-data"]["hbeu_transit._spec"]
