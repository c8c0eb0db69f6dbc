#!/usr/bin/env python3
"""Build the malformed-feed corpus tests/broken_feeds/ from the valid sample feed.

Each case is one documented mutation of tests/data/sample.zip, written as a deterministic zip
(same script, same bytes), with what a user must see: the loader's one-line error (exit 2), a
warning while the feed still loads, or a clean load; and the notice `hbeu validate` must raise.
tests/broken_feeds/cases.json holds the expectations, CASES.md the same as a table.

    python scripts/build_broken_feeds.py            # (re)write tests/broken_feeds/
    python scripts/build_broken_feeds.py --check    # exit 1 when the committed corpus differs
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "data" / "sample.zip"
OUT = ROOT / "tests" / "broken_feeds"

Files = dict[str, bytes]


# ----------------------------------------------------------------------------- text edits

def rows(files: Files, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(files[name].decode("utf-8-sig"))))


def put(files: Files, name: str, table: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    files[name] = buf.getvalue().encode("utf-8")


def set_cell(name: str, row: int, col: str, value: str) -> Callable[[Files], None]:
    """Data row ``row`` (0 = first row after the header) gets ``value`` in column ``col``."""
    def edit(files: Files) -> None:
        t = rows(files, name)
        if col not in t[0]:
            t[0].append(col)
            for r in t[1:]:
                r.append("")
        t[row + 1][t[0].index(col)] = value
        put(files, name, t)
    return edit


def drop_column(name: str, col: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        t = rows(files, name)
        k = t[0].index(col)
        put(files, name, [r[:k] + r[k + 1:] for r in t])
    return edit


def add_file(name: str, text: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[name] = text.encode("utf-8")
    return edit


def drop_file(name: str) -> Callable[[Files], None]:
    return lambda files: files.pop(name)


def replace(name: str, old: str, new: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        text = files[name].decode("utf-8")
        assert old in text, (name, old)
        files[name] = text.replace(old, new, 1).encode("utf-8")
    return edit


def reencode(name: str, old: str, new: str, encoding: str) -> Callable[[Files], None]:
    """Replace ``old`` by ``new`` and save the file in ``encoding`` (not UTF-8)."""
    def edit(files: Files) -> None:
        files[name] = files[name].decode("utf-8").replace(old, new, 1).encode(encoding)
    return edit


def raw(name: str, fn: Callable[[bytes], bytes]) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[name] = fn(files[name])
    return edit


def chain(*edits: Callable[[Files], None]) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        for e in edits:
            e(files)
    return edit


# ----------------------------------------------------------------------------- the cases

@dataclass(frozen=True)
class Case:
    """One mutation. ``load``: "error" (exit 2 with ``message`` in the one line), "warning" (loads;
    ``message`` in a warning line) or "ok". ``notice``: a code `hbeu validate` must report, and
    ``validate_exit`` its exit code."""

    name: str
    mutation: str
    edit: Callable[[Files], None] | None
    load: str
    message: str | None
    notice: str | None
    validate_exit: int
    container: str = "zip"   # "zip", "nested" (files in a folder inside the zip), "text", "truncated"


TRANSFERS = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nSTAGECOACH,STAGECOACH,2,120\n"
FEED_INFO = ("feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\n"
             "Demo,http://google.com,en,20070101,20101231\n")

def bad_cell(name: str, mutation: str, file: str, row: int, col: str, value: str, what: str, expect: str = "", *,
             load: str = "error", before: Callable[[Files], None] | None = None) -> Case:
    """A case that sets one cell (after ``before``) to a ``value`` the loader rejects ("error": exit 2;
    validate exits 1) or blanks with a warning (validate exits 0): its one line names the file, the
    line, the field and the value, as "bad ``what`` 'value'``expect``"."""
    edit = set_cell(file, row, col, value)
    return Case(name, mutation, edit if before is None else chain(before, edit), load,
                f"{file} line {row + 2} field {col}: bad {what} '{value}'{expect}", "hbeu_bad_field",
                1 if load == "error" else 0)


CASES: list[Case] = [
    # --- dates
    bad_cell("iso_start_date", "calendar.txt start_date written ISO 2007-01-01 instead of 20070101",
             "calendar.txt", 0, "start_date", "2007-01-01", "date", " (expected YYYYMMDD"),
    bad_cell("iso_exception_date", "calendar_dates.txt date written ISO 2007-06-04",
             "calendar_dates.txt", 0, "date", "2007-06-04", "date"),
    bad_cell("impossible_date", "calendar.txt end_date 20101331 (month 13)",
             "calendar.txt", 1, "end_date", "20101331", "date"),
    Case("blank_end_date", "calendar.txt end_date left blank",
         set_cell("calendar.txt", 0, "end_date", ""), "error",
         "calendar.txt line 2 field end_date: missing value", "hbeu_bad_field", 1),
    bad_cell("weekday_word", "calendar.txt monday is 'yes' instead of 1",
             "calendar.txt", 0, "monday", "yes", "value", " (expected 0 or 1)"),
    bad_cell("exception_type_3", "calendar_dates.txt exception_type 3 (only 1 and 2 exist)",
             "calendar_dates.txt", 0, "exception_type", "3", "value", " (expected one of 1, 2)"),
    bad_cell("feed_info_iso_date", "feed_info.txt feed_start_date written ISO (the planner does not need it)",
             "feed_info.txt", 0, "feed_start_date", "2007-01-01", "date", load="warning",
             before=add_file("feed_info.txt", FEED_INFO)),
    # --- times
    bad_cell("time_letters", "stop_times.txt arrival_time 6:2x:00",
             "stop_times.txt", 1, "arrival_time", "6:2x:00", "time", " (expected HH:MM:SS)"),
    bad_cell("time_minute_60", "stop_times.txt departure_time 6:60:00",
             "stop_times.txt", 3, "departure_time", "6:60:00", "time"),
    bad_cell("time_without_seconds", "stop_times.txt arrival_time 06:20 (HH:MM)",
             "stop_times.txt", 1, "arrival_time", "06:20", "time"),
    bad_cell("frequency_time_bad", "frequencies.txt start_time 'six'",
             "frequencies.txt", 0, "start_time", "six", "time"),
    # --- numbers and enums
    bad_cell("stop_sequence_word", "stop_times.txt stop_sequence 'first'",
             "stop_times.txt", 0, "stop_sequence", "first", "number"),
    bad_cell("stop_sequence_negative", "stop_times.txt stop_sequence -1",
             "stop_times.txt", 0, "stop_sequence", "-1", "number", " (expected a whole number >= 0)"),
    bad_cell("route_type_word", "routes.txt route_type 'bus'",
             "routes.txt", 0, "route_type", "bus", "number"),
    bad_cell("route_type_decimal", "routes.txt route_type 3.0 (GTFS wants an integer)",
             "routes.txt", 0, "route_type", "3.0", "number"),
    bad_cell("headway_word", "frequencies.txt headway_secs 'half-hour'",
             "frequencies.txt", 0, "headway_secs", "half-hour", "number"),
    Case("headway_zero", "frequencies.txt headway_secs 0 (the row makes no trips)",
         set_cell("frequencies.txt", 0, "headway_secs", "0"), "ok", None, "frequency_headway_not_positive", 1),
    bad_cell("location_type_7", "stops.txt location_type 7 (0-4 exist)",
             "stops.txt", 0, "location_type", "7", "value"),
    bad_cell("latitude_out_of_range", "stops.txt stop_lat 136.9",
             "stops.txt", 1, "stop_lat", "136.9", "coordinate"),
    bad_cell("longitude_word", "stops.txt stop_lon 'east'",
             "stops.txt", 2, "stop_lon", "east", "coordinate"),
    bad_cell("transfer_type_9", "transfers.txt transfer_type 9",
             "transfers.txt", 0, "transfer_type", "9", "value", before=add_file("transfers.txt", TRANSFERS)),
    bad_cell("min_transfer_time_negative", "transfers.txt min_transfer_time -60",
             "transfers.txt", 0, "min_transfer_time", "-60", "number", before=add_file("transfers.txt", TRANSFERS)),
    bad_cell("timezone_unknown", "agency.txt agency_timezone Mars/Olympus_Mons",
             "agency.txt", 0, "agency_timezone", "Mars/Olympus_Mons", "timezone"),
    # --- repairable fields: the feed loads, the cell is ignored with a warning
    bad_cell("route_color_name", "routes.txt route_color 'red' instead of FF0000",
             "routes.txt", 0, "route_color", "red", "colour", load="warning"),
    bad_cell("route_text_color_short", "routes.txt route_text_color 'FFF' (3 digits)",
             "routes.txt", 1, "route_text_color", "FFF", "colour", load="warning"),
    bad_cell("wheelchair_word", "stops.txt wheelchair_boarding 'yes'",
             "stops.txt", 0, "wheelchair_boarding", "yes", "value", load="warning"),
    bad_cell("direction_2", "trips.txt direction_id 2",
             "trips.txt", 0, "direction_id", "2", "value", " (expected 0 or 1)", load="warning"),
    bad_cell("pickup_type_9", "stop_times.txt pickup_type 9",
             "stop_times.txt", 0, "pickup_type", "9", "value", load="warning"),
    bad_cell("price_word", "fare_attributes.txt price 'free'",
             "fare_attributes.txt", 0, "price", "free", "number", load="warning"),
    # --- encodings, quoting, CSV shape
    Case("latin1_file", "stops.txt saved as Latin-1 with an accented name",
         reencode("stops.txt", "Furnace Creek Resort", "Furnace Creek Résort", "latin-1"), "error",
         "stops.txt line 2: is not UTF-8 text", "hbeu_unreadable_feed", 2),
    Case("gbk_file", "stops.txt saved as GBK with a Chinese name",
         reencode("stops.txt", "Bullfrog (Demo)", "牛蛙站", "gbk"), "error",
         "stops.txt line 4: is not UTF-8 text", "hbeu_unreadable_feed", 2),
    Case("bom_crlf", "every file with a UTF-8 byte-order mark and CRLF line ends (valid)",
         lambda files: files.update({k: b"\xef\xbb\xbf" + v.replace(b"\n", b"\r\n") for k, v in files.items()}),
         "ok", None, None, 0),
    Case("padded_values", "calendar.txt dates and stop_times times padded with blanks (loads, trimmed)",
         chain(set_cell("calendar.txt", 0, "start_date", " 20070101 "), set_cell("stop_times.txt", 0, "arrival_time", " 6:00:00")),
         "ok", None, None, 0),
    Case("unclosed_quote", "routes.txt a route name opens a quote that never closes",
         replace("routes.txt", "Airport - Bullfrog", '"Airport - Bullfrog'), "error",
         "routes.txt line 2: cannot be read as CSV", "hbeu_unreadable_feed", 2),
    Case("extra_cell", "stop_times.txt one row has more cells than the header",
         replace("stop_times.txt", "STBA,6:20:00,6:20:00,BEATTY_AIRPORT,2,,,,", "STBA,6:20:00,6:20:00,BEATTY_AIRPORT,2,,,,,x,y"),
         "error", "stop_times.txt line 3: cannot be read as CSV", "hbeu_unreadable_feed", 2),
    # --- columns, files, ids
    Case("no_stop_sequence", "stop_times.txt without the stop_sequence column",
         drop_column("stop_times.txt", "stop_sequence"), "error",
         "stop_times.txt line 1 field stop_sequence: required column is missing", "hbeu_bad_field", 1),
    Case("no_route_type", "routes.txt without the route_type column",
         drop_column("routes.txt", "route_type"), "error",
         "routes.txt line 1 field route_type: required column is missing", "hbeu_bad_field", 1),
    Case("no_trips_file", "trips.txt missing", drop_file("trips.txt"), "error",
         "trips.txt: required file is missing or empty", "hbeu_load_error", 1),
    Case("empty_stops_file", "stops.txt empty (0 bytes)", raw("stops.txt", lambda b: b""), "error",
         "stops.txt: required file is missing or empty", "hbeu_load_error", 1),
    Case("no_calendars", "neither calendar.txt nor calendar_dates.txt",
         chain(drop_file("calendar.txt"), drop_file("calendar_dates.txt")), "error",
         "neither calendar.txt nor calendar_dates.txt is present", "hbeu_load_error", 1),
    Case("blank_stop_id", "stops.txt a stop with an empty stop_id",
         set_cell("stops.txt", 2, "stop_id", ""), "error",
         "stops.txt line 4 field stop_id: missing value", "hbeu_bad_field", 1),
    Case("duplicate_stop_id", "stops.txt two stops share the id BULLFROG",
         set_cell("stops.txt", 3, "stop_id", "BULLFROG"), "error",
         "stops.txt line 5 field stop_id: duplicate stop_id 'BULLFROG'", "hbeu_duplicate_key", 1),
    Case("unknown_stop_in_stop_times", "stop_times.txt names a stop not in stops.txt",
         set_cell("stop_times.txt", 0, "stop_id", "NOWHERE"), "error",
         "stop_times.txt line 2 field stop_id: unknown stop_id 'NOWHERE'", "hbeu_load_error", 1),
    # --- containers
    Case("not_a_zip", "a text file named .zip", None, "error", "not a zip file", "hbeu_unreadable_feed", 2,
         container="text"),
    Case("truncated_zip", "the zip cut off after 1000 bytes", None, "error", "not a zip file",
         "hbeu_unreadable_feed", 2, container="truncated"),
    Case("nested_folder", "every file inside a folder gtfs/ in the zip (loads)", None, "ok", None, None, 0,
         container="nested"),
    # --- loads, but `hbeu validate` must say what is wrong
    Case("time_backwards", "stop_times.txt CITY1 arrives at NADAV 06:04, before leaving NANAA at 06:07",
         set_cell("stop_times.txt", 4, "arrival_time", "6:04:00"), "ok", None, "time_travels_backwards", 1),
    Case("bus_at_300_kmh", "stops.txt AMV moved 300 km away: the one-hour AAMV bus would do ~300 km/h",
         set_cell("stops.txt", 8, "stop_lat", "39.3"), "ok", None, "impossible_speed", 1),
    Case("parent_cycle", "stops.txt BULLFROG and STAGECOACH are each other's parent station",
         chain(set_cell("stops.txt", 2, "parent_station", "STAGECOACH"), set_cell("stops.txt", 3, "parent_station", "BULLFROG")),
         "error", "stops.txt line 4 field parent_station: parent stations form a cycle", "parent_station_cycle", 1),
    Case("one_stop_trip", "stop_times.txt trip STBA keeps only its first stop",
         replace("stop_times.txt", "STBA,6:20:00,6:20:00,BEATTY_AIRPORT,2,,,,\n", ""), "ok", None,
         "trip_with_fewer_than_two_stops", 1),
    Case("unserved_stop", "stops.txt gains a stop no trip serves",
         replace("stops.txt", "AMV,Amargosa", "GHOST,Ghost Town (Demo),,36.6,-116.5,,\nAMV,Amargosa"), "ok", None,
         "stop_not_served", 0),
    Case("service_never_runs", "calendar.txt WE runs on no weekday",
         replace("calendar.txt", "WE,0,0,0,0,0,1,1", "WE,0,0,0,0,0,0,0"), "ok", None, "service_never_active", 0),
    Case("transfer_unknown_trip", "transfers.txt names a trip that does not exist",
         add_file("transfers.txt", "from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type\n"
                                   "BEATTY_AIRPORT,BEATTY_AIRPORT,STBA,GHOST_TRIP,1\n"),
         "ok", None, "transfer_unknown_reference", 1),
    Case("five_day_trip", "stop_times.txt AAMV4 leaves 15:00:00 and arrives 112:00:00, 4 days and 1 hour later",
         chain(set_cell("stop_times.txt", 27, "arrival_time", "112:00:00"),
               set_cell("stop_times.txt", 27, "departure_time", "112:00:00")), "ok", None, "trip_longer_than_4_days", 1),
    Case("area_without_stops", "areas.txt declares an area no stop belongs to",
         chain(add_file("areas.txt", "area_id,area_name\nBEATTY,Beatty\nEMPTY,Nowhere\n"),
               add_file("stop_areas.txt", "area_id,stop_id\nBEATTY,BEATTY_AIRPORT\n")),
         "ok", None, "area_without_stops", 0),
    Case("service_outside_feed_dates", "feed_info.txt declares 2008-2009, but the calendar runs 2007-2010",
         add_file("feed_info.txt", FEED_INFO.replace("20070101,20101231", "20080101,20091231")), "ok", None,
         "date_outside_feed_range", 0),
    # --- primary keys beyond the ids (found by helper feedcheck)
    Case("duplicate_stop_sequence", "stop_times.txt CITY1's third stop NADAV has stop_sequence 2, as NANAA before it",
         set_cell("stop_times.txt", 4, "stop_sequence", "2"), "error",
         "stop_times.txt line 6 field stop_sequence: duplicate trip_id 'CITY1', stop_sequence '2' (first on line 5)",
         "hbeu_duplicate_key", 1),
    Case("duplicate_fare_id", "fare_attributes.txt fare a's row repeated as p at another price (ignored: p costs 1.25)",
         set_cell("fare_attributes.txt", 1, "fare_id", "p"), "warning",
         "fare_attributes.txt line 3 field fare_id: duplicate fare_id 'p'; ignored", "hbeu_duplicate_key", 0),
]


# ----------------------------------------------------------------------------- writing

def _zip(files: Files, prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    return buf.getvalue()


def build(case: Case) -> bytes:
    """The bytes of the case's feed file."""
    with zipfile.ZipFile(SOURCE) as zf:
        files = {Path(n).name: zf.read(n) for n in zf.namelist() if n.endswith(".txt")}
    if case.edit is not None:
        case.edit(files)
    if case.container == "text":
        return b"agency_id,agency_name\nnot,a zip\n"
    if case.container == "truncated":
        return _zip(files)[:1000]
    if case.container == "nested":
        return _zip(files, prefix="gtfs/")
    return _zip(files)


