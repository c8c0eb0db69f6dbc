"""PNG charts of the one-hour circle: travel time through the day, and the coverage heatmap.

Drawn with matplotlib's Agg backend and written atomically (like ``charts.freq_chart``).
Names are shown as published (Chinese) when a CJK font is available (``fonts.cjk_family``),
else in English, so a chart never shows empty boxes or prints font warnings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .fonts import cjk_family, has_cjk
from .places.names import label

__all__ = ["MAX_SIDE_IN", "circle_chart", "coverage_heatmap", "grid_layout", "place_ticks"]

#: Most destinations drawn in the circle chart (the fastest ones), to keep it readable.
MAX_LINES = 12
#: The largest heatmap side in inches: a feed whose every stop is its own area (cairns: 415)
#: would otherwise ask for a 34,000 x 23,000 px figure and run out of memory.
MAX_SIDE_IN = 40.0


def _setup():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fam = cjk_family()
    rc = {"font.family": ["DejaVu Sans", fam] if fam else ["DejaVu Sans"], "axes.unicode_minus": False}
    return plt, rc, fam is not None


def _label(name: str, name_en: str | None, cjk: bool, lang: str = "both") -> str:
    """The name in ``lang`` (``places.names.label``) with a CJK font; without one, the English
    name (or the name without its CJK part) rather than empty boxes."""
    text = label(name, name_en, lang)
    if cjk or not has_cjk(text):
        return text
    if name_en and not has_cjk(name_en):
        return name_en
    latin = "".join(c for c in name if not has_cjk(c)).strip()
    return latin or "?"


def grid_layout(n_rows: int, n_cols: int, cell: tuple[float, float], pad: tuple[float, float],
                max_side: float = MAX_SIDE_IN) -> tuple[tuple[float, float], bool, tuple[float, float]]:
    """(figure size, numbers in the cells?, (x, y) tick label sizes in points, 0 for none) of a
    heatmap: ``cell`` inches (w, h) a cell plus ``pad`` around it, cells shrunk so that no
    side passes ``max_side``; the numbers only while a cell still holds them, the names only
    while a row or column holds a 4-point line."""
    w = min(cell[0], (max_side - pad[0]) / max(n_cols, 1))
    h = min(cell[1], (max_side - pad[1]) / max(n_rows, 1))
    numbers = w >= 0.3 and h >= 0.2

    def font(inches: float) -> float:
        pt = min(10.0, 72 * inches * 0.8)
        return pt if pt >= 4 else 0.0

    return (pad[0] + w * n_cols, pad[1] + h * n_rows), numbers, (font(w), font(h))


def place_ticks(ax, xl: Sequence[str], yl: Sequence[str], sizes: tuple[float, float]) -> None:
    """Destination names under the columns, origins beside the rows, at ``sizes`` points (0:
    too many to name, no ticks)."""
    if sizes[0]:
        ax.set_xticks(range(len(xl)))
        ax.set_xticklabels(xl, rotation=45, ha="right", fontsize=sizes[0])
    else:
        ax.set_xticks([])
    if sizes[1]:
        ax.set_yticks(range(len(yl)))
        ax.set_yticklabels(yl, fontsize=sizes[1])
    else:
        ax.set_yticks([])


def _hhmm(sec: float) -> str:
    h, m = divmod(int(round(sec)) // 60, 60)
    return f"{h:02d}:{m:02d}"


def circle_chart(minutes: np.ndarray, series: Sequence[tuple[str, str | None, np.ndarray]], within: float,
                 title: str, path: str | Path, lang: str = "both", wall: Callable[[int], int] | None = None) -> None:
    """Travel time (minutes, waiting included) at each departure minute of the window: one
    small panel per destination (the ``MAX_LINES`` with the lowest median), with the T line
    and the share of minutes within T.

    ``minutes``: departure instants (seconds of the service day); ``series``: (name,
    English name, travel seconds per minute, inf where no journey); ``wall``: the wall clock
    at an instant of the service day (seconds -> seconds, ``times.wall_seconds`` of the date),
    which the time axis is labelled with (default: the seconds as they are)."""
    plt, rc, cjk = _setup()
    ranked = sorted(series, key=lambda s: _median(s[2]))[:MAX_LINES]
    cols = 3 if len(ranked) > 4 else max(1, len(ranked))
    rows = max(1, math.ceil(len(ranked) / cols))
    with plt.rc_context(rc):
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.3 * rows + 0.9), dpi=110, sharex=True,
                                 sharey=True, squeeze=False)
        try:
            x = np.asarray(minutes, dtype=float) / 3600
            top = 3 * within
            for ax, (name, en, travel) in zip(axes.flat, ranked):
                y = np.asarray(travel, dtype=float) / 60
                share = float(np.mean(y <= within)) if len(y) else 0.0
                y[~np.isfinite(y)] = np.nan
                ax.fill_between(x, 0, np.minimum(y, top), where=np.isfinite(y), step=None, color="#4c72b0",
                                alpha=0.25, linewidth=0)
                ax.plot(x, np.minimum(y, top), color="#4c72b0", linewidth=1)
                ax.axhline(within, color="black", linestyle="--", linewidth=1)
                ax.set_title(f"{_label(name, en, cjk, lang)}: {share:.0%} ≤ {within:g} min", fontsize=9)
                ax.set_ylim(0, top)
                ax.grid(alpha=0.3)
            for ax in list(axes.flat)[len(ranked):]:
                ax.set_visible(False)
            if len(x):
                step = 3 if x[-1] - x[0] > 12 else (2 if x[-1] - x[0] > 6 else 1)
                ticks = np.arange(math.floor(x[0]), math.ceil(x[-1]) + 1, step)
                for ax in axes[-1]:
                    ax.set_xticks(ticks)
                    ax.set_xticklabels([_hhmm(wall(int(t) * 3600) if wall else t * 3600) for t in ticks],
                                       fontsize=8)
            for ax in axes[:, 0]:
                ax.set_ylabel("min", fontsize=8)
            more = f" (the {len(ranked)} best of {len(series)} reached)" if len(series) > len(ranked) else ""
            fig.suptitle(_label(title, None, cjk) + more + f"\ntravel time incl. waiting by departure time; "
                         f"dashed: T = {within:g} min; capped at {top:g}", fontsize=10)
            fig.tight_layout()
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format="png")
        finally:
            plt.close(fig)


def _median(travel: np.ndarray) -> float:
    t = np.asarray(travel, dtype=float)
    return float(np.median(t)) if len(t) else math.inf


def coverage_heatmap(origins: Sequence[tuple[str, str | None]], destinations: Sequence[tuple[str, str | None]],
                     share: np.ndarray, fastest: np.ndarray, within: float, title: str, path: str | Path,
                     lang: str = "both") -> None:
    """Share of the window's minutes within T (colour, 0-100 %) per origin (rows) and
    destination (columns), with the fastest minutes written in each cell ("–": none)."""
    plt, rc, cjk = _setup()
    with plt.rc_context(rc):
        n_o, n_d = len(origins), len(destinations)
        (fw, fh), numbers, sizes = grid_layout(n_o, n_d, (0.75, 0.5), (1.5, 1.6))
        fig, ax = plt.subplots(figsize=(max(7.5, fw), max(4.0, fh)), dpi=110)
        try:
            data = np.ma.masked_invalid(np.asarray(share, dtype=float) * 100)
            im = ax.imshow(data, cmap="YlGn", vmin=0, vmax=100, aspect="auto")
            for i in range(n_o if numbers else 0):
                for j in range(n_d):
                    f, s = fastest[i, j], share[i, j]
                    if math.isnan(s):
                        continue
                    txt = "–" if math.isnan(f) else f"{f:.0f}"
                    ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                            color="white" if s > 0.6 else "black")
            place_ticks(ax, [_label(n, e, cjk, lang) for n, e in destinations],
                        [_label(n, e, cjk, lang) for n, e in origins], sizes)
            ax.set_xlabel("to" if sizes[0] else f"to ({n_d} places)")
            ax.set_ylabel("from" if sizes[1] else f"from ({n_o} places)")
            import textwrap

            head = "\n".join(textwrap.wrap(_label(title, None, cjk), 70))
            ax.set_title(head + f"\ncolour: share of minutes within {within:g} min"
                         + ("; number: fastest (min)" if numbers else ""),
                         fontsize=9)
            fig.colorbar(im, ax=ax, label=f"% of minutes ≤ {within:g} min")
            fig.tight_layout()
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format="png")
        finally:
            plt.close(fig)
