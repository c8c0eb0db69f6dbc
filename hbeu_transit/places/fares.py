"""Fares: the feed's fare tables distilled for the place index (Fares v2, else v1), and the fare
of one ride looked up in them. Building needs the loaded feed (pandas); lookups the standard
library only."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from ..errors import InputError
from ..feed.columns import column

__all__ = ["fare_tables", "journey_fares", "leg_fare"]


def leg_fare(f: dict[str, Any], route_id: str, from_stops: list[str], to_stops: list[str],
             departure: int, arrival: int, date: str) -> tuple[float, str] | None:
    """(amount, currency) of a ride on ``route_id`` from any of ``from_stops`` to any of
    ``to_stops`` (a stop and its station) leaving at ``departure`` and arriving at ``arrival``:
    the wall clock's seconds after ``date``'s local midnight ("YYYY-MM-DD";
    ``analysis.times.wall_seconds``, not the GTFS service clock, which is an hour off it before
    ~02:00 the days the clocks change). A rule's from_timeframe_group_id (to_...) applies when
    one of the group's timeframes (timeframes.txt) holds the departure's (arrival's) time of day
    and its service_id runs on the departure's (arrival's) calendar day (the day after ``date``
    from 24:00: the reference's "current day", not the trip's service day). None when unknown."""
    if f.get("kind") == "v2":
        return _v2_fare(f, route_id, from_stops, to_stops, departure, arrival, date)
    if f.get("kind") == "v1":
        return _v1_fare(f, route_id, from_stops, to_stops)
    return None


def _v2_fare(f: dict[str, Any], route_id: str, from_stops: list[str], to_stops: list[str],
             dep: int, arr: int, date: str) -> tuple[float, str] | None:
    best = _v2_rule(f, route_id, from_stops, to_stops, dep, arr, date)
    return None if best is None else (best["amount"], best["currency"])


def _narrow(rs: list[dict], key: str, ours: set[str]) -> list[dict]:
    """Rules naming one of our values in ``key``; if none does, the rules leaving it empty (the
    reference's default match, for leg and transfer rules alike)."""
    exact = [r for r in rs if r[key] and r[key] in ours]
    return exact or [r for r in rs if not r[key]]


def _v2_rule(f: dict[str, Any], route_id: str, from_stops: list[str], to_stops: list[str],
             dep: int, arr: int, date: str) -> dict[str, Any] | None:
    """The fare_leg_rules row (as ``fare_tables`` keeps it) that prices the ride, or None."""
    net = f["route_network"].get(route_id, "")
    # the stop's own areas, else its station's (stop_areas.txt: a platform assigned to an area
    # of its own is not also in its station's)
    fa = next((set(f["stop_areas"][s]) for s in from_stops if s in f["stop_areas"]), set())
    ta = next((set(f["stop_areas"][s]) for s in to_stops if s in f["stop_areas"]), set())
    rules = f["rules"]

    days = f.get("service_days", {})
    date0 = dt.date.fromisoformat(date)
    held: dict[tuple[str, int], bool] = {}   # (group, time): tf_ok's answer, once for all the group's rules

    def tf_ok(group: str, t: int) -> bool:
        if not group:
            return True
        if (group, t) not in held:
            # the wall clock's calendar day and time of day (the day after's 00:30 is 24:30)
            today, day = (date0 + dt.timedelta(days=t // 86400)).isoformat(), t % 86400
            held[group, t] = any(a <= day < b and (not sid or today in days.get(sid, ()))
                                 for a, b, sid in f["timeframes"].get(group, []))
        return held[group, t]

    hits = [r for r in rules if tf_ok(r.get("from_tf", ""), dep) and tf_ok(r.get("to_tf", ""), arr)]
    ours = (("network", {net} if net else set()), ("from_area", fa), ("to_area", ta))
    if f.get("rule_priority"):      # the file has rule_priority: an empty field matches any value
        hits = [r for r in hits if all(not r[k] or r[k] in v for k, v in ours)]
    else:
        for k, v in ours:
            hits = _narrow(hits, k, v)
    if not hits:
        return None
    top = max(r["priority"] for r in hits)
    hits = [r for r in hits if r["priority"] == top]
    return min(hits, key=lambda r: r["amount"])


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


def journey_fares(f: dict[str, Any], rides: list[tuple[str, list[str], list[str], int, int]], date: str,
                  elapsed: list[int] | None = None, seated: Iterable[int] = (),
                  arrivals: list[int] | None = None) -> tuple[tuple[float, str] | None, list[tuple[float, str] | None]]:
    """The fare of a journey's rides and each ride's own (``leg_fare``'s), the rules matched once
    for both. The rides are each (route_id, from_stops, to_stops, departure, arrival as
    ``leg_fare`` takes them: wall-clock seconds after ``date``'s midnight). The journey's fare:
    (amount, currency), or None unless every ride has a fare, all in one currency. The sum of
    the rides' fares, except that with Fares v1 one ticket may pay for consecutive rides where
    its fare_attributes allow it
    (``transfers`` blank: any number of changes; ``transfer_duration``: the last of the rides boards at most that long after the
    first, timed on ``elapsed``, the rides' departures in real seconds, e.g. the service clock:
    default the departures given, an hour off across a clock change): the cheapest way to pay
    for them all. ``seated``: the indices of rides the rider stays aboard for, the vehicle going
    on as their trip (an in-seat transfer, no change: ``transfers`` does not count it). With
    Fares v2, fare_transfer_rules price each change (``_v2_transfers``; ``arrivals``: the rides'
    arrivals on ``elapsed``'s clock, for duration limits that end or start at one: default the
    arrivals given)."""
    v2 = [_v2_rule(f, *r, date) for r in rides] if f.get("kind") == "v2" else None   # (each rule once)
    each = [leg_fare(f, *r, date) for r in rides] if v2 is None else \
        [None if b is None else (b["amount"], b["currency"]) for b in v2]
    if not each or any(x is None for x in each) or len({x[1] for x in each}) != 1:
        return None, each
    currency = each[0][1]
    dep = [r[3] for r in rides] if elapsed is None else list(elapsed)
    if v2 is not None and f.get("transfers") and len(rides) > 1:
        return (_v2_transfers(f, [x[0] for x in each], [b["group"] for b in v2], currency, dep,
                              [r[4] for r in rides] if arrivals is None else list(arrivals)), currency), each
    if f.get("kind") != "v1" or len(rides) == 1:    # one ticket for several rides: Fares v1 only
        return (sum(x[0] for x in each), currency), each
    seat = set(seated)
    by_fare: dict[str, list[dict[str, Any]]] = {}
    for r in f["rules"]:
        by_fare.setdefault(r.get("fare", ""), []).append(r)
    cost = [0.0] + [math.inf] * len(rides)   # cost[j]: the cheapest way to pay for rides[:j]
    for j in range(1, len(rides) + 1):
        for i in range(j):
            one = each[i][0] if j - i == 1 else _v1_ticket(f, by_fare, rides[i:j], currency, dep[j - 1] - dep[i],
                                                             sum(k not in seat for k in range(i + 1, j)))
            if one is not None:
                cost[j] = min(cost[j], cost[i] + one)
    return (cost[-1], currency), each


def _v2_transfers(f: dict[str, Any], amounts: list[float], groups: list[str], currency: str,
                  dep: list[int], arr: list[int]) -> float:
    """What a journey of Fares v2 legs (their fares and leg groups) costs with fare_transfer_rules,
    processed leg after leg as the GTFS reference says. A change from leg group g to h takes
    the rules from g to h (a rule naming g before one leaving from_leg_group_id empty, then the
    same for h; a leg in no group takes none), those whose duration_limit holds (measured from
    the first leg of the run of changes matched by rules from g to h, by duration_limit_type: 0
    departure to arrival, 1 departure to departure, 2 arrival to departure, 3 arrival to
    arrival) and whose transfer_count allows the changes of that run so far, of those the least
    transfer_count (-1, no limit, last), and of those the cheapest. The change then costs, by
    fare_transfer_type, 0: the transfer product instead of the next leg's fare (A + AB); 1: the
    transfer product on top (A + AB + B); 2: the transfer product instead of both legs' fares
    (AB), or of the next leg's when the leg before already came through a change (S + BC).
    Without a rule the next leg pays its own fare. ``dep``/``arr``: the legs' departures and
    arrivals in real seconds."""
    total, alone = amounts[0], True          # alone: the last leg was paid for by its own fare
    run, run_start, run_n = None, 0, 0       # the run of changes matched by rules of one (g, h)
    for k in range(1, len(amounts)):
        g, h = groups[k - 1], groups[k]
        key = (g, h)
        first, n = (run_start, run_n + 1) if key == run else (k - 1, 1)
        span = {0: arr[k] - dep[first], 1: dep[k] - dep[first], 2: dep[k] - arr[first], 3: arr[k] - arr[first]}
        ok = []
        if g and h:
            cands = f["transfers"]
            for side, ours in (("from", g), ("to", h)):
                cands = _narrow(cands, side, {ours})
            ok = [t for t in cands if t["currency"] in ("", currency)
                  and (t["count"] < 0 or n <= t["count"])
                  and (t["limit"] < 0 or span[t["limit_type"]] <= t["limit"])]
        if not ok:
            total, alone, run = total + amounts[k], True, None
            continue
        def cost(t: dict[str, Any]) -> float:   # by fare_transfer_type (the docstring's 0, 1, 2)
            return t["amount"] + (0.0, amounts[k], -amounts[k - 1] if alone else 0.0)[t["type"]]
        total += min((t["count"] if t["count"] >= 0 else math.inf, cost(t)) for t in ok)[1]   # fewest, cheapest
        alone, run, run_start, run_n = False, key, first, n
    return total


def _v1_ticket(f: dict[str, Any], by_fare: dict[str, list[dict[str, Any]]],
               rides: list[tuple[str, list[str], list[str], int, int]], currency: str, span: int,
               changes: int) -> float | None:
    """The cheapest Fares v1 fare that pays for several rides as one ticket (None if none): its
    transfers and transfer_duration allow the changes, its rules allow every route, and one of
    its rules goes from the first ride's zone to the last ride's. A fare with contains_id rules
    is left out (the zones passed through are not known here). ``by_fare``: the rules by fare_id;
    ``span``: seconds from the first ride's departure to the last's; ``changes``: the transfers
    between the rides (those continued in seat are none)."""
    oz = {f["stop_zone"][s] for s in rides[0][1] if s in f["stop_zone"]}
    dz = {f["stop_zone"][s] for s in rides[-1][2] if s in f["stop_zone"]}
    best = None
    for fid, (transfers, duration) in f.get("fares", {}).items():
        if (transfers >= 0 and changes > transfers) or (duration >= 0 and span > duration):
            continue
        rules = by_fare.get(fid, [])
        if not rules or rules[0]["currency"] != currency or any(r.get("contains") for r in rules):
            continue
        if not all(any(not r["route"] or r["route"] == ride[0] for r in rules) for ride in rides):
            continue
        if any((not r["origin"] or r["origin"] in oz) and (not r["destination"] or r["destination"] in dz)
               for r in rules) and (best is None or rules[0]["amount"] < best):
            best = rules[0]["amount"]
    return best


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
        for lg, net, fa, ta, pid, pri, ftf, ttf in zip(
                column(flr, "leg_group_id"), column(flr, "network_id"), column(flr, "from_area_id"),
                column(flr, "to_area_id"), column(flr, "fare_product_id"), column(flr, "rule_priority"),
                column(flr, "from_timeframe_group_id"), column(flr, "to_timeframe_group_id")):
            if pid in products:
                rules.append({"group": lg, "network": net, "from_area": fa, "to_area": ta, "from_tf": ftf, "to_tf": ttf,
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
        # timeframe group -> [start, end, service_id (blank: every day)]; service_id -> its dates
        timeframes: dict[str, list[list]] = {}
        tf = feed.get("timeframes")
        if tf is not None and not tf.empty:
            for g, a, b, sid in zip(column(tf, "timeframe_group_id"), column(tf, "start_time"),
                                    column(tf, "end_time"), column(tf, "service_id")):
                timeframes.setdefault(g, []).append([_hms(a, 0), _hms(b, 86400), sid])
        from ..feed.service import service_days as days_of_services

        tf_services = {sid for rows in timeframes.values() for *_, sid in rows if sid}
        service_days = {sid: sorted(d) for sid, d in
                        days_of_services(feed.get("calendar"), feed.get("calendar_dates"), tf_services).items()}
        return {"kind": "v2", "rules": rules, "route_network": route_network, "stop_areas": stop_areas,
                "timeframes": timeframes, "service_days": service_days,
                "rule_priority": "rule_priority" in flr.columns,
                "transfers": _transfer_rules(feed.get("fare_transfer_rules"), products)}
    fa, fr = feed.get("fare_attributes"), feed.get("fare_rules")
    if fa is not None and not fa.empty:
        price, fares = {}, {}
        for fid, p, cur, tr, dur in zip(column(fa, "fare_id"), column(fa, "price"), column(fa, "currency_type"),
                                        column(fa, "transfers"), column(fa, "transfer_duration")):
            try:
                price[fid] = (float(p), cur)
            except ValueError:
                continue
            # the changes a ticket allows (-1: any number, a blank transfers) and for how long (-1: no limit)
            fares[fid] = [_count(tr, bad=0, blank=-1), _count(dur, bad=0, blank=-1)]
        rules = []
        if fr is not None and not fr.empty:
            for fid, r, o, d, c in zip(column(fr, "fare_id"), column(fr, "route_id"), column(fr, "origin_id"),
                                       column(fr, "destination_id"), column(fr, "contains_id")):
                if fid in price and not (c and not (o or d or r)):
                    rules.append({"fare": fid, "route": r, "origin": o, "destination": d, "contains": c,
                                  "amount": price[fid][0], "currency": price[fid][1]})
        elif len(price) == 1:  # one fare and no rules: it applies to every ride
            (fid, (a, cur)), = price.items()
            rules.append({"fare": fid, "route": "", "origin": "", "destination": "", "contains": "",
                          "amount": a, "currency": cur})
        stops = feed.get("stops")
        zone = {s: z for s, z in zip(column(stops, "stop_id"), column(stops, "zone_id")) if z}
        return {"kind": "v1", "rules": rules, "stop_zone": zone, "fares": fares} if rules else {}
    return {}


def _transfer_rules(ftr, products: dict[str, tuple[float, str]]) -> list[dict[str, Any]]:
    """fare_transfer_rules.txt as ``_v2_transfers`` reads it: from/to leg group, count (the
    transfer_count, -1: no limit), limit (duration_limit in seconds, -1: none), limit_type, type
    (fare_transfer_type), amount and currency of the transfer product (0 and "" without one).
    A row with a malformed value or a product the default rider cannot buy is left out: no
    discount rather than a wrong one."""
    out: list[dict[str, Any]] = []
    if ftr is None or ftr.empty:
        return out
    for g, h, pid, kind, count, limit, ltype in zip(
            column(ftr, "from_leg_group_id"), column(ftr, "to_leg_group_id"), column(ftr, "fare_product_id"),
            column(ftr, "fare_transfer_type"), column(ftr, "transfer_count"), column(ftr, "duration_limit"),
            column(ftr, "duration_limit_type")):
        count, limit, kind, ltype = count.strip(), limit.strip(), kind.strip(), ltype.strip()
        if kind not in ("0", "1", "2") or (pid and pid not in products):
            continue
        if count and not (count == "-1" or count.isdigit() and int(count) > 0):
            continue
        if limit and not (limit.isdigit() and ltype in ("0", "1", "2", "3")):
            continue
        amount, currency = products[pid] if pid else (0.0, "")
        out.append({"from": g, "to": h, "count": int(count) if count else -1, "limit": int(limit) if limit else -1,
                    "limit_type": int(ltype) if limit else 1, "type": int(kind),
                    "amount": amount, "currency": currency})
    return out


def _count(text: str, *, bad: int, blank: int) -> int:
    """A whole number of fare_attributes (transfers, transfer_duration); ``blank`` when empty,
    ``bad`` when not a whole number >= 0 (0: a ticket that pays for one ride only)."""
    text = text.strip()
    if not text:
        return blank
    return int(text) if text.isdigit() else bad


def _hms(text: str, default: int) -> int:
    """A timeframes.txt time in seconds; ``default`` when blank or malformed."""
    from ..feed import parse_clock

    try:
        return parse_clock(text)
    except InputError:
        return default