def expectations() -> list[dict]:
    return [{"case": f"{k:02d}_{c.name}", "file": f"{k:02d}_{c.name}.zip", "mutation": c.mutation, "load": c.load,
             "message": c.message, "notice": c.notice, "validate_exit": c.validate_exit}
            for k, c in enumerate(CASES, 1)]


def markdown(exp: list[dict]) -> str:
    lines = ["# Malformed feeds", "",
             "Built by `python scripts/build_broken_feeds.py` from `tests/data/sample.zip`; one mutation each.",
             "`load`: what every command does with the feed (error: exit 2 and the one line; warning: loads and",
             "warns; ok: loads). `notice`: what `hbeu validate` reports (its exit code in brackets).", "",
             "| file | mutation | load | message | notice |", "|---|---|---|---|---|"]
    for e in exp:
        msg = (e["message"] or "").replace("|", "\\|")
        lines.append(f"| {e['file']} | {e['mutation']} | {e['load']} | {msg} | {e['notice'] or '-'} "
                     f"({e['validate_exit']}) |")
    return "\n".join(lines) + "\n"


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    exp = expectations()
    for old in out.glob("*.zip"):
        old.unlink()
    for e, case in zip(exp, CASES):
        (out / e["file"]).write_bytes(build(case))
    (out / "cases.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "CASES.md").write_text(markdown(exp), encoding="utf-8")


def differences(a: Path, b: Path) -> list[str]:
    names = {p.name for p in a.iterdir()} | {p.name for p in b.iterdir()}
    return sorted(n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                            and (a / n).read_bytes() == (b / n).read_bytes()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--check", action="store_true", help="exit 1 when the files in --out differ from a rebuild")
    args = ap.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            write(Path(tmp))
            diff = differences(Path(tmp), Path(args.out))
        if diff:
            print("differs from a rebuild: " + ", ".join(diff), file=sys.stderr)
            return 1
        return 0
    write(Path(args.out))
    print(f"wrote {len(CASES)} cases to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
