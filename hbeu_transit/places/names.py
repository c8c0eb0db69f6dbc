"""The place index and its names: which stations, stops or city a user's words mean.

The Timetable holds one published name per stop; answering "Baotou" or "baotou zhan" needs
the translations, the cities, the modes and the service dates of the whole feed.
:class:`PlaceIndex` holds them (built by ``places.index``, read back with the standard library
only, so a warm-cache ``hbeu plan`` never imports pandas) and resolves names here.

Name matching (:meth:`PlaceIndex.resolve`), in order, first hit wins:

1. a stop_id (exactly, then ignoring case);
2. ``NAME (CITY)``, the form candidates are listed in, to pick one of several same-named stops;
3. a city/area name, meaning every station in it (a superset of a station with the same name,
   e.g. a station translated "Hohhot" only); a regional city also by its other spellings and
   aliases (Jining and 集宁 for Ulanqab, Dongsheng and Kangbashi for Ordos, 呼市...: data/spec/
   city_names.csv), on any feed with an area of that city;
4. a station name in any language (published, translations.txt, pinyin without tone marks),
   ignoring case, spaces, punctuation and accents; then the own name of a stop inside a
   station (see below);
5. the same with a trailing "站" / "station" / "zhan" dropped from both sides (whole words:
   "San Jose Caltrain Station" is "San Jose Caltrain" without it, not "San Jose Cal");
6. a unique station, area or named stop whose name starts with the query, else contains it
   (a stop is left out when its station or city matches too);
7. close spellings (difflib) of a whole name or of its start, accepted when one place is
   clearly closest (a name in full before one without its station word, as 4 before 5); spelled
   as much like several, the error suggests them ("did you mean").

Same-named stations in one city are one place (e.g. two bus stops across a street); in
different cities they are ambiguous and the error lists them as ``NAME (CITY)``.

A stop inside a station (a platform, or a coach bay under a rail station such as
呼和浩特东站综合客运枢纽 under 呼和浩特东) is named by its station, and also by its own names
(every language) where they differ from the station's by more than a station word
("包头东站" under "包头东" is the station's name): such a name means that stop only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..numeric import stop_number_text
from ..feed.source import FeedSource

#: Bump when the index's content or file format changes (4: marshal instead of JSON; 5: stations
#: by column; 6: rebuilt once so that feeds merged from different timezones, read on the first
#: one's clock by indexes built before, are refused; 7: a stop whose parent_station is not a
#: station is a place of its own, where indexes built before lost it; 8: ... and its own area,
#: not its entrance's; 9: the feeds' ``FeedSource`` records, so circle and coverage exports name
#: their feeds without reading them; 11: fare timeframes keep their service_id, with the dates
#: of those services, so a timeframe applies only on them; 12: whether fare_leg_rules.txt has
#: rule_priority, which makes an empty field match any value; 13: fare_transfer_rules and the
#: leg rules' leg_group_id; 14: the leg rules' to_timeframe_group_id; 15: a repeated key of an
#: optional table (a fare_id, an area_id...) is read from its first row, not its last, and a
#: feed repeating a required table's key is refused, where indexes built before took it).
INDEX_VERSION = 15

def place_text(query: Any, param: str | None = None) -> str:
    """The text a place query stands for: itself, or a whole number's digits (a numeric stop_id
    as pandas reads one: 70012 -> "70012"; ``numeric.stop_number_text``, as ``values.split_names``
    reads them). Any other value (None, a float,
    bytes, a list...) is an InputError naming ``param`` (the query's parameter) when given."""
    if (text := stop_number_text(query)) is not None:
        return text
    if not isinstance(query, str):
        where = f" for {{{param}}}" if param else ""
        raise InputError(f"a place is a stop_id, station or city name (text){where}, not {query!r}",
                         *((param,) if param else ()))
    return query


@dataclass(frozen=True)
class City:
    """One of the region's cities: its own names (Chinese, English, other spellings; a feed's
    area called any of them is this city) and aliases (districts, short names) that mean it in
    a query, on a feed that has it. Data: data/spec/areas.csv and city_names.csv."""

    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@functools.cache
def regional_cities() -> tuple[City, ...]:
    """The region's cities from the shipped spec (read once per process)."""
    from ..regional.spec import city_names

    return tuple(City(names, aliases) for _, names, aliases in city_names())


_CITY_SUFFIXES = ("市", "city", "shi")

#: Station words dropped from the end of a name (step 5; normalized, first match wins). One
#: in Latin letters is dropped only as whole words ("Train Station", "Trainstation"), never as
#: the tail of a longer word: "San Jose Caltrain Station" is "San Jose Caltrain", not "San Jose
#: Cal". 站 and pinyin zhan also end a word, as they are written ("包头东站", "Dōngzhàn"; in
#: pinyin a word ending "zhan" ends with that syllable).
_SUFFIXES = ("railwaystation", "trainstation", "busstation", "station", "huochezhan", "zhan",
             "火车站", "站")
_WORD_END_SUFFIXES = frozenset({"huochezhan", "zhan", "火车站", "站"})
#: Station words that do not make a stop's name its own ("包头东站" under station "包头东");
#: "bus station" does ("Baotou East Bus Station" under "Baotou East").
_SAME_PLACE_SUFFIXES = tuple(x for x in _SUFFIXES if x != "busstation")
_DROP = re.compile(r"[\W_]+", re.UNICODE)
#: The shortest query (normalized characters) whose close spellings are also sought among the
#: starts of names (``PlaceIndex._close``); a shorter one is too close to too many starts.
_CLOSE_PREFIX_MIN = 5


def normalize(text: str) -> str:
    """Matching key: NFKC (full-width letters), accents and tone marks removed, casefolded,
    spaces and punctuation dropped, so "Hūhéhàotè Dōng" == "huhehaote dong" == "HUHEHAOTE-DONG"."""
    return _DROP.sub("", _fold(text))


def _fold(text: str) -> str:
    """``text`` in NFKC, without accents and tone marks, casefolded (spaces and punctuation kept)."""
    t = str(text)
    if not t.isascii():  # ASCII is its own NFKC and NFKD, without combining marks
        t = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", t))
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return t.casefold()


def split_candidate(text: str) -> tuple[str, str, str | None, str | None]:
    """"NAME (CITY) [ID]" -> (the text without the id, NAME, CITY, ID); CITY and ID None when
    absent. CITY is the last parenthesised group, matched by balance, so a name or city with
    parentheses of its own ("North Ave / D Ave N (Demo) (North Ave / D Ave N (Demo))") splits at
    the right one."""
    ident = None
    m = re.fullmatch(r"(.*?)\s*\[([^\[\]]*)\]", text)
    if m and m.group(1):
        text, ident = m.group(1), m.group(2).strip() or None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] in ")）") - (text[i] in "(（")
        if depth == 0:
            break
    if not text.endswith((")", "）")) or depth or not text[:i].strip() or not text[i + 1:-1].strip():
        return text, text, None, ident
    return text, text[:i].strip(), text[i + 1:-1].strip(), ident


