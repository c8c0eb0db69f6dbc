"""PNG of a before/after comparison: the two coverage heatmaps and their difference.

Drawn like ``circle_charts.coverage_heatmap`` (same font rules: published names with a CJK
font, else English), three panels side by side, written atomically.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .circle_charts import MAX_SIDE_IN, _label, _setup, grid_layout, place_ticks

__all__ = ["compare_heatmaps", "comparison_png"]


def compare_heatmaps(origins: Sequence[tuple[str, str | None]], destinations: Sequence[tuple[str, str | None]],
                     share: tuple[np.ndarray, np.ndarray], fastest: tuple[np.ndarray, np.ndarray], within: float,
                     title: str, path: str | Path, lang: str = "both") -> None:
    """Before | after: share of minutes within T (colour) with the fastest minutes in the cells;
    difference: share gained (colour, percentage points) with the minutes saved on the fastest
    journey ("new": reachable only after)."""
    plt, rc, cjk = _setup()
    with plt.rc_context(rc):
        n_o, n_d = len(origins), len(destinations)
        (w, fh), numbers, sizes = grid_layout(n_o, n_d, (0.7, 0.5), (1.2, 1.8), max_side=MAX_SIDE_IN / 3)
        fig, axes = plt.subplots(1, 3, figsize=(3 * max(5.0, w), max(4.2, fh)), dpi=100)
        try:
            xl = [_label(n, e, cjk, lang) for n, e in destinations]
            yl = [_label(n, e, cjk, lang) for n, e in origins]
            for ax, s, f, head in ((axes[0], share[0], fastest[0], "before"), (axes[1], share[1], fastest[1], "after")):
                im = ax.imshow(np.ma.masked_invalid(np.asarray(s, float) * 100), cmap="YlGn", vmin=0, vmax=100,
                               aspect="auto")
                for i in range(n_o if numbers else 0):
                    for j in range(n_d):
                        if not math.isnan(s[i, j]):
                            ax.text(j, i, "–" if math.isnan(f[i, j]) else f"{f[i, j]:.0f}", ha="center",
                                    va="center", fontsize=8, color="white" if s[i, j] > 0.6 else "black")
                ax.set_title(f"{head}: % of minutes ≤ {within:g} min, fastest (min)", fontsize=9)
            fig.colorbar(im, ax=axes[:2].tolist(), fraction=0.03, label=f"% of minutes ≤ {within:g} min")
            gain = (np.asarray(share[1], float) - np.asarray(share[0], float)) * 100
            im = axes[2].imshow(np.ma.masked_invalid(gain), cmap="RdBu", vmin=-100, vmax=100, aspect="auto")
            for i in range(n_o if numbers else 0):
                for j in range(n_d):
                    b, a = fastest[0][i, j], fastest[1][i, j]
                    if math.isnan(gain[i, j]):
                        continue
                    txt = "new" if math.isnan(b) and not math.isnan(a) else (
                        "–" if math.isnan(b) or math.isnan(a) else f"{a - b:+.0f}")
                    axes[2].text(j, i, txt, ha="center", va="center", fontsize=8,
                                 color="white" if abs(gain[i, j]) > 60 else "black")
            axes[2].set_title("difference: share gained (colour), fastest minutes (number)", fontsize=9)
            fig.colorbar(im, ax=axes[2], fraction=0.05, label="percentage points")
            for ax in axes:
                place_ticks(ax, xl, yl, sizes)
            fig.suptitle("\n".join(textwrap.wrap(_label(title, None, cjk), 110)), fontsize=10)
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format="png", bbox_inches="tight")
        finally:
            plt.close(fig)


def comparison_png(cmp, path: str | Path, lang: str = "both") -> None:
    """The PNG of an ``analysis.compare.Comparison`` made with places and names (``Network.compare_coverage``)."""
    o, d = cmp.origins, cmp.destinations
    mats = {}
    for side in ("before", "after"):
        for m in ("share_within", "fastest_min"):
            a = np.full((len(o), len(d)), np.nan)
            mats[side, m] = a
    oi, di = {x: k for k, x in enumerate(o)}, {x: k for k, x in enumerate(d)}
    for p in cmp.pairs:
        if p["origin"] in oi and p["destination"] in di:
            for side in ("before", "after"):
                for m in ("share_within", "fastest_min"):
                    v = p[side][m]
                    mats[side, m][oi[p["origin"]], di[p["destination"]]] = np.nan if v is None else v
    names = cmp.names
    within = float(cmp.parameters.get("within", 60))
    title = (f"{' + '.join(cmp.parameters.get('scenarios', [])) or 'after'}: {cmp.parameters.get('date', '')} "
             f"{cmp.parameters.get('window', '')}")
    compare_heatmaps([names.get(x, (x, None)) for x in o], [names.get(x, (x, None)) for x in d],
                     (mats["before", "share_within"], mats["after", "share_within"]),
                     (mats["before", "fastest_min"], mats["after", "fastest_min"]), within, title, path, lang)
