"""`hbeu validate`'s verdict of the loader (hbeu_load_error, and the repaired-field warnings)
is what ``load_feeds`` itself says of the feed, on every case of the malformed-feed corpus and
the real test feeds: validate runs the loader's checks on the tables it has already read, and
must not differ from reading the feed again."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from hbeu_transit.errors import FeedError, FeedWarning
from hbeu_transit.feed import load_feeds
from hbeu_transit.feed.validate import validate_feed

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "broken_feeds"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
FEEDS = [CORPUS / c["file"] for c in CASES] + [ROOT / "data" / "sample.zip", ROOT / "data" / "caltrain.zip"]


def loader_says(path: Path) -> tuple[tuple | None, list[str]]:
    """The reference: (file, line, field, message) of load_feeds' FeedError, and its warnings."""
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        try:
            load_feeds([path])
            err = None
        except FeedError as e:
            err = (e.file, e.line, e.field, f"{e.message}; the planner refuses this feed")
    return err, [str(w.message) for w in got if issubclass(w.category, FeedWarning)]


@pytest.mark.parametrize("path", FEEDS, ids=[p.name for p in FEEDS])
def test_validate_reports_what_the_loader_says(path):
    err, warned = loader_says(path)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        notices, readable = validate_feed(path, canonical=False)
    if not readable:                     # unreadable as text: the loader stops at the same place
        assert err is not None and notices[0].code == "hbeu_unreadable_feed"
        return
    assert [str(w.message) for w in got if issubclass(w.category, FeedWarning)] == warned
    loads = [(n.file, n.row, n.field, n.message) for n in notices if n.code == "hbeu_load_error"]
    if err is None:
        assert loads == []
    else:                                # shown once: as a bad field where the fields check saw it,
        # under the notices' name of the file (x/stop_times.txt for the loader's x.zip/stop_times.txt)
        file = err[0].replace(f"{path.name}/", f"{path.stem}/", 1) if path.suffix == ".zip" else err[0]
        err = (file, *err[1:])
        bad = {(n.file, n.row, n.field) for n in notices if n.code in ("hbeu_bad_field", "hbeu_duplicate_key")}
        assert loads == ([] if err[:3] in bad else [err])