def name_stem(text: str, suffixes: tuple[str, ...] = _SUFFIXES) -> str:
    """The matching key (``normalize``) of a name without a trailing station word: "包头站" ->
    "包头", "Hohhot Railway Station" -> "hohhot", "San Jose Caltrain Station" -> "sanjosecaltrain"
    (a Latin station word is dropped only as whole words: see ``_SUFFIXES``). It takes the name,
    not its key, since the key no longer shows where words end."""
    return key_and_stem(text, suffixes)[1]


def key_and_stem(text: str, suffixes: tuple[str, ...] = _SUFFIXES) -> tuple[str, str]:
    """(``normalize(text)``, ``name_stem(text)``), folding the name once."""
    folded = _fold(text)
    key = _DROP.sub("", folded)
    return key, _stem(folded, key, suffixes)


def _stem(folded: str, key: str, suffixes: tuple[str, ...]) -> str:
    if not key.endswith(suffixes):
        return key
    words = [w for w in _DROP.split(folded) if w]
    for s in suffixes:
        if not key.endswith(s) or len(key) <= len(s):
            continue
        if s in _WORD_END_SUFFIXES:
            return key[: -len(s)]
        tail = ""
        for w in reversed(words):   # the shortest run of whole last words as long as s
            tail = w + tail
            if len(tail) >= len(s):
                break
        if tail == s:
            return key[: -len(s)]
    return key


@dataclass(frozen=True)
class Place:
    """What a query named: its label for output and every stop_id it stands for."""

    query: str
    label: str
    kind: str                      # "stop", "station" or "area"
    stop_ids: tuple[str, ...]      # the stops themselves and all their platforms
    note: str | None = None        # set when the query was corrected or widened
    #: the label with names in Chinese only and in English only (``label`` has both); None: as ``label``
    one_lang: tuple[str, str] | None = None

    def label_in(self, lang: str = "both") -> str:
        """The label with its names in ``lang`` (zh, en or both), as every table names places."""
        if lang == "both" or self.one_lang is None:
            return self.label
        return self.one_lang[0] if lang == "zh" else self.one_lang[1]


def _one_lang(names: tuple[str | None, str | None], detail: str = "") -> tuple[str, str]:
    """(Chinese, English) labels of a place named ``names`` (zh, en), ``detail`` after the name."""
    return label(*names, "zh") + detail, label(*names, "en") + detail


@dataclass
class Station:
    """A place one can board: a parent station, or a stop without a parent."""

    id: str
    name: str
    names: dict[str, str]          # language -> translated name
    area: str                      # area (city) name
    area_id: str
    modes: list[str]
    stops: list[str]               # the station and its platforms (boardable stop_ids)
    lat: float | None = None
    lon: float | None = None

    def display(self, lang: str = "en") -> str:
        """"包头站 Baotou" style: the published name plus a translation when there is one."""
        tr = pick_translation(self.names, lang)
        return f"{self.name} {tr}" if tr and normalize(tr) != normalize(self.name) else self.name


#: Station's fields, in order (the index file's station columns)
_STATION_FIELDS = tuple(f.name for f in dataclasses.fields(Station))


def _known_city(name: str) -> City | None:
    """The regional city an area name is one of its own names of (ignoring a trailing 市 / city);
    aliases never make an area a city (another feed's "Jining" is not Ulanqab)."""
    k = normalize(name)
    for suf in _CITY_SUFFIXES:
        if k.endswith(suf) and len(k) > len(suf):
            k = k[: -len(suf)]
            break
    return _city_keys().get(k)


@functools.cache
def _city_keys() -> dict[str, City]:
    """Normalized own name -> city (the first city listing it), built once: a station table of
    a big feed asks for thousands of areas."""
    keys: dict[str, City] = {}
    for city in regional_cities():
        for n in city.names:
            keys.setdefault(normalize(n), city)
    return keys


