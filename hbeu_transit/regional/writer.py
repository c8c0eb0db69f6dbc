"""Write GTFS tables as zips whose bytes depend only on the tables (deterministic, atomic).

The committed feed is checked in CI by rebuilding it and comparing bytes, so nothing from the
environment may leak into the file: entries come in a fixed order with a fixed timestamp,
fixed permissions and fixed compression, and CSV text is formatted one way (UTF-8, LF, minimal
quoting). The zip is written to a temporary file beside the target, then renamed over it, so a
reader never sees half a feed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from ..atomic import write_bytes_atomic

#: Entry order inside the zip; tables not listed follow in name order.
FILE_ORDER = ("agency", "stops", "routes", "trips", "stop_times", "calendar", "calendar_dates",
              "transfers", "feed_info", "translations", "areas", "stop_areas", "networks",
              "route_networks", "fare_media", "fare_products", "fare_leg_rules")
ZIP_TIME = (2026, 11, 1, 0, 0, 0)
COMPRESS_LEVEL = 9


def table_bytes(df: pd.DataFrame) -> bytes:
    """One table as GTFS CSV text: header, then rows; None/NaN become empty fields."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(df.columns))
    for row in df.itertuples(index=False, name=None):
        w.writerow(["" if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in row])
    return buf.getvalue().encode("utf-8")


def entry_order(names: list[str]) -> list[str]:
    """Table names in the fixed zip order."""
    known = [n for n in FILE_ORDER if n in names]
    return known + sorted(n for n in names if n not in FILE_ORDER)


def zip_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The whole feed as zip bytes (deflate level 9, fixed timestamps and permissions)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in entry_order(list(tables)):
            info = zipfile.ZipInfo(f"{name}.txt", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, table_bytes(tables[name]), compress_type=zipfile.ZIP_DEFLATED,
                        compresslevel=COMPRESS_LEVEL)
    return buf.getvalue()


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    write_bytes_atomic(path, data, make_dirs=True, mode=0o644)


def write_feed(tables: dict[str, pd.DataFrame], path: str | Path) -> None:
    """Write one feed zip deterministically and atomically."""
    write_atomic(path, zip_bytes(tables))
