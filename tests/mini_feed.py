"""The mini feed of the place-index and plan tests: two cities' rail stations with platforms, bus
stops, translations, fares v2 (MINI), and a variant with named stops inside stations (HUB)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path


MINI = {
    "agency": [("agency_id", "agency_name", "agency_url", "agency_timezone"),
               ("CR", "中国铁路", "https://www.12306.cn", "Asia/Shanghai"),
               ("BUS", "公交", "https://bus.example", "Asia/Shanghai")],
    "stops": [("stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"),
              ("BT", "包头站", "40.60", "110.00", "1", ""),
              ("BT1", "包头站", "40.60", "110.00", "0", "BT"),
              ("BTE", "包头东站", "40.62", "110.05", "1", ""),
              ("BTE1", "包头东站 1站台", "40.62", "110.05", "0", "BTE"),
              ("HHE", "呼和浩特东站", "40.85", "111.80", "1", ""),
              ("HHE1", "呼和浩特东站", "40.85", "111.80", "0", "HHE"),
              ("HH", "呼和浩特站", "40.82", "111.66", "1", ""),
              ("HH1", "呼和浩特站", "40.82", "111.66", "0", "HH"),
              ("ORD", "鄂尔多斯站", "39.60", "109.90", "0", ""),
              ("BUS_HHE", "呼和浩特东站", "40.851", "111.801", "0", ""),
              ("BUS_HH_RS", "火车站", "40.821", "111.661", "0", ""),
              ("BUS_BT_RS", "火车站", "40.601", "110.001", "0", ""),
              ("BUS_BT_GOV", "昆区政府", "40.63", "109.84", "0", ""),
              ("NOSERVICE", "废弃站", "40.0", "110.0", "0", "")],
    "routes": [("route_id", "agency_id", "route_short_name", "route_long_name", "route_type", "network_id"),
               ("R_D", "CR", "D", "包呼动车", "2", "rail"),
               ("R_K", "CR", "K", "呼鄂普速", "2", "rail"),
               ("B1", "BUS", "1路", "", "3", "bus"),
               ("B2", "BUS", "2路", "", "3", "bus")],
    "trips": [("route_id", "service_id", "trip_id", "trip_short_name", "trip_headsign"),
              ("R_D", "WK", "D6949", "D6949", "呼和浩特东"),
              ("R_D", "WK", "D6951", "D6951", "呼和浩特东"),
              ("R_D", "WK", "D6953", "D6953", "呼和浩特东"),
              ("R_D", "WK", "D6952", "D6952", "包头"),
              ("R_D", "WK", "D6954", "D6954", "包头"),
              ("R_K", "WK", "K1", "K1", ""),
              ("B1", "WK", "B1a", "", "火车站"),
              ("B1", "WK", "B1b", "", "火车站"),
              ("B2", "WK", "B2a", "", "昆区政府")],
    "stop_times": [("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type", "drop_off_type"),
                   ("D6949", "06:00:00", "06:00:00", "BT1", "1", "0", "0"),
                   ("D6949", "06:15:00", "06:17:00", "BTE1", "2", "0", "0"),
                   ("D6949", "07:30:00", "07:30:00", "HHE1", "3", "0", "0"),
                   ("D6951", "07:00:00", "07:00:00", "BT1", "1", "0", "0"),
                   ("D6951", "07:15:00", "07:17:00", "BTE1", "2", "0", "0"),
                   ("D6951", "08:30:00", "08:30:00", "HHE1", "3", "0", "0"),
                   ("D6953", "08:00:00", "08:00:00", "BT1", "1", "0", "0"),
                   ("D6953", "08:15:00", "08:17:00", "BTE1", "2", "0", "0"),
                   ("D6953", "09:30:00", "09:30:00", "HHE1", "3", "0", "0"),
                   ("D6952", "18:30:00", "18:30:00", "HHE1", "1", "0", "0"),
                   ("D6952", "19:40:00", "19:42:00", "BTE1", "2", "0", "0"),
                   ("D6952", "19:55:00", "19:55:00", "BT1", "3", "0", "0"),
                   ("D6954", "19:30:00", "19:30:00", "HHE1", "1", "0", "0"),
                   ("D6954", "20:40:00", "20:42:00", "BTE1", "2", "0", "0"),
                   ("D6954", "20:55:00", "20:55:00", "BT1", "3", "0", "0"),
                   ("K1", "23:30:00", "23:30:00", "HH1", "1", "0", "0"),
                   ("K1", "25:10:00", "25:10:00", "ORD", "2", "0", "0"),
                   ("B1a", "08:40:00", "08:40:00", "BUS_HHE", "1", "0", "0"),
                   ("B1a", "09:00:00", "09:00:00", "BUS_HH_RS", "2", "0", "0"),
                   ("B1b", "09:40:00", "09:40:00", "BUS_HHE", "1", "0", "0"),
                   ("B1b", "10:00:00", "10:00:00", "BUS_HH_RS", "2", "0", "0"),
                   ("B2a", "06:30:00", "06:30:00", "BUS_BT_RS", "1", "0", "0"),
                   ("B2a", "06:50:00", "06:50:00", "BUS_BT_GOV", "2", "0", "0")],
    # weekdays of December 2026 (1 Dec is a Tuesday), but not Christmas Day
    "calendar": [("service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                  "sunday", "start_date", "end_date"),
                 ("WK", "1", "1", "1", "1", "1", "0", "0", "20261201", "20261231"),
                 ("UNUSED", "1", "1", "1", "1", "1", "1", "1", "20261101", "20261130")],
    "calendar_dates": [("service_id", "date", "exception_type"), ("WK", "20261225", "2")],
    "translations": [("table_name", "field_name", "language", "translation", "record_id", "field_value"),
                     ("stops", "stop_name", "en", "Baotou", "BT", ""),
                     ("stops", "stop_name", "en", "Baotou East", "BTE", ""),
                     ("stops", "stop_name", "zh-Latn-pinyin", "Bāotóu Dōng", "BTE", ""),
                     ("stops", "stop_name", "en", "Hohhot East", "HHE", ""),
                     ("stops", "stop_name", "zh-Latn-pinyin", "Hūhéhàotè Dōng", "HHE", ""),
                     ("stops", "stop_name", "en", "Hohhot", "HH", ""),
                     ("stops", "stop_name", "en", "Ordos", "ORD", ""),
                     ("stops", "stop_name", "en", "Railway Station", "", "火车站"),
                     ("stops", "stop_name", "en", "Kun District Government", "BUS_BT_GOV", "")],
    "areas": [("area_id", "area_name"), ("A_BT", "包头"), ("A_HH", "呼和浩特"), ("A_ORD", "鄂尔多斯")],
    "stop_areas": [("area_id", "stop_id"), ("A_BT", "BT"), ("A_BT", "BTE"), ("A_BT", "BUS_BT_RS"),
                   ("A_BT", "BUS_BT_GOV"), ("A_HH", "HHE"), ("A_HH", "HH"), ("A_HH", "BUS_HHE"),
                   ("A_HH", "BUS_HH_RS"), ("A_ORD", "ORD")],
    "networks": [("network_id", "network_name"), ("rail", "铁路"), ("bus", "公交")],
    "fare_products": [("fare_product_id", "fare_product_name", "amount", "currency"),
                      ("P_BT_HH", "包头-呼和浩特", "45.50", "CNY"),
                      ("P_BTE_HH", "包头东-呼和浩特", "40.00", "CNY"),
                      ("P_BUS", "公交单程", "1.00", "CNY")],
    "fare_leg_rules": [("leg_group_id", "network_id", "from_area_id", "to_area_id", "fare_product_id"),
                       ("rail_bh", "rail", "A_BT", "A_HH", "P_BT_HH"),
                       ("rail_hb", "rail", "A_HH", "A_BT", "P_BT_HH"),
                       ("bus", "bus", "", "", "P_BUS")],
}


def write_feed(path: Path, tables: dict[str, list[tuple]]) -> Path:
    """Write GTFS tables (first row = header) as a zip."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, rows in tables.items():
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            zf.writestr(f"{name}.txt", buf.getvalue())
    return path


