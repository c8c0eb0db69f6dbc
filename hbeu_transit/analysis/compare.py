"""Before and after: two coverage results (e.g. today and with a scenario) side by side.

Plain Python over the coverage records (one dict per ordered pair with ``origin``,
``destination`` and the circle measures), so it works on any two coverage runs and needs no
pandas. The pairs are those of the *before* run: a place the scenario adds (a new station is
its own area) has no "before", and is counted in the parameters instead.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["COMPARED", "Comparison", "compare_coverage"]

#: The measures compared (``in_circle`` is shown before/after and as ``change``).
COMPARED = ("fastest_min", "median_min", "p10_min", "p90_min", "share_within", "direct_departures")
#: The compared measures that are counts (whole numbers); the others are minutes and shares.
COUNTS = ("direct_departures",)


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    f = float(v)
    return None if math.isnan(f) else f


def _count(v: Any) -> int | None:
    """A count (direct departures) as the whole number coverage gives, not 41.0."""
    f = _num(v)
    return None if f is None else int(f)


def _side(row: Mapping[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {m: None for m in COMPARED} | {"in_circle": False}
    return ({m: (_count if m in COUNTS else _num)(row.get(m)) for m in COMPARED}
            | {"in_circle": bool(row.get("in_circle"))})


@dataclass(frozen=True)
class Comparison:
    """Per ordered pair: ``before``, ``after`` and ``delta`` (after - before, None where either
    side is unreachable) of the measures, and ``change``: enters / leaves / in / out of the circle."""

    parameters: dict[str, Any]
    pairs: list[dict[str, Any]]
    origins: list[str] = field(default_factory=list)        # the places, in matrix order (for charts)
    destinations: list[str] = field(default_factory=list)
    names: dict[str, tuple[str, str | None]] = field(default_factory=dict)   # label -> (name, English name)
    notes: list[str] = field(default_factory=list)          # the two runs' notes (a typo forgiven, the date used...)
    metadata: dict[str, Any] | None = None   # the record exports carry (``Network.compare_coverage``)

    def to_dict(self) -> dict[str, Any]:
        """What ``hbeu coverage --compare --json`` prints: {"parameters", "notes", "summary",
        "pairs"}, and "metadata" (feeds, ``generated_at``, versions) when the run recorded it."""
        doc = {"parameters": self.parameters, "notes": self.notes, "summary": self.summary(), "pairs": self.pairs}
        return doc if self.metadata is None else {**doc, "metadata": self.metadata}

    def summary(self) -> dict[str, Any]:
        """Counts for the headline: pairs entering/leaving the circle, pairs made faster, the
        median of the minutes saved on the fastest journey among those, share-within gained."""
        saved = sorted(-p["delta"]["fastest_min"] for p in self.pairs
                       if p["delta"]["fastest_min"] is not None and p["delta"]["fastest_min"] < 0)
        newly = [p for p in self.pairs if p["before"]["fastest_min"] is None and p["after"]["fastest_min"] is not None]
        share = [p["delta"]["share_within"] for p in self.pairs if p["delta"]["share_within"] is not None]
        n = len(self.pairs)
        return {
            "pairs": n,
            "in_circle_before": sum(p["before"]["in_circle"] for p in self.pairs),
            "in_circle_after": sum(p["after"]["in_circle"] for p in self.pairs),
            "entered": [f"{p['origin']} -> {p['destination']}" for p in self.pairs if p["change"] == "enters"],
            "left": [f"{p['origin']} -> {p['destination']}" for p in self.pairs if p["change"] == "leaves"],
            "faster_pairs": len(saved),
            "newly_reachable_pairs": len(newly),
            "median_fastest_saved_min": _median(saved),
            "mean_share_within_gained": (sum(share) / len(share)) if share else None,
        }

    def to_frame(self):
        """One row per pair, columns ``<measure>_before``, ``_after``, ``_delta`` (pandas here only)."""
        import pandas as pd

        rows = []
        for p in self.pairs:
            row = {k: p[k] for k in ("origin", "destination", "origin_name", "origin_name_en", "destination_name",
                                     "destination_name_en", "change")}
            for side in ("before", "after", "delta"):
                row.update({f"{m}_{side}": v for m, v in p[side].items()})
            rows.append(row)
        df = pd.DataFrame(rows)
        if self.metadata is not None:
            df.attrs["metadata"] = self.metadata
        return df


def _median(xs: list[float]) -> float | None:
    """The median, None for no values (``statistics.median`` raises there)."""
    return statistics.median(xs) if xs else None


def compare_coverage(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]],
                     parameters: Mapping[str, Any] | None = None, **places: Any) -> Comparison:
    """Pair up two coverage runs' records on (origin, destination), in the before run's order."""
    later = {(r["origin"], r["destination"]): r for r in after}
    pairs = []
    for r in before:
        key = (r["origin"], r["destination"])
        b, a = _side(r), _side(later.get(key))
        delta = {m: (None if b[m] is None or a[m] is None else a[m] - b[m]) for m in COMPARED}
        change = {(False, True): "enters", (True, False): "leaves", (True, True): "in",
                  (False, False): "out"}[(b["in_circle"], a["in_circle"])]
        pairs.append({"origin": r["origin"], "destination": r["destination"],
                      "origin_name": r.get("origin_name", r["origin"]),
                      "origin_name_en": r.get("origin_name_en"),
                      "destination_name": r.get("destination_name", r["destination"]),
                      "destination_name_en": r.get("destination_name_en"),
                      "before": b, "after": a, "delta": delta, "change": change})
    known = {(r["origin"], r["destination"]) for r in before}
    params = dict(parameters or {})
    params["pairs_only_after"] = sum(1 for k in later if k not in known)
    return Comparison(params, pairs, **places)
