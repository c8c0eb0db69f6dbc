"""A report table as named numpy columns, for the commands that only print or write text.

Importing pandas (and the pyarrow it brings) costs a warm ``hbeu freq`` more than the counting
itself, so the frequency tables are built as a ``Table`` and become a pandas DataFrame only when
one is asked for (``to_pandas``: the library API, Parquet and XLSX exports, charts). The column
kinds are those the exports support: text (an object array of str or None), int64, float64 and
bool; ``to_pandas`` gives the same dtypes as building the DataFrame directly would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["Table", "missing", "rank", "texts"]


def missing(v: Any) -> bool:
    """A missing cell: None, a float NaN or pandas' NA (recognised without importing pandas)."""
    return v is None or type(v).__name__ == "NAType" or (isinstance(v, float) and v != v)


def texts(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """A text column: an object array of str, None where the value is missing (None, NaN, NA)."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = None if missing(v) else str(v)
    return out


def rank(values: np.ndarray) -> np.ndarray:
    """Integer sort keys of a column: text by code point (as pandas sorts its strings), missing
    values after every other; numbers as they are."""
    if values.dtype != object:
        return values
    present = np.array([v is not None for v in values], dtype=bool)
    uniq, inv = np.unique(values[present].astype(str), return_inverse=True)
    out = np.full(len(values), len(uniq), dtype=np.int64)
    out[present] = inv.reshape(-1)
    return out


def _column(values: Any) -> np.ndarray:
    if isinstance(values, list):  # text, unless every item is a number
        if all(v is None or type(v) is str for v in values):
            out = np.empty(len(values), dtype=object)
            out[:] = values
            return out
        if values and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values):
            return _column(np.asarray(values))
        return texts(values)
    arr = np.asarray(values)
    if arr.dtype.kind in "US":
        return arr.astype(object)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "f":
        return arr.astype(np.float64, copy=False)
    return arr


class Table:
    """Columns in order, each a numpy array of one length; ``attrs`` as pandas' ``DataFrame.attrs``."""

    def __init__(self, columns: dict[str, Any] | None = None, attrs: dict[str, Any] | None = None):
        self._cols: dict[str, np.ndarray] = {}
        self.attrs: dict[str, Any] = dict(attrs or {})
        for name, values in (columns or {}).items():
            self[name] = values

    # ------------------------------------------------------------------ shape and access
    @property
    def columns(self) -> list[str]:
        return list(self._cols)

    def __len__(self) -> int:
        return len(next(iter(self._cols.values()))) if self._cols else 0

    def __contains__(self, name: object) -> bool:
        return name in self._cols

    def __getitem__(self, name: str) -> np.ndarray:
        return self._cols[name]

    def __setitem__(self, name: str, values: Any) -> None:
        col = _column(values)
        if self._cols and name not in self._cols and len(col) != len(self):
            raise ValueError(f"column {name!r} has {len(col)} values, the table {len(self)} rows")
        self._cols[name] = col

    def insert(self, loc: int, name: str, values: Any) -> None:
        """Add a column at position ``loc`` (as ``DataFrame.insert``)."""
        items = list(self._cols.items())
        self._cols = {}
        for k, v in items[:loc]:
            self._cols[k] = v
        self[name] = values
        for k, v in items[loc:]:
            self._cols[k] = v

    def drop(self, name: str) -> None:
        del self._cols[name]

    def kind(self, name: str) -> str:
        """"str", "int64", "float64" or "bool" (the export schema's names)."""
        k = self._cols[name].dtype.kind
        return {"O": "str", "i": "int64", "u": "int64", "f": "float64", "b": "bool"}[k]

    # ------------------------------------------------------------------ new tables
    def copy(self) -> Table:
        t = Table(attrs=self.attrs)
        t._cols = dict(self._cols)
        return t

    def take(self, rows: np.ndarray) -> Table:
        t = Table(attrs=self.attrs)
        t._cols = {k: v[rows] for k, v in self._cols.items()}
        return t

    def head(self, n: int) -> Table:
        return self.take(np.arange(min(n, len(self))))

    def sorted_by(self, keys: Sequence[np.ndarray]) -> Table:
        """Rows in the order of ``keys`` (first key first; stable, as pandas' ``sort_values``);
        each key an array of this table's length, text keys through ``rank``."""
        if not keys or not len(self):
            return self.copy()
        return self.take(np.lexsort([rank(k) for k in reversed(keys)]))

    # ------------------------------------------------------------------ out
    def rows(self, n: int | None = None) -> Iterator[tuple]:
        """Rows as tuples of plain Python values (NaN and missing text as None)."""
        stop = len(self) if n is None else min(n, len(self))
        cols = []
        for v in self._cols.values():
            v = v[:stop]
            if v.dtype.kind == "f":
                cols.append([None if x != x else x for x in v.tolist()])
            else:
                cols.append(v.tolist())
        return zip(*cols) if cols else iter(())

    def to_pandas(self):
        """The pandas DataFrame of this table (text as pandas' "str" dtype), with its attrs."""
        import pandas as pd

        df = pd.DataFrame({k: pd.array(v, dtype="str") if v.dtype == object else v for k, v in self._cols.items()})
        df.attrs = dict(self.attrs)
        return df
