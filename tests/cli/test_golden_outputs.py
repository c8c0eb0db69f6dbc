"""The recorded ``--json`` outputs in tests/golden/ (made by scripts/record_outputs.py) still come out
of the same commands: a refactoring must not change an answer. When a change is meant, re-record
with ``python scripts/record_outputs.py`` and say why in the commit."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("record_outputs", ROOT / "scripts" / "record_outputs.py")
record = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(record)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    return record.run_all(tmp_path_factory.mktemp("golden-cache"))


def test_every_case_is_recorded():
    recorded = {p.stem for p in record.GOLDEN.glob("*.json")}
    assert recorded == set(record.CASES), "re-run scripts/record_outputs.py"


@pytest.mark.parametrize("name", sorted(record.CASES))
def test_output_unchanged(outputs, name):
    want = (record.GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    got = outputs[name]
    if got != want:
        diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                 f"tests/golden/{name}.json", "now", n=2))[:60])
        pytest.fail(f"`hbeu {' '.join(record.CASES[name])}` changed its output:\n{diff}")


def test_normalise_blanks_only_volatile_fields():
    doc = {"metadata": {"generated_at": "2026-01-01T00:00:00+00:00", "versions": {"pandas": "2"},
                        "path": f"{record._bundled_dir()}/x.zip", "date": "2026-12-09"},
           "rows": [f"{record.ROOT}/tests/data/caltrain.zip"]}
    assert record._normalise(doc) == {"metadata": {"generated_at": "<generated_at>", "versions": "<versions>",
                                                   "path": "<bundled>/x.zip", "date": "2026-12-09"},
                                      "rows": ["<root>/tests/data/caltrain.zip"]}
