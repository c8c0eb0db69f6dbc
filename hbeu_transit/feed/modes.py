"""Mode names from GTFS route_type, basic and extended (Google's Hierarchical Vehicle Types)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ..numeric import is_listed

_BASIC = {0: "tram", 1: "subway", 2: "rail", 3: "bus", 4: "ferry", 5: "cable_tram",
          6: "aerial_lift", 7: "funicular", 11: "trolleybus", 12: "monorail"}


#: Every family ``mode_family`` gives, in the order they are listed.
MODE_FAMILIES = ("rail", "bus", "tram", "subway", "ferry", "cable_tram", "aerial_lift", "funicular",
                 "trolleybus", "monorail", "other")
#: The names ``--modes`` accepts: every mode name the tool prints (families, ``mode_name``'s
#: high_speed_rail, "hsr" as the journey tables shorten it, and the journey legs' walk and
#: transfer, which use no vehicle and are always allowed: alone they select no route).
#: A family selects every route of it (rail: high-speed trains too), a finer name only its own.
MODE_NAMES = ("rail", "high_speed_rail", "hsr", *MODE_FAMILIES[1:], "walk", "transfer")
_SHORT = {"hsr": "high_speed_rail"}


def mode_name(route_type: int) -> str:
    """A short mode name. High-speed rail (101) is told apart from other rail for the region."""
    rt = int(route_type)
    if rt in _BASIC:
        return _BASIC[rt]
    if rt == 101:
        return "high_speed_rail"
    if 100 <= rt < 200 or 400 <= rt < 500:
        return "rail"
    if 200 <= rt < 300 or 700 <= rt < 800:
        return "bus"
    if 900 <= rt < 1000:
        return "tram"
    if 1000 <= rt < 1300:
        return "ferry"
    if 1300 <= rt < 1500:
        return "aerial_lift"
    return "other"


def mode_family(route_type: int) -> str:
    """The coarse family used by --modes filters: rail, bus, tram, subway, ferry, other."""
    name = mode_name(route_type)
    return "rail" if name == "high_speed_rail" else name


def check_modes(names: str | Iterable[str], param: str = "modes") -> list[str]:
    """``--modes`` names ("rail,bus" or any iterable of names), lower-cased and unabbreviated
    (hsr: high_speed_rail), each once in the order given; InputError naming ``param`` for an
    unknown one, listing the accepted names, or for a value that is no names (a route_type
    number, bytes, a mapping: its keys are no list of modes)."""
    from ..errors import InputError

    items = names.split(",") if isinstance(names, str) else list(names) if is_listed(names) else None
    if items is None or not all(isinstance(n, str) for n in items):
        raise InputError(f"{{{param}}} are mode names (\"rail,bus\" or a list of them, e.g. "
                         f"{', '.join(MODE_FAMILIES[:3])}), not {names!r}", param)
    given = [n.strip().lower() for n in items if n.strip()]
    bad = [n for n in given if n not in MODE_NAMES]
    if bad:
        raise InputError(f"unknown mode {bad[0]!r} in {{{param}}}: choose from {', '.join(MODE_NAMES)}", param)
    return list(dict.fromkeys(_SHORT.get(n, n) for n in given))


def mode_selected(route_type: int, modes: Collection[str]) -> bool:
    """Whether ``--modes`` (names checked by ``check_modes``) keeps routes of this route_type."""
    return name_selected(mode_name(route_type), modes)


def name_selected(name: str, modes: Collection[str]) -> bool:
    """Whether ``--modes`` keeps trips of the mode ``name`` (as ``mode_name`` gives it): the
    name itself or its family (rail for high_speed_rail) is listed."""
    wanted = {_SHORT.get(m, m) for m in modes}
    return name in wanted or ("rail" if name == "high_speed_rail" else name) in wanted


def missing_modes_note(modes: Collection[str] | None, have: Iterable[str]) -> str | None:
    """The note for a ``--modes`` selecting none of the feeds' modes ``have`` (mode names of
    their trips): which modes the feeds do have (the answer is empty, not wrong); None when
    no filter is given or it keeps some mode."""
    if not modes:
        return None
    have = sorted(set(have), key=lambda m: MODE_NAMES.index(m) if m in MODE_NAMES else len(MODE_NAMES))
    if any(name_selected(m, modes) for m in have):
        return None
    return f"the feeds run no {' or '.join(modes)} (the modes asked for); their modes: {', '.join(have) or 'none'}"
