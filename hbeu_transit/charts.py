"""Charts of analysis tables, drawn with matplotlib's Agg backend (no display needed) and
written atomically. matplotlib is imported only when a chart is drawn."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_path


def freq_chart(df, meta: dict, path: str | Path) -> None:
    """Chart a `hbeu freq` table as PNG: the hourly time series (by hour), else departures per
    day of the top 25 rows; ``meta`` is the table's metadata (by, clock, days, date_from/to...).
    Place names as the table gives them (a name column and its ``_en`` twin are drawn as
    "包头 Baotou"), in a CJK font when one is installed (else English, never empty boxes)."""
    from .circle_charts import _label, _setup

    plt, rc, cjk = _setup()

    def names(col):
        """A name column (or Series) as chart labels, with its English twin when the table has one."""
        zh = df[col] if isinstance(col, str) else col
        en = df[f"{col}_en"] if isinstance(col, str) and f"{col}_en" in df else None
        return [_label(str(z), en[i] if en is not None and isinstance(en[i], str) else None, cjk)
                for i, z in zip(df.index, zh)]

    with plt.rc_context(rc):
        _draw(plt, df, meta, path, names)


def _draw(plt, df, meta: dict, path: str | Path, names) -> None:
    fig, ax = plt.subplots(figsize=(10, 5), dpi=110)
    try:
        if meta["by"] == "hour":
            for m in meta.get("mode_columns", []):
                ax.plot(df["hour"], df[m], marker="o", label=m)
            ax.plot(df["hour"], df["total"], color="black", linewidth=2, label="total")
            for c in [c for c in df.columns if c.startswith("per_")]:
                ax.plot(df["hour"], df[c], linestyle="--", label=c.replace("per_", "total, "))
            ax.set_xlabel(f"hour of day ({meta['clock']} clock)")
            ax.set_ylabel("departures per day")
            ax.set_xticks(list(df["hour"]))
            ax.legend()
        else:
            import pandas as pd

            value = "trips_per_day" if meta["by"] == "route" else "departures_per_day"
            if meta["by"] == "route":
                long = df["route_long_name"] if "route_long_name" in df else df["route_id"]
                short = df["route_short_name"].where(df["route_short_name"].notna() & (df["route_short_name"] != ""),
                                                     long).fillna(df["route_id"])
                labels = pd.Series(names(short), index=df.index)
            elif meta["by"] == "od":
                labels = pd.Series([f"{o} → {d}" for o, d in zip(names("origin"), names("destination"))],
                                   index=df.index)
            else:
                labels = pd.Series(names("station"), index=df.index)
            top = df.sort_values(value, ascending=False).head(25)
            ax.barh(list(labels[top.index].astype(str))[::-1], list(top[value])[::-1])
            ax.set_xlabel(value.replace("_", " "))
        span = meta["date_from"] if meta["days"] == 1 else f"{meta['date_from']} … {meta['date_to']}"
        ax.set_title(f"hbeu freq --by {meta['by']} · {span}")
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
