"""charts.freq_chart: a real PNG for each table shape, written atomically (nothing left behind
when the folder is missing)."""

from __future__ import annotations

import pandas as pd
import pytest

from hbeu_transit.charts import freq_chart
from hbeu_transit.errors import InputError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
META = {"clock": "calendar", "days": 1, "date_from": "2024-03-05", "date_to": "2024-03-05"}


@pytest.mark.parametrize("by, df", [
    ("hour", pd.DataFrame({"hour": range(24), "rail": [1.0] * 24, "bus": [2.0] * 24, "total": [3.0] * 24})),
    ("route", pd.DataFrame({"route_id": ["R1", "R2"], "route_short_name": ["G1", None], "trips_per_day": [5, 3]})),
    ("od", pd.DataFrame({"origin": ["A"], "destination": ["B"], "departures_per_day": [4]})),
    ("stop", pd.DataFrame({"station_id": ["S"], "station": [None], "departures_per_day": [2]})),
])
def test_each_table_shape_draws_a_png(tmp_path, by, df):
    out = tmp_path / f"{by}.png"
    freq_chart(df, {**META, "by": by, "mode_columns": ["rail", "bus"]}, out)
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 5000
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{by}.png"]  # no temp file left


def test_missing_folder_fails_and_writes_nothing(tmp_path):
    df = pd.DataFrame({"hour": [0], "total": [1.0]})
    with pytest.raises(InputError, match=r"cannot write .*x\.png': folder .*missing' does not exist"):
        freq_chart(df, {**META, "by": "hour"}, tmp_path / "missing" / "x.png")
    assert list(tmp_path.iterdir()) == []