def write_mini_feed(path: Path) -> Path:
    return write_feed(path, MINI)


#: The mini feed plus stops inside stations that have names of their own: a coach bay under
#: 呼和浩特东站 (as in the regional feed), a bus station and a same-named bus bay under 包头东站,
#: an unserved waiting room; coach C1 HHE_HUB 10:00 -> BTE_BUS 11:50 -> BUS_BT_RS 12:30.
HUB = {**MINI,
       "stops": MINI["stops"] + [
           ("HHE_HUB", "呼和浩特东站综合客运枢纽", "40.852", "111.802", "0", "HHE"),
           ("HHE_OLD", "旧候车室", "40.85", "111.80", "0", "HHE"),
           ("BTE_BUS", "包头东汽车站", "40.621", "110.051", "0", "BTE"),
           ("BTE_BAY", "包头东", "40.621", "110.051", "0", "BTE")],
       "routes": MINI["routes"] + [("B3", "BUS", "3路", "呼包城际", "3", "bus")],
       "trips": MINI["trips"] + [("B3", "WK", "C1", "", "包头"), ("B3", "WK", "C2", "", "包头")],
       "stop_times": MINI["stop_times"] + [
           ("C1", "10:00:00", "10:00:00", "HHE_HUB", "1", "0", "0"),
           ("C1", "11:50:00", "11:50:00", "BTE_BUS", "2", "0", "0"),
           ("C1", "12:30:00", "12:30:00", "BUS_BT_RS", "3", "0", "0"),
           ("C2", "13:00:00", "13:00:00", "BTE_BAY", "1", "0", "0"),
           ("C2", "13:40:00", "13:40:00", "BUS_BT_RS", "2", "0", "0")],
       "translations": MINI["translations"] + [
           ("stops", "stop_name", "en", "Hohhot East Passenger Hub", "HHE_HUB", ""),
           ("stops", "stop_name", "zh-Latn-pinyin", "Hūhéhàotè Dōngzhàn Zōnghé Kèyùn Shūniǔ", "HHE_HUB", ""),
           ("stops", "stop_name", "en", "Baotou East Bus Station", "BTE_BUS", ""),
           ("stops", "stop_name", "en", "Old Waiting Room", "HHE_OLD", "")]}
