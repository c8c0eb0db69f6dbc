"""The HTML page of `hbeu validate -o report.html`, laid out like the canonical validator's:
a summary (feeds, date, notices by severity), then one collapsible section per notice code with
its first rows (file, row, field, value, message). One self-contained file, no scripts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html import escape

from .feed.validate import SEVERITIES, Report

#: Rows shown per notice code (the JSON report has every notice).
ROWS_PER_CODE = 100

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;margin:.5em 0 1em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3} .ERROR{color:#b00020;font-weight:bold} .WARNING{color:#a15c00}
.INFO{color:#555} details{margin:.4em 0} summary{cursor:pointer} code{font-size:.95em}
"""


def validation_html(report: Report, date: dt.date | None = None) -> str:
    """The whole page as a string."""
    counts = report.counts()
    by_code: dict[str, list] = {}
    for n in report.notices:
        by_code.setdefault(n.code, []).append(n)
    severity = {code: ns[0].severity for code, ns in by_code.items()}
    order = {s: k for k, s in enumerate(SEVERITIES)}
    codes = sorted(by_code, key=lambda c: (order.get(severity[c], 9), c))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>hbeu validate report</title>", f"<style>{_STYLE}</style></head><body>",
           "<h1>GTFS validation report (hbeu validate)</h1>", "<h2>Summary</h2>", "<table>"]
    rows = [("Feeds", "<br>".join(escape(f) for f in report.feeds)),
            ("Canonical rules", escape(f"gtfs-validator {report.canonical}") if report.canonical else "not run"),
            ("Date for validation", escape(date.isoformat()) if date else "today"),
            ("Result", {0: "no errors", 1: "errors", 2: "a feed cannot be read"}[report.exit_code])]
    out += [f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows]
    out.append("</table><table><tr><th>Severity</th><th>Notices</th></tr>")
    out += [f'<tr><td class="{s}">{s}</td><td>{counts.get(s, 0)}</td></tr>' for s in SEVERITIES]
    out.append("</table><h2>Notices</h2>")
    if not codes:
        out.append("<p>No notices.</p>")
    out.append("<table><tr><th>Code</th><th>Severity</th><th>Total</th><th>Files</th></tr>")
    for code in codes:
        files = Counter(n.file for n in by_code[code] if n.file)
        out.append(f'<tr><td><a href="#{escape(code)}"><code>{escape(code)}</code></a></td>'
                   f'<td class="{severity[code]}">{severity[code]}</td><td>{len(by_code[code])}</td>'
                   f"<td>{escape(', '.join(sorted(files)))}</td></tr>")
    out.append("</table>")
    for code in codes:
        ns = by_code[code]
        out.append(f'<details id="{escape(code)}" open><summary><code>{escape(code)}</code> '
                   f'<span class="{severity[code]}">{severity[code]}</span> ({len(ns)})</summary>')
        out.append("<table><tr><th>File</th><th>Row</th><th>Field</th><th>Value</th><th>Message</th></tr>")
        for n in ns[:ROWS_PER_CODE]:
            cells = (n.file, n.row, n.field, n.value, n.message)
            out.append("<tr>" + "".join(f"<td>{'' if c is None else escape(str(c))}</td>" for c in cells) + "</tr>")
        out.append("</table>")
        if len(ns) > ROWS_PER_CODE:
            out.append(f"<p>… and {len(ns) - ROWS_PER_CODE} more (hbeu validate --json lists every notice).</p>")
        out.append("</details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
