"""Charts of analysis tables, drawn with matplotlib's Agg backend (no display needed) and
written atomically. matplotlib is imported only when a chart is drawn."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_path


def freq_chart(df, meta: dict, path: str | Path) -> None:
    """Chart a `hbeu freq` table as PNG: the hourly time series (by hour), else departures per
    day of the top 25 rows; ``meta`` is the table's metadata (by, clock, days, date_from/to...)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
            value = "trips_per_day" if meta["by"] == "route" else "departures_per_day"
            top = df.sort_values(value, ascending=False).head(25)
            if meta["by"] == "route":
                labels = top["route_short_name"].fillna(top["route_id"])
            elif meta["by"] == "od":
                labels = top["origin"] + " → " + top["destination"]
            else:
                labels = top["station"].fillna(top["station_id"])
            ax.barh(list(labels.astype(str))[::-1], list(top[value])[::-1])
            ax.set_xlabel(value.replace("_", " "))
        span = meta["date_from"] if meta["days"] == 1 else f"{meta['date_from']} … {meta['date_to']}"
        ax.set_title(f"hbeu freq --by {meta['by']} · {span}")
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
