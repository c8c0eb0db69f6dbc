"""GTFS columns as plain Python lists of str, the form the compilers and indexes loop over."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["column", "strings"]


def strings(col: pd.Series) -> list[str]:
    """A column as a list of str, blanks (NaN/None) as ""; values kept as they are."""
    return [str(v) for v in col.astype(object).where(col.notna(), "").tolist()]


def column(df: pd.DataFrame | None, name: str) -> list[str]:
    """A table's column as a list of stripped str ("" for missing), all "" when the column is
    absent, [] when the table is."""
    if df is None:
        return []
    if name not in df:
        return [""] * len(df)
    col = df[name]
    return ["" if na else str(v).strip() for v, na in zip(col.tolist(), col.isna().tolist())]
