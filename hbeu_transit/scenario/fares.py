"""``adjust_fares``: change the Fares v2 products sold for rides between two areas."""

from __future__ import annotations

import numpy as np

from .model import AdjustFares, ScenarioError
from .stations import find_area_ids
from .tables import Tables, append_rows, strs

__all__ = ["adjust_fares"]


def _new_amount(m: AdjustFares, old: float, where: str) -> float:
    if m.amount is not None:
        return m.amount
    new = old * m.factor if m.factor is not None else old + m.add
    if new < 0:
        raise ScenarioError(f"{where} field {'add' if m.add is not None else 'factor'!r}",
                            f"fare would become negative ({old:g} -> {new:g})")
    return new


def adjust_fares(tables: Tables, m: AdjustFares, where: str) -> Tables:
    """Set, scale or shift the amount of every product of the leg rules from ``from_area`` to
    ``to_area`` (and back, by default). A product that other leg rules sell too is copied
    first, so only the named pair changes."""
    rules, products = tables.get("fare_leg_rules"), tables.get("fare_products")
    if rules is None or products is None or rules.empty:
        raise ScenarioError(where, "the feed has no Fares v2 fare_leg_rules.txt to adjust")
    a = find_area_ids(tables, m.from_area, f"{where} field 'from_area'")
    b = find_area_ids(tables, m.to_area, f"{where} field 'to_area'")
    frm, to = rules.get("from_area_id"), rules.get("to_area_id")
    if frm is None or to is None:
        raise ScenarioError(where, "fare_leg_rules.txt has no from_area_id/to_area_id columns")
    hit = (frm.isin(a) & to.isin(b)).to_numpy().copy()
    if m.both_directions:
        hit |= (frm.isin(b) & to.isin(a)).to_numpy()
    if m.network is not None:
        nets = set(strs(rules, "network_id"))
        if m.network not in nets:
            raise ScenarioError(f"{where} field 'network'", f"unknown network_id {m.network!r} in fare_leg_rules.txt")
        hit &= (rules["network_id"] == m.network).to_numpy()
    if not hit.any():
        raise ScenarioError(f"{where} field 'to_area'", f"no fare leg rule from {m.from_area} to {m.to_area}")
    if m.currency is not None and m.amount is None:
        raise ScenarioError(f"{where} field 'currency'", "currency only goes with amount")
    rules = rules.copy()
    pid = strs(rules, "fare_product_id")
    ours = {p for p, h in zip(pid, hit) if h}
    shared = {p for p, h in zip(pid, hit) if not h} & ours
    prod = products.copy()
    ppid = strs(prod, "fare_product_id")
    missing = sorted(ours - set(ppid))
    if missing:
        raise ScenarioError(where, f"fare product {missing[0]!r} of a matching rule is not in fare_products.txt")
    copies = []
    rename: dict[str, str] = {}
    for p in sorted(shared):
        k, new = 1, f"{p}~{1}"
        while new in set(ppid) | set(rename.values()):
            k, new = k + 1, f"{p}~{k}"
        rename[p] = new
        copies.extend({**r, "fare_product_id": new} for r, q in zip(prod.to_dict("records"), ppid) if q == p)
    if copies:
        prod = append_rows(prod, copies)
        ppid = strs(prod, "fare_product_id")
        rules.loc[hit, "fare_product_id"] = [rename.get(p, p) for p, h in zip(pid, hit) if h]
    targets = {rename.get(p, p) for p in ours}
    amount = prod["amount"].astype(float).to_numpy()
    sel = np.array([p in targets for p in ppid])
    prod.loc[sel, "amount"] = [f"{_new_amount(m, x, where):.2f}" for x in amount[sel]]
    if m.currency is not None:
        prod.loc[sel, "currency"] = m.currency
    return {**tables, "fare_leg_rules": rules, "fare_products": prod}
