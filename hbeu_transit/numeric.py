"""What counts as a number, or as several values, where users may give one (a parameter, a
window's bound): shared by ``values`` (the parameters' checks), ``feed.times`` (clock windows)
and ``feed.modes``, which ``values`` itself imports, so it lives below both. Standard library only."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["is_listed", "is_number", "stop_number_text"]


def is_number(value: Any) -> bool:
    """A real number as Python or numpy gives it (np.int64, np.float32...; a DataFrame's cells
    are numpy's), but not a bool, nor numpy's timedelta64 (an integer type to numpy, a count of
    its unit: np.timedelta64(2, "h") would read as 2)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "timedelta64"


def stop_number_text(value: Any) -> str | None:
    """A whole number given for a place or a stop (``is_number`` and integral: not a bool nor
    numpy's timedelta64) as the stop_id pandas reads from a numeric one (70012 -> "70012");
    None for any other value."""
    return str(int(value)) if is_number(value) and isinstance(value, numbers.Integral) else None


def is_listed(value: Any) -> bool:
    """Several values given as one iterable (a list, tuple, set, generator, numpy array...), not
    one value: text, bytes (a str's or bytes' items are its letters or numbers) and a mapping
    (its keys are no list of the values) are one value, as is anything that is not iterable."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))