#: the first character counted as CJK (CJK radicals onwards; a regex of the range to U+10FFFF
#: costs ~6 ms to compile at every start)
_CJK_FROM = "\u2e80"


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a character outside Latin/Greek/Cyrillic/punctuation."""
    return bool(text) and max(text) >= _CJK_FROM


def bilingual(published: str, names: dict[str, str]) -> tuple[str, str | None]:
    """(Chinese, English) of a name published as ``published`` with translations ``names``:
    the published name when it is Chinese, else a Chinese "zh" translation (not pinyin); the "en" translation, or the published name
    when it is not Chinese (a feed publishing in English), else None."""
    zh = published if has_cjk(published) else next(
        (v for k, v in names.items() if k.split("-")[0].lower() == "zh" and has_cjk(v)), published)
    en = pick_translation(names, "en") or (None if has_cjk(published) else published)
    return zh, en


LANGS = ("zh", "en", "both")


def label(zh: str | None, en: str | None, lang: str = "both") -> str:
    """A name in ``lang``: Chinese (zh, as published), English where there is one (en, else the
    Chinese), or both ("包头 Baotou"; once when they are the same). Every table, chart, map and
    graph label of the CLI goes through this one rule."""
    if lang == "zh":
        return zh or en or "-"
    if lang == "en":
        return en or zh or "-"
    if en and zh and en.casefold() != zh.casefold():
        return f"{zh} {en}"
    return zh or en or "-"


class HitKind(enum.Enum):
    """What a name in the index stands for."""

    STATION = "station"    # a station, or a stop without a parent
    AREA = "area"          # a city or area: all its stations
    STOP = "stop"          # a stop inside a station, by a name of its own


@dataclass(frozen=True)
class NameHit:
    """One place a normalized name stands for; ``full`` is False when it matched only without
    the trailing station word ("包头东站" as "包头东")."""

    kind: HitKind
    id: str
    full: bool = True
    alias: bool = False    # a city's alias: matched exactly only, never by prefix or spelling


def pick_translation(names: dict[str, str], lang: str = "en") -> str | None:
    """The translation for ``lang`` (or its first sub-tag variant), else None."""
    if lang in names:
        return names[lang]
    for k, v in names.items():
        if k.split("-")[0].lower() == lang:
            return v
    return None


@dataclass
class PlaceIndex:
    """Stations, areas, translations, modes, service dates and fares of one (merged) feed."""

    feed_key: str
    timezone: str
    stations: list[Station]
    areas: dict[str, dict[str, Any]]            # area_id -> {"name", "names": {lang: name}}
    stop_names: dict[str, dict[str, str]]       # stop_id -> {lang: name} (platforms too)
    stop_parent: dict[str, str]                 # stop_id -> its station id (platforms only)
    service_dates: list[str]                    # "YYYY-MM-DD" dates on which any trip runs
    mode_of_route_type: dict[str, str]          # str(route_type) -> mode name
    fares: dict[str, Any] = field(default_factory=dict)
    child_modes: dict[str, list[str]] = field(default_factory=dict)  # platform -> its modes (served ones)
    route_short: dict[str, str] = field(default_factory=dict)  # route_id -> route_short_name (when given)
    # feed.FeedSource per input feed: export metadata, and the prefixes the merge gave ids (_prefixed_ids)
    sources: list = field(default_factory=list)
    _keys: dict[str, list[NameHit]] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- persistence
    def to_json(self) -> dict[str, Any]:
        """The index as plain values. Stations go by column (field -> one list): read back, a
        few long lists cost half of a dict per station (hart's 2349: ~1.1 ms instead of ~2.2)."""
        return {
            "version": INDEX_VERSION, "feed_key": self.feed_key, "timezone": self.timezone,
            "stations": {f: [getattr(s, f) for s in self.stations] for f in _STATION_FIELDS}, "areas": self.areas,
            "stop_names": self.stop_names, "stop_parent": self.stop_parent,
            "service_dates": self.service_dates, "mode_of_route_type": self.mode_of_route_type,
            "fares": self.fares, "child_modes": self.child_modes, "route_short": self.route_short,
            "sources": [dataclasses.asdict(s) for s in self.sources],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "PlaceIndex":
        columns = d["stations"]
        return cls(feed_key=d["feed_key"], timezone=d["timezone"],
                   stations=[Station(*row) for row in zip(*(columns[f] for f in _STATION_FIELDS), strict=True)],
                   areas=d["areas"],
                   stop_names=d["stop_names"], stop_parent=d["stop_parent"],
                   service_dates=d["service_dates"], mode_of_route_type=d["mode_of_route_type"],
                   fares=d.get("fares") or {}, child_modes=d.get("child_modes") or {},
                   route_short=d.get("route_short") or {},
                   sources=[FeedSource(**s) for s in d["sources"]])

    def save(self, path: Path) -> None:
        """Write atomically, so a concurrent reader never sees half a file. The format is
        ``marshal`` of ``to_json()`` (plain dicts, lists and strings): read back ~2.5x faster than
        JSON (hart's index: ~6 ms instead of ~14 ms, paid by every warm ``hbeu plan``)."""
        import marshal

        from ..atomic import write_bytes_atomic

        write_bytes_atomic(path, marshal.dumps(self.to_json()), make_dirs=True)

    @classmethod
    def load(cls, path: Path) -> "PlaceIndex | None":
        """The index at ``path``, or None when missing, unreadable, damaged or of another version
        (the caller then rebuilds it)."""
        import marshal

        try:
            d = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(d, dict) or d.get("version") != INDEX_VERSION:
            return None
        try:
            return cls.from_json(d)
        except (KeyError, TypeError, AttributeError, ValueError):   # ValueError: columns of unequal length
            return None

    # ---------------------------------------------------------------- lookups
    def station(self, station_id: str) -> Station | None:
        return self._by_id().get(station_id)

    def _by_id(self) -> dict[str, Station]:
        if not hasattr(self, "_station_by_id"):
            self._station_by_id = {s.id: s for s in self.stations}  # type: ignore[attr-defined]
        return self._station_by_id  # type: ignore[attr-defined]

    def station_of(self, stop_id: str) -> Station | None:
        """The station a stop belongs to (the stop itself when it is one)."""
        return self._by_id().get(self.stop_parent.get(stop_id, stop_id))

    def name_in(self, stop_id: str, lang: str = "en") -> str | None:
        """A stop's translated name, falling back to its station's."""
        tr = pick_translation(self.stop_names.get(stop_id, {}), lang)
        if tr is None:
            st = self.station_of(stop_id)
            tr = pick_translation(st.names, lang) if st is not None else None
        return tr

    def translate(self, name: str | None, lang: str = "en") -> str | None:
        """The translation of a stop name given as text (a headsign naming a stop), or None."""
        if not name:
            return None
        if not hasattr(self, "_by_name"):
            by_name: dict[str, dict[str, str]] = {}
            for names in self.stop_names.values():
                if len(names) > 1:
                    by_name.setdefault(names.get("", ""), names)
            for st in self.stations:
                if st.names:
                    by_name.setdefault(st.name, st.names)
            self._by_name = by_name  # type: ignore[attr-defined]
        return pick_translation(self._by_name.get(name, {}), lang)  # type: ignore[attr-defined]

    def area_names(self, area_id: str) -> tuple[str, str | None]:
        """An area's (Chinese, English) names: a known city's, else as ``bilingual``."""
        a = self.areas.get(area_id) or {"name": area_id, "names": {}}
        city = _known_city(a["name"])
        if city is not None:
            return city.names[0], city.names[1]
        return bilingual(a["name"], a.get("names", {}))

    def area_names_by_name(self, area_name: str) -> tuple[str, str | None]:
        """As ``area_names`` for an area given by its published name (tables keyed by name)."""
        if not hasattr(self, "_area_by_name"):
            self._area_by_name = {}  # type: ignore[attr-defined]
            for aid, a in self.areas.items():
                self._area_by_name.setdefault(a["name"], aid)  # type: ignore[attr-defined]
        aid = self._area_by_name.get(area_name)  # type: ignore[attr-defined]
        return self.area_names(aid) if aid is not None else bilingual(area_name, {})

    def stop_names_of(self, stop_id: str) -> tuple[str, str | None]:
        """A stop's or station's (Chinese, English) names, as ``bilingual``."""
        names = self.stop_names.get(stop_id)
        if names is None:
            st = self.station(stop_id)
            return bilingual(st.name, st.names) if st is not None else (stop_id, None)
        own = {k: v for k, v in names.items() if k}
        published = names.get("", stop_id)
        if not own:
            st = self.station_of(stop_id)
            own = st.names if st is not None and st.name == published else {}
        return bilingual(published, own)

    def area_label(self, area_id: str, lang: str = "en") -> str:
        """"包头 Baotou": a known city's Chinese and English names, else the area's name and
        its translation."""
        a = self.areas.get(area_id) or {"name": area_id, "names": {}}
        city = _known_city(a["name"])
        if city is not None:
            return f"{city.names[0]} {city.names[1]}"
        tr = pick_translation(a.get("names", {}), lang)
        return f"{a['name']} {tr}" if tr and normalize(tr) != normalize(a["name"]) else a["name"]

    def city_name(self, area_id: str) -> str:
        """The short name of a station's city: a known city's Chinese name, else the area's."""
        name = (self.areas.get(area_id) or {"name": area_id})["name"]
        city = _known_city(name)
        return city.names[0] if city else name

    def city_key(self, area_id: str) -> str:
        """Areas with the same name (a regional city's names counting as one) are one city: its grouping key."""
        cache = self.__dict__.setdefault("_city_keys", {})
        if area_id not in cache:
            name = (self.areas.get(area_id) or {"name": area_id})["name"]
            city = _known_city(name)
            cache[area_id] = f"city:{city.names[0]}" if city else f"area:{normalize(name)}"
        return cache[area_id]

    def mode(self, route_type: int) -> str:
        return self.mode_of_route_type.get(str(int(route_type)), "other")

    # ---------------------------------------------------------------- matching
    def _name_keys(self) -> dict[str, list[NameHit]]:
        """normalized name -> the places it names: stations (full name, and without the trailing
        station word), areas (their names, a regional city's own names and aliases), and served
        stops inside a station by a name of their own."""
        if self._keys is not None:
            return self._keys
        keys: dict[str, list[NameHit]] = {}

        def add(key: str, kind: HitKind, ident: str, full: bool = True, alias: bool = False) -> None:
            hit = NameHit(kind, ident, full, alias)
            if key and hit not in keys.setdefault(key, []):
                keys[key].append(hit)

        for s in self.stations:
            for n in {s.name, *s.names.values()}:
                k, stem = key_and_stem(n)
                add(k, HitKind.STATION, s.id)
                add(stem, HitKind.STATION, s.id, full=False)
        for aid, a in self.areas.items():
            if aid in self._by_id():
                continue  # a station that is its own area (feed without areas): not a city
            city = _known_city(a["name"])
            for n in {a["name"], *a.get("names", {}).values(), *(city.names if city else ())}:
                k, stem = key_and_stem(n)
                add(k, HitKind.AREA, aid)
                add(stem, HitKind.AREA, aid, full=False)
            for n in city.aliases if city else ():
                add(normalize(n), HitKind.AREA, aid, alias=True)
        for child, par in self.stop_parent.items():
            st = self._by_id().get(par)
            if st is None or not self.child_modes.get(child):
                continue
            names = {st.name, *st.names.values()}
            theirs = {normalize(n) for n in names}
            same = {name_stem(n, _SAME_PLACE_SUFFIXES) for n in names}
            for n in set(self.stop_names.get(child, {}).values()):
                k = normalize(n)
                if not k or k in theirs or name_stem(n, _SAME_PLACE_SUFFIXES) in same:
                    continue  # the station's own name (a platform "包头东" of station 包头东)
                add(k, HitKind.STOP, child)
                stem = name_stem(n)
                if stem not in theirs | same:
                    add(stem, HitKind.STOP, child, full=False)
        self._keys = keys
        return keys

    def _drop_covered(self, hits: list[NameHit]) -> list[NameHit]:
        """Without named-stop hits whose station or city is hit too (that place covers them)."""
        sts = {h.id for h in hits if h.kind is HitKind.STATION}
        cities = {self.city_key(h.id) for h in hits if h.kind is HitKind.AREA}

        def covered(stop: str) -> bool:
            par = self.stop_parent[stop]
            return par in sts or self.city_key(self._by_id()[par].area_id) in cities

        return [h for h in hits if h.kind is not HitKind.STOP or not covered(h.id)]

    def _area_stations(self, city: str) -> list[Station]:
        """The stations of a city (a city_key)."""
        return [s for s in self.stations if self.city_key(s.area_id) == city]

    def _station_place(self, query: str, stations: list[Station], note: str | None = None) -> Place:
        """One place for same-named stations in one city; InputError listing them otherwise."""
        by_area: dict[str, list[Station]] = {}
        for s in stations:
            by_area.setdefault(self.city_key(s.area_id), []).append(s)
        if len(by_area) > 1:
            raise self._ambiguous(query, [NameHit(HitKind.STATION, s.id) for s in stations])
        ids: list[str] = []
        for s in stations:
            ids += [x for x in s.stops if x not in ids]
        first = stations[0]
        detail = f" ({len(stations)} stations of that name)" if len(stations) > 1 else ""
        kind = "station" if len(first.stops) > 1 or len(stations) > 1 else "stop"
        return Place(query, first.display() + detail, kind, tuple(ids), note,
                     _one_lang(bilingual(first.name, first.names), detail))

    def _area_place(self, query: str, area_id: str, note: str | None = None) -> Place:
        sts = self._area_stations(self.city_key(area_id))
        ids = tuple(x for s in sts for x in s.stops)
        if not ids:
            raise InputError(f"area {self.areas[area_id]['name']!r} has no stations")
        detail = f" (any of {len(sts)} stations)" if len(sts) > 1 else " (1 station)"
        return Place(query, self.area_label(area_id) + detail, "area", ids, note,
                     _one_lang(self.area_names(area_id), detail))

    def _station_label(self, s: Station) -> str:
        """"NAME (CITY)", naming the city only where the name does not already ("萨拉齐 Salaqi
        (Tumed Right Banner)", not the banner twice); a station called as its city keeps it. A
        station that is its own area (a feed without areas) has no city: just its name, once."""
        if s.area_id in self._by_id():
            return s.display()
        city = self.city_name(s.area_id)
        label, ck = s.display(), normalize(city)
        own = {normalize(n) for n in {s.name, *s.names.values()}}
        if ck and ck in normalize(label) and ck not in own and not self._city_named(own, s.area_id):
            return label
        return f"{label} ({city})"

    def _city_named(self, keys: set[str], area_id: str) -> bool:
        """Whether one of ``keys`` is a name of the area (a station called as its city)."""
        a = self.areas.get(area_id) or {"name": area_id, "names": {}}
        city = _known_city(a["name"])
        names = {a["name"], *a.get("names", {}).values(), *(city.names if city else ())}
        return not keys.isdisjoint(normalize(n) for n in names)

    def _candidate_label(self, hit: NameHit, several: bool = False) -> str:
        """"NAME (CITY) [ID]", which resolve() accepts back; without the id for a group of
        same-named stops (the name and city then name them all)."""
        if hit.kind is HitKind.AREA:
            return f"{self.area_label(hit.id)} (city, any station)"
        if hit.kind is HitKind.STOP:
            par = self._by_id()[self.stop_parent[hit.id]]
            return f"{self.stop_label(hit.id)} ({self.city_name(par.area_id)}) [{hit.id}]"
        s = self._by_id()[hit.id]
        label = self._station_label(s)
        return label if several else f"{label} [{s.id}]"

    def _ambiguous(self, query: str, hits: list[NameHit]) -> InputError:
        groups: dict[tuple[HitKind, str], list[NameHit]] = {}
        for h in hits:
            groups.setdefault((h.kind, self._group(h)), []).append(h)
        labels = sorted({self._candidate_label(g[0], several=len({h.id for h in g}) > 1)
                         for g in groups.values()})
        more = f" … and {len(labels) - 12} more" if len(labels) > 12 else ""
        return InputError(f"{query!r} matches several places: {'; '.join(labels[:12])}{more}. "
                          "Name one of them (copy it as listed, with its city in parentheses or its "
                          "id in brackets where shown).")

    def _place_of_hits(self, query: str, hits: list[NameHit], note: str | None = None) -> Place:
        """Turn matched names into a place: all stations, or a single area, or a single named
        stop, else ambiguous."""
        areas = sorted({h.id for h in hits if h.kind is HitKind.AREA})
        sts = [self._by_id()[i] for i in dict.fromkeys(h.id for h in hits if h.kind is HitKind.STATION)]
        stops = list(dict.fromkeys(h.id for h in hits if h.kind is HitKind.STOP))
        if areas and not sts and not stops and len({self.city_key(a) for a in areas}) == 1:
            return self._area_place(query, areas[0], note)
        if sts and not areas and not stops:
            return self._station_place(query, sts, note)
        if len(stops) == 1 and not areas and not sts:
            return self._stop_place(query, stops[0], note)
        raise self._ambiguous(query, hits)

    def resolve(self, query: str, param: str | None = None) -> Place:
        """The place a user's FROM/TO names; InputError with suggestions when none or several. A
        whole number is a stop_id as pandas reads a numeric one (70012); any other value that is
        not text is an InputError naming ``param`` (the query's parameter) when given (``place_text``)."""
        query = place_text(query, param)
        q = query.strip()
        if not q:
            raise InputError("empty station name")
        # 1. stop_id
        hit = self._by_stop_id(q)
        if hit is not None:
            return hit
        # 2. NAME (CITY) [ID], as the candidates are listed
        named, name, city, ident = split_candidate(q)
        if ident:
            hit = self._by_stop_id(ident)
            if hit is not None:
                return hit
        if city:
            got = self._name_in_city(named, name, city)
            if got is not None:
                return got
        keys = self._name_keys()
        k = normalize(q)
        if not k:
            raise InputError(f"no letters in station name {query!r}")
        exact = [h for h in keys.get(k, []) if h.full]
        # 3. areas, 4. station names, then stops' own names
        for kind in (HitKind.AREA, HitKind.STATION, HitKind.STOP):
            hits = [h for h in exact if h.kind is kind]
            if hits:
                return self._place_of_hits(q, hits)
        # 5. without the station word
        ks = name_stem(q)
        loose = keys.get(ks, [])
        hits = [h for h in loose if h.kind is HitKind.STATION and not h.full]
        hits = hits or [h for h in loose if h.kind is HitKind.STOP and not h.full]
        hits = hits or [h for h in loose if h.kind is HitKind.AREA]
        if hits:
            return self._place_of_hits(q, hits)
        # 6. names starting with the query, else containing it
        if len(ks) >= 2 or not ks.isascii():
            hits = self._drop_covered(list(dict.fromkeys(
                h for key, hs in keys.items() if key.startswith(ks) for h in hs if h.full and not h.alias)))
            if len({(h.kind, self._group(h)) for h in hits}) != 1:
                hits = self._drop_covered(list(dict.fromkeys(
                    h for key, hs in keys.items() if ks in key for h in hs if h.full and not h.alias)))
            if hits:
                if len({(h.kind, self._group(h)) for h in hits}) == 1:
                    return self._place_of_hits(q, hits, note=None)
                raise self._ambiguous(q, hits)
        # 7. close spellings
        scored = self._close(ks, cutoff=0.75)
        if scored:
            best = scored[0][0]
            top = [h for sc, key in scored if sc >= best - 0.02 for h in keys[key] if not h.alias]
            top = [h for h in top if h.full] or top  # a whole name before one without its station word, as above
            for kind in (HitKind.AREA, HitKind.STATION, HitKind.STOP):  # a city before its stations, as above
                hits = [h for h in top if h.kind is kind]
                if hits:
                    break
            if len({(h.kind, self._group(h)) for h in hits}) == 1:
                place = self._place_of_hits(q, hits)
                return dataclasses.replace(place, note=f"no station is called {query!r}; using {place.label}")
            # spelled about as much like several places: none is meant for sure, and no place
            # has the name (not "matches several places"), so the closest are suggested
        raise self.no_match(query)

    def _unserved(self, q: str) -> list[str]:
        """The stops of stops.txt no trip calls at whose id is ``q`` or whose name is ``q`` (the
        index keeps every stop's names: ``stop_names``)."""
        served = {x for s in self.stations for x in s.stops}
        k = normalize(q)
        return sorted(s for s, names in self.stop_names.items()
                      if s not in served and (s == q or any(n and normalize(n) == k for n in names.values())))

    def no_match(self, query: str) -> InputError:
        """The error for a name that matches nothing, with the places spelled most like it (a
        whole number is the stop_id it stands for: ``place_text``)."""
        query = place_text(query)
        merged = self._prefixed_ids(query.strip())
        if len(merged) > 1:     # a stop_id several merged feeds published (``_by_prefixed_id``)
            return InputError(f"stop_id {query.strip()!r} is {' or '.join(map(repr, merged))} in the merged "
                              f"feeds: give one of them")
        idle = self._unserved(query.strip())
        if idle:   # in stops.txt, but no trip calls there: not a typo to hunt for
            return InputError(f"no trip calls at {query!r} (stop {', '.join(idle)} of stops.txt): it is no place "
                              "to travel from or to")
        sugg = self.suggest(query)
        hint = f"; did you mean: {'; '.join(sugg)}?" if sugg else "; list them with `hbeu stations`"
        return InputError(f"unknown station {query!r} (no station or city has that name){hint}")

    def _group(self, hit: NameHit) -> str:
        """Same-named stations in one area count as one place."""
        if hit.kind is HitKind.AREA:
            return self.city_key(hit.id)
        if hit.kind is HitKind.STOP:
            return f"stop|{hit.id}"
        s = self._by_id()[hit.id]
        return f"{self.city_key(s.area_id)}|{normalize(s.name)}"

    def _by_stop_id(self, q: str) -> Place | None:
        st = self._by_id().get(q)
        if st is None and (q in self.stop_parent):
            return self._stop_place(q, q)
        if st is None:
            low = [s for s in self.stations if s.id.casefold() == q.casefold()]
            low_stops = [x for x in self.stop_parent if x.casefold() == q.casefold()]
            if len(low) == 1:
                st = low[0]
            elif len(low_stops) == 1 and not low:
                return self._by_stop_id(low_stops[0])
        if st is None:
            return self._by_prefixed_id(q)
        return Place(q, st.display(), "station" if len(st.stops) > 1 else "stop", tuple(st.stops),
                     one_lang=_one_lang(bilingual(st.name, st.names)))

    def _by_prefixed_id(self, q: str) -> Place | None:
        """A stop_id as its feed published it, where merging feeds prefixed it ("6497" for
        "hart:6497", a later feed's ids carrying its name when two feeds share an id): the one
        station or stop with that id after a prefix, with a note naming the id it has now."""
        ids = self._prefixed_ids(q)
        if len(ids) != 1:
            return None
        place = self._by_stop_id(ids[0])
        return place and dataclasses.replace(place, query=q, note=f"stop_id {q!r} is {ids[0]!r} in the merged feeds")

    def _prefixed_ids(self, q: str) -> list[str]:
        """The station and stop ids that are ``q`` after the prefix a merged feed's ids got
        (``FeedSource.prefix``: its name and ':'; an id or a feed name may have a ':' of its own),
        each once (none for a blank ``q``: an id without a prefix is not '' after one)."""
        if not q:
            return []
        ids = (f"{s.prefix}{q}" for s in self.sources if s.prefix)
        return list(dict.fromkeys(x for x in ids if x in self._by_id() or x in self.stop_parent))

    def _stop_place(self, query: str, stop_id: str, note: str | None = None) -> Place:
        """Just one stop inside a station, labelled with its station."""
        parent = self._by_id().get(self.stop_parent[stop_id])
        own = self.stop_names_of(stop_id)
        if parent is None:
            return Place(query, self.stop_label(stop_id), "stop", (stop_id,), note, _one_lang(own))
        within = _one_lang(bilingual(parent.name, parent.names))
        zh, en = _one_lang(own)
        return Place(query, f"{self.stop_label(stop_id)} ({parent.display()})", "stop", (stop_id,), note,
                     (f"{zh} ({within[0]})", f"{en} ({within[1]})"))

    def stop_label(self, stop_id: str) -> str:
        """A stop's published name with a translation when known."""
        names = self.stop_names.get(stop_id, {})
        base = names.get("", stop_id)
        tr = self.name_in(stop_id)
        return f"{base} {tr}" if tr and normalize(tr) != normalize(base) else base

    def _name_in_city(self, q: str, name: str, city: str) -> Place | None:
        """"NAME (CITY)": stations called NAME in the area called CITY (or whose label, as the
        candidates are listed, is the whole query)."""
        keys = self._name_keys()
        ck = normalize(city)
        areas = {self.city_key(h.id) for h in keys.get(ck, []) + keys.get(name_stem(city), [])
                 if h.kind is HitKind.AREA}
        nk, qk = normalize(name), normalize(q)
        labelled = [s for s in self.stations if normalize(self._station_label(s)) == qk]
        if labelled:
            return self._station_place(q, labelled)
        if not areas:
            return None
        ids = [h.id for h in keys.get(nk, []) if h.kind is HitKind.STATION and h.full]
        ids = ids or [h.id for h in keys.get(name_stem(name), []) if h.kind is HitKind.STATION and not h.full]
        ids = ids or [s.id for s in self.stations if normalize(s.display()) == nk]
        sts = [self._by_id()[i] for i in dict.fromkeys(ids) if self.city_key(self._by_id()[i].area_id) in areas]
        if sts:
            return self._station_place(q, sts)
        stops = [h.id for h in keys.get(nk, []) if h.kind is HitKind.STOP and h.full]
        stops = stops or [h.id for h in keys.get(name_stem(name), []) if h.kind is HitKind.STOP and not h.full]
        stops = [i for i in dict.fromkeys(stops) if self.city_key(self.station_of(i).area_id) in areas]
        if len(stops) > 1:
            raise self._ambiguous(q, [NameHit(HitKind.STOP, i) for i in stops])
        return self._stop_place(q, stops[0]) if stops else None

    def _close(self, key: str, cutoff: float) -> list[tuple[float, str]]:
        """Keys spelled like ``key``, best first, as (similarity, key).

        A key's similarity is that of the whole name or, for a query of ``_CLOSE_PREFIX_MIN``
        or more characters, of the name's start as long as the query, whichever is higher: a
        near miss of the start of a name counts as step 6 counts the start exactly ("San
        Fransisco" is closest to "San Francisco Caltrain", not to "So. San Francisco Caltrain
        Station", which merely contains a similar word)."""
        import difflib  # only for a misspelt query

        out = []
        sm = difflib.SequenceMatcher(autojunk=False)
        sm.set_seq2(key)
        n = len(key) if len(key) >= _CLOSE_PREFIX_MIN else 0
        for cand, hits in self._name_keys().items():
            if all(h.alias for h in hits):
                continue  # aliases match exactly only
            best = 0.0
            for seq in (cand, cand[:n]) if n and len(cand) > n else (cand,):
                sm.set_seq1(seq)
                if sm.real_quick_ratio() >= cutoff and sm.quick_ratio() >= cutoff:
                    best = max(best, sm.ratio())
            if best >= cutoff:
                out.append((best, cand))
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    def suggest(self, query: str, n: int = 5) -> list[str]:
        """Up to n place labels spelled like ``query``, each place once, for error messages."""
        keys = self._name_keys()
        groups: dict[tuple[HitKind, str], set[str]] = {}
        first: dict[tuple[HitKind, str], NameHit] = {}
        for _, key in self._close(name_stem(query), cutoff=0.5):
            for h in keys[key]:
                if h.alias:
                    continue
                g = (h.kind, self._group(h))
                if g not in groups and len(groups) >= n:
                    continue
                groups.setdefault(g, set()).add(h.id)
                first.setdefault(g, h)
        return list(dict.fromkeys(self._candidate_label(first[g], several=len(ids) > 1) for g, ids in groups.items()))

    def search(self, query: str | None) -> list[Station]:
        """Stations for `hbeu stations [QUERY]`: all, or those the query names or partly names
        (the place it resolves to, else every station or city whose name contains it); empty
        when nothing does (the caller says so, with suggestions). A blank query is no query; a
        whole number a numeric stop_id, any other value that is not text an InputError naming the
        ``query`` parameter (``place_text``, as ``resolve`` reads it)."""
        if query is None:
            return list(self.stations)
        query = place_text(query, "query")
        if not query.strip():
            return list(self.stations)
        try:
            place = self.resolve(query)
            ids = set(place.stop_ids)
            exact = [s for s in self.stations if not ids.isdisjoint(s.stops)]  # a stop: its station
            if exact:
                return exact
        except InputError:
            pass
        k = name_stem(query)
        keys = self._name_keys()
        hits = [h for key, hs in keys.items() if k and k in key for h in hs if h.full and not h.alias]
        ids = [h.id if h.kind is HitKind.STATION else self.stop_parent[h.id]
               for h in hits if h.kind is not HitKind.AREA]
        areas = {self.city_key(h.id) for h in hits if h.kind is HitKind.AREA}
        found = dict.fromkeys(ids)
        found.update(dict.fromkeys(s.id for s in self.stations if self.city_key(s.area_id) in areas))
        return [self._by_id()[i] for i in found]

    # ---------------------------------------------------------------- dates
    def default_date(self, today: dt.date) -> tuple[dt.date, str | None]:
        """Today when any trip runs today, else the next service date (with a note saying so);
        for a feed whose service has ended, its first date: `feed.dates.choose_default_date`,
        the rule every command follows."""
        from ..feed.dates import choose_default_date

        return choose_default_date(self.service_dates, today)

    def next_service_dates(self, start: dt.date, n: int, weekdays: bool = False) -> list[dt.date]:
        """The first n service dates on or after ``start`` (Monday to Friday ones with ``weekdays``)."""
        iso = start.isoformat()
        days = (dt.date.fromisoformat(d) for d in self.service_dates if d >= iso)
        return [d for d in days if not weekdays or d.weekday() < 5][:n]

    # ---------------------------------------------------------------- fares
    def leg_fare(self, route_id: str, from_stop: str, to_stop: str, departure: int, arrival: int,
                 date: str) -> tuple[float, str] | None:
        """(amount, currency) of one ride leaving at ``departure`` and arriving at ``arrival``
        (wall-clock seconds after ``date``'s local midnight, "YYYY-MM-DD"), when the feed's fares
        say; None when unknown.

        Fares v2: fare_leg_rules matched on network, then from area, then to area, each time
        preferring rules naming our value over rules leaving the field empty (the spec's
        "empty matches every value not listed", applied among the rules still in play), except
        that in a file with a rule_priority column an empty field matches any value (the
        reference: it "does not affect the matching"); the highest rule_priority; rules with
        timeframes only when the departure (from_timeframe_group_id) or arrival (to_...) falls
        in one (its time of day, on a date its service_id runs: ``fares.leg_fare``); the cheapest product of the default
        rider category. Fares v1: fare_rules on route and origin/destination zones. Transfer
        discounts (fare_transfer_rules) are a journey's: ``journey_fares``.
        """
        from .fares import leg_fare

        return leg_fare(self.fares, route_id, self._with_parent(from_stop), self._with_parent(to_stop),
                        departure, arrival, date)

    def journey_fares(self, rides: list[tuple[str, str, str, int, int]], date: str,
                      elapsed: list[int] | None = None, seated: Iterable[int] = (),
                      arrivals: list[int] | None = None
                      ) -> tuple[tuple[float, str] | None, list[tuple[float, str] | None]]:
        """The (amount, currency) of a journey's rides, and each ride's own (``leg_fare``'s: the
        rules are matched once for both), the rides each (route_id, from_stop, to_stop,
        departure, arrival on the wall clock after ``date``'s midnight, as ``leg_fare``). The
        journey's: the sum of their fares, except that a Fares v1 ticket whose transfers and
        transfer_duration allow it pays for consecutive rides at once (the cheapest way to pay
        for them all; ``elapsed``: the departures in real seconds, for transfer_duration;
        ``seated``: the rides continued in seat, no transfer), and that Fares v2
        fare_transfer_rules price the changes (``arrivals``: the rides' arrivals in real seconds,
        for their duration limits); None unless every ride has a fare, in one currency."""
        from .fares import journey_fares

        return journey_fares(self.fares, [(r, self._with_parent(a), self._with_parent(b), dep, arr)
                                          for r, a, b, dep, arr in rides], date, elapsed, seated, arrivals)

    def _with_parent(self, stop_id: str) -> list[str]:
        p = self.stop_parent.get(stop_id)
        return [stop_id, p] if p else [stop_id]
