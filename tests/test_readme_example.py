"""The README's "Use from Python" example runs as written (on the bundled feed, fixed dates)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- python-example:begin -->\n```python\n(.*?)```\n<!-- python-example:end -->", text, re.S)
    assert m, "README.md lost its python-example markers"
    return m.group(1)


def test_readme_python_example_runs(tmp_path):
    code = readme_example()
    assert "hb.Network(" in code and ".plan(" in code and ".to_frame()" in code
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "cache"), "MPLBACKEND": "Agg"})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"^[GDC]\d+ \S+ -> \S+$", out, re.M), out            # the first journey's train and ends
    n = int(re.search(r"^(\d+) journeys worth taking 07:00-09:00$", out, re.M).group(1))
    assert n > 0
    # the plan leaves at or after 07:30 as asked; the board stays inside 07:00-07:40
    plan_times = re.findall(r"2026-12-09 (\d\d:\d\d):00\+08:00 2026-12-09 \d\d:\d\d:00\+08:00", out)
    assert plan_times and all(t >= "07:30" for t in plan_times)
