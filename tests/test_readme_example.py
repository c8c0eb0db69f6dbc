"""The README's "Use from Python" example runs as written (on the bundled feed, fixed dates)."""

from __future__ import annotations

import datetime as dt
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


def reference_profile(origin: str, destination: str, day: dt.date, start: int, end: int) -> list[tuple]:
    """The profile the README prints, from the GTFS text of the bundled feeds (tests/reference,
    no hbeu_transit code): a city is the stops of the areas of that name (stop_areas.txt) and
    every stop below them; at most 5 transfers, as ``hb.profile`` by default."""
    from reference.gtfs_text import Reference, read_merged
    from reference.graph import ReferenceGraph

    tables = read_merged(sorted((ROOT / "data" / "gtfs").glob("*.zip")))
    ref = Reference(tables, day)
    name = {r["area_id"]: r["area_name"] for r in tables["areas"]}

    def city(n: str) -> list[str]:
        own = {r["stop_id"] for r in tables["stop_areas"] if name[r["area_id"]] == n}
        return sorted(s for s in ref.stop_ids if s in own or ref.station[s] in own)

    return ReferenceGraph(ref).profile(city(origin), city(destination), start, end, 5)


def test_reference_profile_of_the_readme_query():
    """The reference's answer itself, read by hand from hbeu-rail.zip's stop_times.txt: the DAILY
    trains leaving Baotou / Baotou East 07:00-09:00 for Hohhot / Hohhot East (2026-12-09 is no
    peak or weekend day), each arriving later than the one before, so none beats another; no
    bus or change is faster."""
    got = reference_profile("Baotou", "Hohhot", dt.date(2026, 12, 9), 7 * 3600, 9 * 3600)
    hm = lambda h, m: h * 3600 + m * 60  # noqa: E731
    assert got == [(hm(7, 15), hm(8, 13), 0),      # D2522
                   (hm(7, 47), hm(8, 41), 0),      # G2704
                   (hm(7, 57), hm(8, 51), 0),      # G2454
                   (hm(8, 18), hm(9, 16), 0),      # D6754
                   (hm(8, 25), hm(9, 19), 0)]      # D6770


def test_readme_python_example_runs(tmp_path):
    code = readme_example()
    assert "hb.Network(" in code and ".plan(" in code and ".to_frame()" in code
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "cache"), "MPLBACKEND": "Agg"})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"^[GDC]\d+ \S+ -> \S+$", out, re.M), out            # the first journey's train and ends
    n = int(re.search(r"^(\d+) journeys worth taking 07:00-09:00$", out, re.M).group(1))
    assert n == len(reference_profile("Baotou", "Hohhot", dt.date(2026, 12, 9), 7 * 3600, 9 * 3600))
    # the plan leaves at or after 07:30 as asked; the board stays inside 07:00-07:40
    plan_times = re.findall(r"2026-12-09 (\d\d:\d\d):00\+08:00 2026-12-09 \d\d:\d\d:00\+08:00", out)
    assert plan_times and all(t >= "07:30" for t in plan_times)
