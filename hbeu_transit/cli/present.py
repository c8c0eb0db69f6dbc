"""Presentation shared by every command: the ``--lang`` choice and tables that fit the terminal.

Names in both languages come from the library (published name + English translation); which of
them a table shows is a presentation choice made here, the same way for every command.

No typer here (the quick start-up path of `hbeu plan` prints through this module without it);
the consoles are made on first use, so a command printing JSON never loads rich.

Tables are built through ``fit_table``: each column states whether it may wrap and how important
it is. When the terminal is too narrow for every column at its minimum width, the least
important columns are dropped (never squeezed to nothing) and the table is followed by a
footnote naming them; the widths left are shared out so that wrapping columns fold their text
instead of rich truncating it with "…".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..analysis.table import Table
from ..errors import InputError
from ..places.names import LANGS
from ..places.names import label as name

__all__ = ["LANGS", "Column", "LazyConsole", "check_lang", "console", "err_console", "fit_table", "lang_frame", "name",
           "print_json", "print_table", "show_notes"]


class LazyConsole:
    """A rich Console made on first use: building one loads rich.console (~30 ms), which a
    command printing JSON never needs. Emoji codes are off: names never contain them, and the
    emoji table costs another 15 ms. Call it to get the Console itself (e.g. for a Progress)."""

    def __init__(self, stderr: bool = False):
        self._stderr, self._console, self._columns = stderr, None, None

    def __call__(self):
        columns = os.environ.get("COLUMNS")
        if self._console is None or columns != self._columns:  # a new width (tests, or a caller) is honoured
            from rich.console import Console

            self._console, self._columns = Console(stderr=self._stderr, emoji=False), columns
        return self._console

    def __getattr__(self, name: str):
        return getattr(self(), name)


console = LazyConsole()
err_console = LazyConsole(stderr=True)


def show_notes(notes: Iterable[str]) -> None:
    """Each note as one ``note: ...`` line on standard error, as every command words them (and
    whatever it prints on standard output: a table, JSON, CSV); never folded at the console's
    width (a terminal wraps it; a log or grep gets it whole)."""
    notes = list(notes)
    if not notes:
        return
    from rich.markup import escape

    for n in notes:
        err_console.print(f"[yellow]note:[/] {escape(n)}", highlight=False, soft_wrap=True)


def print_json(obj: Any) -> None:
    """Write JSON to stdout (UTF-8, Chinese names unescaped)."""
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def check_lang(lang: str) -> str:
    """The --lang value, checked (one line, exit 2, for anything else)."""
    if lang not in LANGS:
        raise InputError(f"--lang must be zh, en or both, not {lang!r}")
    return lang


def lang_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Rows (dicts) with their place names in ``lang``, as ``lang_frame`` gives a table's: each key
    ``c`` with an English twin ``c_en`` keeps the Chinese (zh) or takes the English where there is
    one (en), the twin dropped; both keeps the two."""
    if lang == "both":
        return rows
    out = []
    for row in rows:
        r = dict(row)
        for c in [c for c in row if f"{c}_en" in row]:
            en = r.pop(f"{c}_en")
            if lang == "en" and en:
                r[c] = en
        out.append(r)
    return out


def lang_result(to_dict, to_frame, metadata: dict | None, lang: str, origin=None, picks: bool = False):
    """A circle's or coverage's outputs with their place names in ``lang``, as freq's files and
    --json have them: ``(to_dict, to_frame, metadata)``, the document's "pairs" and the table's
    name columns picked by ``lang_rows``/``lang_frame``, the metadata record saying which;
    ``origin`` (the circle's origin place) names the rows' origin column in ``lang``.
    ``picks``: ``to_dict(lang)`` gives the pairs in ``lang`` itself (coverage's millions of
    pairs, not copied again)."""
    label = origin.label_in(lang) if origin is not None else None
    meta = None if metadata is None else {**metadata, "lang": lang}

    def doc() -> dict[str, Any]:
        d = dict(to_dict(lang) if picks else to_dict())
        rows = d["pairs"] if picks else lang_rows(d["pairs"], lang)
        d["pairs"] = rows if label is None else [{**r, "origin": label} for r in rows]
        if "metadata" in d:
            d["metadata"] = meta
        return d

    def frame():
        df = lang_frame(to_frame(), lang)
        if label is not None:
            df["origin"] = label
        return df

    return doc, frame, meta


