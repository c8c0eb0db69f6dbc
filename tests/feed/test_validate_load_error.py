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
    else:   # shown once: as the planner's own notice where one of its checks saw the same file, row and
        # field (a bad field, a repeated key, a parent-station cycle, a transfer's unknown stop), else
        # as hbeu_load_error, under the notices' name of the file (x/stop_times.txt for x.zip/stop_times.txt)
        file = err[0].replace(f"{path.name}/", f"{path.stem}/", 1) if path.suffix == ".zip" else err[0]
        err = (file, *err[1:])
        bad = {(n.file, n.row, n.field) for n in notices if n.code in SAME_AS_THE_LOADER}
        assert loads == ([] if err[:3] in bad else [err])


#: The planner's own notices that name what the loader refuses a feed for.
SAME_AS_THE_LOADER = ("hbeu_bad_field", "hbeu_duplicate_key", "parent_station_cycle", "transfer_unknown_reference")
_STOPS = [("S1", 40.0, 111.0), ("S2", 40.1, 111.1), ("S3", 40.2, 111.2)]
_TIMES = {"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]}
_TRANSFER_TO_GHOST = [{"from_stop_id": "S1", "to_stop_id": "S2", "transfer_type": 0},
                      {"from_stop_id": "S2", "to_stop_id": "GHOST", "transfer_type": 0}]
_CYCLE = [("S1", 40.0, 111.0), ("S2", 40.1, 111.1, "S3", 1), ("S3", 40.2, 111.2, "S2", 1)]


@pytest.mark.parametrize("tables, once", [
    # stops.txt line 3: S2 -> S3 -> S2 (the loader: "parent stations form a cycle: S2 -> S3 -> S2")
    ({"stops": _CYCLE}, ("parent_station_cycle", "f/stops.txt", 3, "parent_station")),
    # transfers.txt line 3 (the loader: "unknown stop_id 'GHOST' (not in stops.txt)")
    ({"transfers": _TRANSFER_TO_GHOST}, ("transfer_unknown_reference", "f/transfers.txt", 3, "to_stop_id")),
], ids=["parent_cycle", "transfer_unknown_stop"])
def test_a_refusal_the_checks_name_is_reported_once(tmp_path, tables, once):
    """A parent-station cycle was reported twice, as parent_station_cycle and again as
    hbeu_load_error on the same row and field (an unknown stop in transfers.txt likewise, as
    transfer_unknown_reference): one notice, which says that the planner refuses the feed."""
    from gtfs_factory import make_feed

    d = make_feed(tmp_path / "f", **{"stops": _STOPS, "stop_times": _TIMES, **tables})
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert (e.value.file, e.value.line, e.value.field) == once[1:]
    notices, readable = validate_feed(d, canonical=False)
    errors = [n for n in notices if n.severity == "ERROR"]
    assert readable and [(n.code, n.file, n.row, n.field) for n in errors] == [once]
    assert errors[0].message.endswith("; stops the planner"), errors[0].message


def test_a_refusal_the_checks_do_not_name_is_still_reported(tmp_path):
    """An unknown stop in stop_times.txt (line 3) is none of the planner's own checks (the
    canonical rules' foreign_key_violation): the loader's refusal is its one notice, beside the
    parent-station cycle the checks do find (which the loader, stopping at the first problem,
    never reached)."""
    from gtfs_factory import make_feed

    d = make_feed(tmp_path / "f", stops=_CYCLE, stop_times={"T": [("S1", "08:00:00", "08:00:00"),
                                                                  ("NOWHERE", "08:30:00", "08:30:00")]})
    notices, readable = validate_feed(d, canonical=False)
    got = [(n.code, n.file, n.row, n.field) for n in notices if n.severity == "ERROR"]
    assert readable and sorted(got) == [("hbeu_load_error", "f/stop_times.txt", 3, "stop_id"),
                                        ("parent_station_cycle", "f/stops.txt", 3, "parent_station")]
    (refused,) = [n for n in notices if n.code == "hbeu_load_error"]
    assert refused.message == "unknown stop_id 'NOWHERE' (not in stops.txt); the planner refuses this feed"
