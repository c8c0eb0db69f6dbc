"""Fares: the feed's fare tables distilled for the place index (Fares v2, else v1), and the fare
of one ride looked up in them. Building needs the loaded feed (pandas); lookups the standard
library only."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..feed.columns import column

__all__ = ["fare_tables", "leg_fare"]


def leg_fare(f: dict[str, Any], route_id: str, from_stops: list[str], to_stops: list[str],
             departure: int) -> tuple[float, str] | None:
    """(amount, currency) of a ride on ``route_id`` from any of ``from_stops`` to any of
    ``to_stops`` (a stop and its station) leaving at ``departure``: the wall clock's seconds after
    the date's local midnight (``analysis.times.wall_seconds``, not the GTFS service clock, which
    is an hour off it before ~02:00 the days the clocks change), matched on its time of day
    against timeframes.txt; None when unknown."""
    if f.get("kind") == "v2":
        return _v2_fare(f, route_id, from_stops, to_stops, departure)
    if f.get("kind") == "v1":
        return _v1_fare(f, route_id, from_stops, to_stops)
    return None


def _v2_fare(f: dict[str, Any], route_id: str, from_stops: list[str], to_stops: list[str],
             dep: int) -> tuple[float, str] | None:
    net = f["route_network"].get(route_id, "")
    fa = {a for s in from_stops for a in f["stop_areas"].get(s, [])}
    ta = {a for s in to_stops for a in f["stop_areas"].get(s, [])}
    rules = f["rules"]

    def narrow(rs: list[dict], key: str, ours: set[str]) -> list[dict]:
        """Rules naming one of our values; if none does, the rules leaving the field empty."""
        exact = [r for r in rs if r[key] and r[key] in ours]
        return exact or [r for r in rs if not r[key]]

    def tf_ok(group: str) -> bool:
        if not group:
            return True
        day = dep % 86400       # the wall clock's time of day (the day after's 00:30 is 24:30)
        return any(a <= day < b for a, b in f["timeframes"].get(group, []))

    hits = [r for r in rules if tf_ok(r.get("from_tf", ""))]
    hits = narrow(hits, "network", {net} if net else set())
    hits = narrow(hits, "from_area", fa)
    hits = narrow(hits, "to_area", ta)
    if not hits:
        return None
    top = max(r["priority"] for r in hits)
    hits = [r for r in hits if r["priority"] == top]
    best = min(hits, key=lambda r: r["amount"])
    return best["amount"], best["currency"]


def _v1_fare(f: dict[str, Any], route_id: str, from_stops: list[str],
             to_stops: list[str]) -> tuple[float, str] | None:
    oz = {f["stop_zone"][s] for s in from_stops if s in f["stop_zone"]}
    dz = {f["stop_zone"][s] for s in to_stops if s in f["stop_zone"]}
    hits = [r for r in f["rules"]
            if (not r["route"] or r["route"] == route_id)
            and (not r["origin"] or r["origin"] in oz)
            and (not r["destination"] or r["destination"] in dz)]
    if not hits:
        return None
    best = min(hits, key=lambda r: r["amount"])
    return best["amount"], best["currency"]


def fare_tables(feed, stop_ids: list[str]) -> dict[str, Any]:
    """The fare tables reduced to what leg_fare needs (v2 preferred, else v1, else none)."""
    flr, fp = feed.get("fare_leg_rules"), feed.get("fare_products")
    if flr is not None and not flr.empty and fp is not None and not fp.empty:
        cats = feed.get("rider_categories")
        default_cats = set()
        if cats is not None and "is_default_fare_category" in cats:
            default_cats = {c for c, d in zip(column(cats, "rider_category_id"),
                                              column(cats, "is_default_fare_category")) if d == "1"}
        products: dict[str, tuple[float, str]] = {}
        for pid, amt, cur, cat in zip(column(fp, "fare_product_id"), column(fp, "amount"),
                                      column(fp, "currency"), column(fp, "rider_category_id")):
            if default_cats and cat and cat not in default_cats:
                continue
            try:
                a = float(amt)
            except ValueError:
                continue
            if pid not in products or a < products[pid][0]:
                products[pid] = (a, cur)
        rules = []
        for lg, net, fa, ta, pid, pri, ftf in zip(
                column(flr, "leg_group_id"), column(flr, "network_id"), column(flr, "from_area_id"),
                column(flr, "to_area_id"), column(flr, "fare_product_id"), column(flr, "rule_priority"),
                column(flr, "from_timeframe_group_id")):
            if pid in products:
                rules.append({"network": net, "from_area": fa, "to_area": ta, "from_tf": ftf,
                              "priority": int(pri) if pri.strip().lstrip("-").isdigit() else 0,
                              "amount": products[pid][0], "currency": products[pid][1]})
        route_network: dict[str, str] = {}
        routes = feed.get("routes")
        if routes is not None and "network_id" in routes:
            route_network.update({r: n for r, n in zip(column(routes, "route_id"), column(routes, "network_id")) if n})
        rn = feed.get("route_networks")
        if rn is not None and not rn.empty:
            route_network.update(dict(zip(column(rn, "route_id"), column(rn, "network_id"))))
        stop_areas: dict[str, list[str]] = {}
        sa = feed.get("stop_areas")
        if sa is not None and not sa.empty:
            for s, a in zip(column(sa, "stop_id"), column(sa, "area_id")):
                stop_areas.setdefault(s, []).append(a)
        timeframes: dict[str, list[list[int]]] = {}
        tf = feed.get("timeframes")
        if tf is not None and not tf.empty:
            for g, a, b in zip(column(tf, "timeframe_group_id"), column(tf, "start_time"), column(tf, "end_time")):
                timeframes.setdefault(g, []).append([_hms(a, 0), _hms(b, 86400)])
        return {"kind": "v2", "rules": rules, "route_network": route_network, "stop_areas": stop_areas,
                "timeframes": timeframes}
    fa, fr = feed.get("fare_attributes"), feed.get("fare_rules")
    if fa is not None and not fa.empty:
        price = {}
        for fid, p, cur in zip(column(fa, "fare_id"), column(fa, "price"), column(fa, "currency_type")):
            try:
                price[fid] = (float(p), cur)
            except ValueError:
                pass
        rules = []
        if fr is not None and not fr.empty:
            for fid, r, o, d, c in zip(column(fr, "fare_id"), column(fr, "route_id"), column(fr, "origin_id"),
                                       column(fr, "destination_id"), column(fr, "contains_id")):
                if fid in price and not (c and not (o or d or r)):
                    rules.append({"route": r, "origin": o, "destination": d,
                                  "amount": price[fid][0], "currency": price[fid][1]})
        elif len(price) == 1:  # one fare and no rules: it applies to every ride
            (a, cur), = price.values()
            rules.append({"route": "", "origin": "", "destination": "", "amount": a, "currency": cur})
        stops = feed.get("stops")
        zone = {s: z for s, z in zip(column(stops, "stop_id"), column(stops, "zone_id")) if z}
        return {"kind": "v1", "rules": rules, "stop_zone": zone} if rules else {}
    return {}


def _hms(text: str, default: int) -> int:
    """A timeframes.txt time in seconds; ``default`` when blank or malformed."""
    from ..feed import parse_clock

    try:
        return parse_clock(text)
    except InputError:
        return default