def lang_frame(df, lang: str):
    """A table with its place names in ``lang``: the library gives each name column ``c`` (Chinese)
    an English twin ``c_en``; zh keeps ``c``, en puts the English name in ``c`` (the Chinese where
    there is none), both keeps the two columns. The metadata record says which."""
    twins = [c for c in df.columns if f"{c}_en" in df.columns]
    out = df.copy()
    if isinstance(df, Table):
        import numpy as np

        for c in twins:
            if lang == "en":
                en, zh = out[f"{c}_en"], out[c]
                out[c] = np.where([bool(e) for e in en.tolist()], en, zh)
            if lang != "both":
                out.drop(f"{c}_en")
        out.attrs = {**df.attrs, "metadata": {**df.attrs.get("metadata", {}), "lang": lang}}
        return out
    for c in twins:
        if lang == "en":
            en = out[f"{c}_en"]
            out[c] = en.where(en.notna() & (en.astype(str) != ""), out[c])
        if lang != "both":
            out = out.drop(columns=f"{c}_en")
    out.attrs = {**df.attrs, "metadata": {**df.attrs.get("metadata", {}), "lang": lang}}
    return out


# --------------------------------------------------------------------------- fitting tables

#: Width a wrapping column may fold down to (fewer only when all its text is narrower).
WRAP_MIN = 8


@dataclass
class Column:
    """One table column. ``priority``: higher is kept longer; None: never dropped. ``wrap``:
    text may fold onto several lines (names); otherwise the column keeps its widest cell."""

    header: str
    priority: int | None = None
    justify: str = "left"
    wrap: bool = False
    min_width: int = WRAP_MIN


def _cell_width(cell: Any) -> int:
    from rich.cells import cell_len
    from rich.text import Text

    text = cell if isinstance(cell, Text) else Text.from_markup(str(cell), emoji=False)  # as the consoles print it
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Any] | None]) -> tuple[list[int], list[int]]:
    """(natural, minimum) width of each column (measured once: dropping columns changes neither)."""
    natural, minimum = [], []
    for k, col in enumerate(columns):
        nat = max([_cell_width(col.header)] + [_cell_width(r[k]) for r in rows if r is not None])
        if col.wrap:
            head = max((_cell_width(w) for w in col.header.split()), default=1)
            low = min(nat, max(col.min_width, head))
        else:
            low = nat
        natural.append(max(nat, 1))
        minimum.append(max(low, 1))
    return natural, minimum


#: Border and padding cells a table of n columns needs (rich's default box, padding 0 1).
def _overhead(n: int) -> int:
    return 3 * n + 1


def fit_table(title: str | None, columns: Sequence[Column], rows: Iterable[Sequence[Any] | None], width: int,
              **table_kw) -> tuple[Any, list[str]]:
    """A rich Table of ``rows`` (None: a section line) no wider than ``width``, and the headers
    of the columns dropped to get there (lowest ``priority`` first)."""
    from rich.table import Table

    rows = list(rows)
    keep = list(range(len(columns)))
    dropped: list[str] = []
    nat_all, min_all = _widths(columns, rows)
    natural, minimum = nat_all, min_all
    droppable = sorted((c.priority, k) for k, c in enumerate(columns) if c.priority is not None)
    while sum(minimum) + _overhead(len(keep)) > width and droppable:
        _, k = droppable.pop(0)
        dropped.append(columns[k].header)
        keep.remove(k)
        natural, minimum = [nat_all[i] for i in keep], [min_all[i] for i in keep]
    fixed: list[int | None] = [None] * len(keep)
    room = width - _overhead(len(keep))
    if sum(natural) > room:
        # every column at its minimum, the room left shared by the wrapping ones by how much they want
        fixed = list(minimum)
        spare = room - sum(minimum)
        want = [nat - low for nat, low in zip(natural, minimum)]
        total = sum(want)
        if spare > 0 and total > 0:
            extra = [spare * w // total for w in want]
            for i in sorted(range(len(keep)), key=lambda i: -want[i])[: spare - sum(extra)]:
                extra[i] += 1 if want[i] > extra[i] else 0
            fixed = [f + e for f, e in zip(fixed, extra)]
    if title:  # a narrow table still gets its title on one line where the terminal allows
        table_kw.setdefault("min_width", min(width, _cell_width(title)))
    t = Table(title=title, title_justify="left", **table_kw)
    for i, k in enumerate(keep):
        col = columns[k]
        t.add_column(col.header, justify=col.justify, overflow="fold" if col.wrap else "ellipsis",
                     no_wrap=not col.wrap, width=fixed[i], min_width=None if fixed[i] else 1)
    for r in rows:
        if r is None:
            t.add_section()
        else:
            t.add_row(*(r[k] for k in keep))
    return t, dropped


def print_table(console, title: str | None, columns: Sequence[Column], rows: Iterable[Sequence[Any] | None],
                **table_kw) -> list[str]:
    """Fit, print, and name the dropped columns in a footnote; returns their headers."""
    t, dropped = fit_table(title, columns, rows, console.width, **table_kw)
    console.print(t)
    if dropped:
        console.print(f"not shown at {console.width} columns: {', '.join(dropped)} "
                      "(widen the terminal, or --json for everything)", highlight=False)
    return dropped
