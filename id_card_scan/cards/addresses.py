"""Addresses printed on Vietnamese identity cards: splitting, gazetteer matching, OCR repair.

Cards issued before 1 July 2025 print ``street, ward, district, province`` in the old
three-level units; later cards print ``street, ward, province`` in the 34 merged provinces.
Both are read against the gazetteer of the ``vietnamadminunits`` package (MIT), whose data
files we open directly (SQLite and JSON): importing the package would pull shapely and geopy
for its geocoding helpers, and its converter geocodes split wards over the network, which an
offline reader must never do.

Names are reported the way the gazetteer writes them: the full unit type then the name,
``Phường Hàng Bạc``, ``Quận Hoàn Kiếm``, ``Thành phố Hà Nội``, ``Tỉnh Quảng Nam``, whatever
the card printed (``TP. Hà Nội``, ``Hà Nội``, ``Q.1``). Codes are the General Statistics
Office codes the package carries (province ``01``, district ``001``, ward ``00001``); the
12-digit ID number's three-digit province code is the province code zero-padded.

Matching tolerates what OCR does to Vietnamese: lost or wrong tone marks, a dropped
circumflex/breve/horn, ``D`` for ``Đ``, one wrong letter (two in long names). It accepts a
near match only when no other unit in the same parent comes as close, and lets the next
level down decide between close candidates (the ward must exist in the district). Digits
never change: ``Phường 12`` is never read as ``Phường 13``.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Scheme = Literal["pre-2025", "2025"]
Level = Literal["province", "district", "ward"]

PRE_2025: Scheme = "pre-2025"
FROM_2025: Scheme = "2025"

# ---------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True)
class AddressEntities:
    """The parts of a printed address, with gazetteer names and codes where matched.

    A part that is absent from the text is ``None``. A part that is present but not found
    in the gazetteer keeps its printed text, with ``*_matched`` false and no code.
    ``district`` is always ``None`` for the 2025 scheme, which has no district level.
    """

    street: str | None
    ward: str | None
    district: str | None
    province: str | None
    ward_code: str | None = None
    district_code: str | None = None
    province_code: str | None = None
    ward_matched: bool = False
    district_matched: bool = False
    province_matched: bool = False
    # Which list of units the address was read against: "pre-2025" (province, district,
    # ward before 1 July 2025) or "2025" (34 provinces, ward); None when nothing matched.
    scheme: Scheme | None = None
    # Names printed on the card that the gazetteer knows only as units merged or split
    # before July 2025 (e.g. "Phường Văn Miếu", now part of "Phường Văn Miếu Quốc Tử
    # Giám"): the part then carries the name and code of the unit it became.
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SnapChange:
    """One rewrite :func:`snap_address` made: the printed text and what replaced it."""

    level: Level
    before: str
    after: str


@dataclass(frozen=True)
class SnapResult:
    """The address with OCR errors in unit names fixed, and what was done."""

    text: str
    changes: tuple[SnapChange, ...]
    entities: AddressEntities
    # Parts left as printed because two units were equally close, e.g. "Cam Giang" in
    # Hải Phòng could be "Cẩm Giang" or "Cẩm Giàng".
    ambiguous: tuple[Level, ...] = ()


@dataclass(frozen=True)
class CurrentUnits:
    """Where a pre-July-2025 address lies in the units in force from 1 July 2025.

    Uses the old-to-new ward table of ``vietnamadminunits`` (``converter_2025.json``),
    compiled from the 2025 merger resolutions. When the old ward was split among several
    new ones, ``ward`` is the one that table marks as default (it took most of the area)
    and ``alternatives`` lists the others; nothing is geocoded.
    """

    ward: str | None
    ward_code: str | None
    province: str
    province_code: str
    split: bool = False
    alternatives: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------
# Text normalisation

# Combining marks after NFD: vowel shapes (â ê ô, ă, ơ ư) and the five tones.
_SHAPE_MARKS = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}
_TONE_MARKS = {"\u0300": "F", "\u0301": "S", "\u0303": "X", "\u0309": "R", "\u0323": "J"}
# OCR engines and fonts confuse the Vietnamese Đ with the Icelandic eth.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_LOOKALIKES)


def _strip_zeros(text: str) -> str:
    # "Phường 05" and "Phường 5" are the same ward.
    return _DIGITS.sub(lambda m: str(int(m.group())), text)


@functools.lru_cache(maxsize=1 << 16)  # names repeat: the gazetteer's and each card's
def _tokens(text: str) -> tuple[str, ...]:
    """Letters with their vowel shape, and one tone token closing each syllable.

    Putting the tone at the syllable's end makes "Hoà" and "Hòa", "Thuỷ" and "Thủy" (old
    and new tone placement, both seen on cards) the same name, and lets a lost tone cost
    less than a wrong letter.
    """
    tokens: list[str] = []
    for word in _WORD.findall(_strip_zeros(_clean(text)).lower()):
        tone = ""
        for char in word:
            if char == "đ":
                tokens.append("d-")
                continue
            parts = unicodedata.normalize("NFD", char)
            shape = "".join(_SHAPE_MARKS.get(mark, "") for mark in parts[1:])
            for mark in parts[1:]:
                tone = _TONE_MARKS.get(mark, tone)
            tokens.append(parts[0] + shape)
        tokens.append("~" + tone)
    return tuple(tokens)


def _base(tokens: Sequence[str]) -> str:
    """Bare letters and digits, no marks or spaces: "Hoàn Kiếm" -> "hoankiem"."""
    return "".join(token[0] for token in tokens if token[0] != "~")


@functools.lru_cache(maxsize=1 << 16)
def base_key(text: str) -> str:
    """The accent-, case- and space-free key of a name ("TP. Hồ Chí Minh" -> "tphochiminh")."""
    return _base(_tokens(text))


# What OCR is likely to do costs less than what it rarely does: a dropped mark 0.1 (engines
# without a Vietnamese model drop them all, so a long name must still beat a one-letter
# error), a wrong mark 0.6, a missing or extra space 0.3, a wrong, missing or extra
# letter 1.
_DROPPED = 0.1
_WRONG_MARK = 0.6
_SPACE = 0.3
_LETTER = 1.0
# A close candidate is accepted only if every other one is at least this much further.
_MARGIN = 0.5
# A printed unit type that disagrees with the gazetteer's (a commune upgraded to a town
# after the card was issued prints "Xã" where the list says "Thị trấn").
_TYPE_MISMATCH = 0.5


def _sub_cost(printed: str, official: str) -> float:
    if printed == official:
        return 0.0
    if printed[0] == "~" or official[0] == "~":
        if printed[0] != official[0]:
            return 2 * _LETTER  # a letter never stands for a tone
        return _DROPPED if printed == "~" else _WRONG_MARK
    if printed[0] != official[0]:
        return _LETTER
    return _DROPPED if len(printed) == 1 else _WRONG_MARK


def _indel_cost(token: str) -> float:
    # A missing space moves tone tokens around; that is a layout slip, not a wrong letter.
    return _SPACE if token[0] == "~" else _LETTER


def _weighted_distance(printed: Sequence[str], official: Sequence[str]) -> float:
    previous = [0.0]
    for token in official:
        previous.append(previous[-1] + _indel_cost(token))
    for p_token in printed:
        current = [previous[0] + _indel_cost(p_token)]
        for j, o_token in enumerate(official, start=1):
            current.append(
                min(
                    previous[j] + _indel_cost(p_token),
                    current[j - 1] + _indel_cost(o_token),
                    previous[j - 1] + _sub_cost(p_token, o_token),
                )
            )
        previous = current
    return previous[-1]


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance of ``a`` and ``b``, or ``limit + 1`` as soon as it must exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if limit == 0 or a == b:
        return 0 if a == b else 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:  # every later row is at least this far
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def _max_letter_errors(base: str) -> int:
    # Names of up to 4 letters ("Vinh", "Huế") differ from others by a single letter too
    # often to correct one; their marks are still restored.
    if any(char.isdigit() for char in base) or len(base) <= 4:
        return 0
    return 1 if len(base) <= 9 else 2


# ---------------------------------------------------------------------------------------
# Unit types and the prefixes that print them

_WARD_TYPES = {"phuong": "Phường", "xa": "Xã", "thitran": "Thị trấn", "dackhu": "Đặc khu"}
_DISTRICT_TYPES = {"quan": "Quận", "huyen": "Huyện", "thixa": "Thị xã", "thanhpho": "Thành phố"}
_PROVINCE_TYPES = {"tinh": "Tỉnh", "thanhpho": "Thành phố"}
_ABBREVIATIONS = {
    "p": "phuong", "f": "phuong", "x": "xa", "tt": "thitran",
    "q": "quan", "h": "huyen", "tx": "thixa", "tp": "thanhpho", "t": "tinh",
}  # fmt: skip
_LEVEL_TYPES: dict[Level, dict[str, str]] = {
    "ward": _WARD_TYPES,
    "district": _DISTRICT_TYPES,
    "province": _PROVINCE_TYPES,
}
_FULL_TYPE_WORDS = {**_WARD_TYPES, **_DISTRICT_TYPES, **_PROVINCE_TYPES}
# Multi-letter abbreviations are read without a dot too ("TP Hà Nội", "TX Điện Bàn").
_BARE_ABBREVIATIONS = frozenset({"tp", "tx", "tt"})
_BARE_ABBREVIATION = re.compile(r"([^\W\d_]{2})\s+")
_ABBREVIATION_PATTERNS = (
    re.compile(r"([^\W\d_]\.[^\W\d_])\.?\s*"),  # "T.P. Hà Nội", "T.X Điện Bàn"
    re.compile(r"([^\W\d_]{1,2})\.\s*"),  # "P. Hàng Bạc", "TP.HCM", "Q.1"
    re.compile(r"([^\W\d_]{1,2})(?=\d)"),  # "P12", "Q1"
    _BARE_ABBREVIATION,
)


@dataclass(frozen=True)
class _Reading:
    """One way to read a segment: an optional unit-type prefix and the name after it."""

    type_key: str | None  # "phuong", "quan", ... or None when read without a prefix
    prefix: str  # as printed, e.g. "P." or "Thanh pho"
    prefix_full: bool  # the prefix is the whole word (so an OCR slip in it can be fixed)
    name: str  # as printed
    name_start: int  # offset of the name in the segment
    tokens: tuple[str, ...]

    def levels(self) -> set[Level]:
        return {lvl for lvl, types in _LEVEL_TYPES.items() if self.type_key in types}


def _type_word(text: str) -> str | None:
    """The unit type a full word names, allowing one misread letter in words of 4+ letters."""
    if "." in text:
        return None
    key = base_key(text)
    if key in _FULL_TYPE_WORDS:
        return key
    if len(key) < 4:
        return None
    # Same length only: a misread letter ("Phườmg", "Qvận"), not another word ("Quang").
    close = [
        word
        for word in _FULL_TYPE_WORDS
        if len(word) == len(key) and sum(a != b for a, b in zip(key, word, strict=True)) == 1
    ]
    return close[0] if len(close) == 1 else None


def _readings(segment: str) -> list[_Reading]:
    """Every plausible prefix/name split of a segment, the prefix-free one last."""
    readings: list[_Reading] = []

    def add(type_key: str, prefix_end: int, name_start: int, full: bool) -> None:
        name = segment[name_start:].strip()
        if name:
            start = segment.index(name, name_start)
            readings.append(
                _Reading(type_key, segment[:prefix_end], full, name, start, _tokens(name))
            )

    words = list(re.finditer(r"\S+", segment))
    # Full words: "Phường", "Thị trấn", "Thanh pho" (OCR without marks), "Phườmg".
    for count in (2, 1):
        if len(words) > count:
            end = words[count - 1].end()
            key = _type_word(segment[:end])
            if key is not None:
                add(key, end, end, True)
    # Abbreviations: "P.", "TP.", "Q.1", "P12", and without a dot "TP Hà Nội".
    for pattern in _ABBREVIATION_PATTERNS:
        match = pattern.match(segment)
        if match is None or segment[match.end() : match.end() + 1].islower():
            continue  # "T.Thái Nguyên" is no "T.T" (Thị trấn) before "hái Nguyên"
        abbreviation = base_key(match.group(1))
        if pattern is _BARE_ABBREVIATION and abbreviation not in _BARE_ABBREVIATIONS:
            continue
        if abbreviation in _ABBREVIATIONS:
            add(_ABBREVIATIONS[abbreviation], len(match.group().rstrip()), match.end(), False)
            break
    readings.append(_Reading(None, "", False, segment.strip(), 0, _tokens(segment)))
    return readings


# ---------------------------------------------------------------------------------------
# The gazetteer


@dataclass(frozen=True)
class _Form:
    """One spelling a unit answers to, with marks: its official name or a former one."""

    short: str  # "Hoàn Kiếm", without the unit type
    tokens: tuple[str, ...]
    base: str
    former: bool

    @classmethod
    def of(cls, short: str, former: bool) -> _Form:
        tokens = _tokens(short)
        return cls(short, tokens, _base(tokens), former)


@dataclass(eq=False)
class _Unit:
    key: str  # the package's accent-free key, e.g. "quanhoankiem"
    level: Level
    name: str  # "Quận Hoàn Kiếm"; for a former district only its key-derived form
    type_key: str  # "quan"
    code: str  # "" for a former district that only redirects to its successors
    parent: str | None  # parent's key path, e.g. "thanhphohanoi" or "thanhphohanoi/quanbadinh"
    # The official form first (none for a former district), then former names whose
    # spelling with marks is known.
    forms: list[_Form]
    # Accent-free keys that also name this unit as printed: spelling variants ("phucsa"/
    # "phucxa") and abbreviations ("hcm") from the package's keywords.
    variants: frozenset[str]
    # Former names (units merged into this one before July 2025), accent-free keys as the
    # package gives them; those whose marks were recovered also appear in ``forms``.
    former: frozenset[str]
    bare_former: frozenset[str] = frozenset()  # former names known only without marks

    @property
    def short(self) -> str:
        return self.forms[0].short if self.forms and not self.forms[0].former else ""


@dataclass
class _Pool:
    """The units under one parent, indexed for exact lookups."""

    units: list[_Unit] = field(default_factory=list)
    by_tokens: dict[tuple[str, ...], list[_Unit]] = field(default_factory=dict)
    by_key: dict[str, list[_Unit]] = field(default_factory=dict)

    def add(self, unit: _Unit) -> None:
        self.units.append(unit)
        for form in unit.forms:
            self.by_tokens.setdefault(form.tokens, []).append(unit)
        keys = unit.variants | unit.bare_former | {form.base for form in unit.forms}
        for key in keys:
            self.by_key.setdefault(key, []).append(unit)


@dataclass
class _Gazetteer:
    # Pools keyed by (scheme, level, parent path); the top level's parent is "".
    pools: dict[tuple[Scheme, Level, str], _Pool]
    # Pre-2025 district key path -> other district paths whose wards it printed: the
    # former "Thành phố Huế" became Quận Phú Xuân and Quận Thuận Hóa in January 2025, and
    # some communes changed district then.
    extra_districts: dict[str, tuple[str, ...]]
    # Old ward path -> [(new province key, new ward key, is default)].
    old_to_new: dict[str, list[tuple[str, str, bool]]]
    new_units: dict[str, _Unit]  # "province/ward" path -> 2025 unit
    new_provinces: dict[str, _Unit]
    old_wards: dict[str, _Unit]  # ward code -> pre-2025 unit


def _data_dir() -> Path:
    # find_spec locates the package without importing it (its __init__ imports shapely
    # and geopy, a second of start-up for helpers we never call).
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _keys(raw: str | None) -> frozenset[str]:
    return frozenset(json.loads(raw)) if raw else frozenset()


# Names the package spells unlike the decisions that created them and unlike its own
# other units of the name (its Thị trấn and 2025 Xã Mù Cang Chải), as cards print them.
_MISSPELT = {"huyenmucangchai": "Mù Cang Chải"}


def _unit(row: sqlite3.Row, level: Level, parent: str | None, former: Iterable[str]) -> _Unit:
    """A unit from a row of the package's tables (columns "ward", "wardShort", ...)."""
    # Units of one name in one district get a suffix in the short name, "Yên Viên (Xã)";
    # the type prefix carries that, and cards print no such suffix.
    name, short = row[level], re.sub(r"\s*\(.*?\)", "", row[f"{level}Short"])
    if level == "province":  # the table has no provinceType column
        type_word = "Thành phố" if name.startswith("Thành phố") else "Tỉnh"
    else:
        type_word = _FULL_TYPE_WORDS[base_key(row[f"{level}Type"])]
        if name.lower().startswith(type_word.lower() + " "):
            # The package writes a few "Thành Phố"; cards and the rest write "Thành phố".
            name = type_word + name[len(type_word) :]
    key = row[f"{level}Key"]
    if key in _MISSPELT:
        name, short = name.replace(short, _MISSPELT[key]), _MISSPELT[key]
    numbered = re.fullmatch(r"(\D+?)\s*(\d+)", short)
    if numbered and base_key(numbered.group(1)) == base_key(type_word):
        # "Phường 12", "Quận 1": the package keeps the type in the short name of numbered
        # units; without it the number is matched after whatever prefix was printed.
        short = numbered.group(2)
    official = _Form.of(short, former=False)
    former = frozenset(former)
    # Keywords ending in the official name are it with a prefix ("xacamluong", "p03"):
    # matching them as variants would take a name printed without marks for exact.
    variants = frozenset(
        keyword
        for keyword in _keys(row[f"{level}Keywords"]) - former - {key}
        if not _strip_zeros(keyword).endswith(official.base)
    )
    return _Unit(key, level, name, base_key(type_word), row[f"{level}Code"], parent,
                 [official], variants, former)  # fmt: skip


def _short_keys(keys: frozenset[str]) -> set[str]:
    """Former-name keys without their unit type ("phuongvanmieu" and "vanmieu": "vanmieu")."""
    types = sorted({*_FULL_TYPE_WORDS, *_ABBREVIATIONS}, key=len, reverse=True)
    return {
        key for key in keys if not any(key.startswith(t) and key[len(t) :] in keys for t in types)
    }


def _recover_former_forms(units: list[_Unit], extra_names: Iterable[str]) -> None:
    """Give former names their marks where the gazetteer's own names tell them.

    The package keeps former names only as accent-free keys. A key is given marks when a
    run of words of the successor's name spells it ("vanmieu" in "Văn Miếu Quốc Tử Giám"),
    or else when exactly one official name anywhere is spelt with those letters ("mayto":
    "Máy Tơ"). Otherwise it stays bare: matched when printed, never written by snapping.
    """
    lexicon: dict[str, set[str]] = {}
    for name in extra_names:
        lexicon.setdefault(base_key(name), set()).add(name)
    shorts: dict[str, str] = {}
    for unit in units:
        for form in unit.forms:
            lexicon.setdefault(form.base, set()).add(form.short)
        shorts[f"{unit.parent}/{unit.key}" if unit.parent else unit.key] = unit.short
    for unit in units:
        if not unit.former:
            continue
        bare = set()
        words = unit.short.split()
        # The words of the unit's own name and its parent's ("Diên" of Huyện Diên
        # Khánh for its former Xã Diên Lộc, now part of Xã Bình Lộc).
        near = list(dict.fromkeys([*words, *shorts.get(unit.parent or "", "").split()]))
        for key in _short_keys(unit.former):
            runs = {
                " ".join(words[i:j])
                for i in range(len(words))
                for j in range(i + 1, len(words) + 1)
                if base_key(" ".join(words[i:j])) == key
            }
            spellings = runs or _composed(key, near) or lexicon.get(key, set())
            distinct = {_tokens(name): name for name in spellings}
            if len(distinct) == 1:
                unit.forms.append(_Form.of(next(iter(distinct.values())), former=True))
            else:
                bare.add(key)
        # Prefixed keys ("phuongvanmieu") follow their short key.
        prefixed = {key for key in unit.former - _short_keys(unit.former)
                    if any(key.endswith(short) for short in bare)}  # fmt: skip
        unit.bare_former = frozenset(bare | prefixed)


def _composed(key: str, words: list[str]) -> set[str]:
    """Names of two or three of ``words`` (in any order) spelt as ``key`` bare."""
    found = set()
    for first in words:
        head = base_key(first)
        if not key.startswith(head) or head == key:
            continue
        for second in words:
            both = head + base_key(second)
            if second == first or not key.startswith(both):
                continue
            if both == key:
                found.add(f"{first} {second}")
            for third in words:
                if third not in (first, second) and both + base_key(third) == key:
                    found.add(f"{first} {second} {third}")
    return found


# Former names the package does not carry, with their marks. Thừa Thiên Huế became the
# centrally governed Thành phố Huế in January 2025, keeping its code; cards issued before
# print the old name.
_FORMER_PROVINCES = {"thanhphohue": ("Thừa Thiên Huế",)}


def _build() -> _Gazetteer:
    data = _data_dir()
    placed: list[tuple[tuple[Scheme, Level, str], _Unit]] = []
    new_units: dict[str, _Unit] = {}
    new_provinces: dict[str, _Unit] = {}
    legacy_districts: dict[str, set[str]] = {}
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro&immutable=1", uri=True)
    db.row_factory = sqlite3.Row
    try:
        seen: set[str] = set()
        for row in db.execute("SELECT * FROM admin_units_legacy"):
            p_key, d_path = row["provinceKey"], f"{row['provinceKey']}/{row['districtKey']}"
            if p_key not in seen:
                seen.add(p_key)
                unit = _unit(row, "province", None, ())
                for name in _FORMER_PROVINCES.get(p_key, ()):
                    unit.forms.append(_Form.of(name, former=True))
                placed.append(((PRE_2025, "province", ""), unit))
            if d_path not in seen:
                seen.add(d_path)
                unit = _unit(row, "district", p_key, _keys(row["districtAlias"]))
                placed.append(((PRE_2025, "district", p_key), unit))
                legacy_districts.setdefault(p_key, set()).add(unit.key)
            if row["ward"]:  # island districts have no wards
                unit = _unit(row, "ward", d_path, _keys(row["wardAlias"]))
                placed.append(((PRE_2025, "ward", d_path), unit))
        for row in db.execute("SELECT * FROM admin_units"):
            p_key = row["provinceKey"]
            if p_key not in new_provinces:
                unit = _unit(row, "province", None, ())
                new_provinces[p_key] = unit
                placed.append(((FROM_2025, "province", ""), unit))
            unit = _unit(row, "ward", p_key, _keys(row["wardAlias"]))
            new_units[f"{p_key}/{unit.key}"] = unit
            placed.append(((FROM_2025, "ward", p_key), unit))
    finally:
        db.close()

    extra: dict[str, tuple[str, ...]] = {}
    parser = json.loads((data / "parser_legacy.json").read_text(encoding="utf-8"))
    for p_key, divided in parser["DICT_PROVINCE_DISTRICT_DIVIDED"].items():
        for d_key, entry in divided.items():
            path = f"{p_key}/{d_key}"
            targets = tuple(f"{p_key}/{target}" for target in entry["districts"])
            if d_key in legacy_districts.get(p_key, ()):
                extra[path] = tuple(target for target in targets if target != path)
            elif d_key.startswith(tuple(_DISTRICT_TYPES)):
                # A district that no longer exists: a placeholder whose wards are its
                # successors'. Keys without a type ("kyanh") only say that a bare name is
                # shared by two districts, which the matcher already handles.
                type_key = next(t for t in _DISTRICT_TYPES if d_key.startswith(t))
                name = f"{_DISTRICT_TYPES[type_key]} {d_key[len(type_key) :]}"
                keywords = frozenset(entry["dividedDistrictKeywords"])
                placeholder = _Unit(d_key, "district", name, type_key, "", p_key, [],
                                    frozenset(), keywords)  # fmt: skip
                placed.append(((PRE_2025, "district", p_key), placeholder))
                extra[path] = targets

    extra_names = [name for names in _FORMER_PROVINCES.values() for name in names]
    _recover_former_forms([unit for _, unit in placed], extra_names)
    pools: dict[tuple[Scheme, Level, str], _Pool] = {}
    for where, unit in placed:
        pools.setdefault(where, _Pool()).add(unit)

    old_to_new: dict[str, list[tuple[str, str, bool]]] = {}
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, olds in wards.items():
            for old in olds:
                old_to_new.setdefault(old, []).append((p_key, w_key, True))
    for p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for target in targets:
                entry = (p_key, target["newWardKey"], bool(target["isDefaultNewWard"]))
                old_to_new.setdefault(old, []).append(entry)

    old_wards = {
        unit.code: unit
        for (scheme, level, _), unit in placed
        if scheme == PRE_2025 and level == "ward"
    }
    return _Gazetteer(pools, extra, old_to_new, new_units, new_provinces, old_wards)


_lock = threading.Lock()
_gazetteer: _Gazetteer | None = None


def _get() -> _Gazetteer:
    """The gazetteer, built on first use (about half a second) and then shared read-only."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = _build()
    return _gazetteer


def warm_up() -> None:
    """Build the gazetteer now (e.g. in a worker's start-up) rather than on first use."""
    _get()


# ---------------------------------------------------------------------------------------
# Matching one segment against the units under a parent


@dataclass(frozen=True)
class _Candidate:
    unit: _Unit
    reading: _Reading
    cost: float
    exact: bool  # printed as the gazetteer spells it (up to case and tone placement)
    former: bool  # matched a former name of the unit
    target: str | None  # the spelling snapping writes; None: leave as printed


def _score(reading: _Reading, unit: _Unit, level: Level) -> _Candidate | None:
    penalty = 0.0
    if reading.type_key is not None:
        if level not in reading.levels():
            return None
        if reading.type_key != unit.type_key:
            penalty = _TYPE_MISMATCH
    for form in unit.forms:
        if reading.tokens == form.tokens:
            # A former name may carry another unit type (Tỉnh Thừa Thiên Huế).
            cost = 0.0 if form.former else penalty
            return _Candidate(unit, reading, cost, True, form.former, form.short)
    printed = _base(reading.tokens)
    keys = {printed}
    if reading.prefix:
        keys.add(reading.type_key + printed)
    if keys & unit.variants:
        return _Candidate(unit, reading, penalty, True, False, None)
    if keys & unit.bare_former:
        return _Candidate(unit, reading, 0.0, True, True, None)
    best: _Candidate | None = None
    digits = _DIGITS.findall(printed)
    for form in unit.forms:
        limit = _max_letter_errors(form.base)
        # A number must be read exactly ("Phường 12" is never "Phường 13"); in a name
        # without digits a printed digit is a misread letter ("H0àn Kiếm").
        if _DIGITS.search(form.base) and digits != _DIGITS.findall(form.base):
            continue
        if _levenshtein(printed, form.base, limit) > limit:
            continue
        cost = _weighted_distance(reading.tokens, form.tokens) + (0 if form.former else penalty)
        if best is None or cost < best.cost:
            best = _Candidate(unit, reading, cost, False, form.former, form.short)
    # Former names known only without marks: a printed name as close to one of them as to
    # an official name must not be "corrected" to the official one.
    for key in unit.bare_former:
        limit = _max_letter_errors(key)
        if not _DIGITS.search(key) or digits == _DIGITS.findall(key):
            distance = float(_levenshtein(printed, key, limit))
            if distance <= limit and (best is None or distance < best.cost):
                best = _Candidate(unit, reading, distance, False, True, None)
    return best


_I_FOR_L = re.compile(r"I(?=[^\W\d_A-ZĐ])")


def _contenders(segment: str, pool: _Pool, level: Level) -> tuple[list[_Candidate], bool]:
    """Units the segment may name, best first, within the margin of the best one.

    Also says whether the segment carries a unit-type prefix of this level, which makes it
    an administrative part even when no unit matches.
    """
    readings = _readings(segment)
    # A capital I before small letters is mostly a misread L ("Iạng" for "Lạng");
    # the names that start with I ("Ia Pa") stay matched as printed.
    ell = _I_FOR_L.sub(
        lambda m: "L" if m.start() == 0 or not segment[m.start() - 1].isalpha() else "l", segment
    )
    if ell != segment:
        readings += _readings(ell)
    prefixed = any(r.type_key is not None and level in r.levels() for r in readings)
    best: dict[int, _Candidate] = {}  # by id(unit): keys repeat across districts
    for reading in readings:
        exact_units = pool.by_tokens.get(reading.tokens, [])
        key_units = pool.by_key.get(_base(reading.tokens), [])
        # Exact lookups first; a fuzzy scan of the pool only when they find nothing.
        for unit in (*exact_units, *key_units):
            candidate = _score(reading, unit, level)
            if candidate and (id(unit) not in best or candidate.cost < best[id(unit)].cost):
                best[id(unit)] = candidate
    if not any(c.exact for c in best.values()):
        for reading in readings:
            for unit in pool.units:
                candidate = _score(reading, unit, level)
                if candidate and (id(unit) not in best or candidate.cost < best[id(unit)].cost):
                    best[id(unit)] = candidate
    ranked = sorted(best.values(), key=lambda c: (c.cost, c.reading.type_key is None))
    if not ranked:
        return [], prefixed
    if ranked[0].exact:
        # A name printed exactly as the gazetteer has it is taken as printed, even when
        # another unit differs only by a mark ("Cẩm Giang" and "Cẩm Giàng").
        return [c for c in ranked if c.exact and c.cost == ranked[0].cost], prefixed
    top = ranked[0].cost
    return [c for c in ranked if c.cost < top + _MARGIN], prefixed


# ---------------------------------------------------------------------------------------
# Reading a whole address


@dataclass(frozen=True)
class _Segment:
    text: str
    start: int  # offset in the address


def _segments(text: str) -> list[_Segment]:
    # Cards separate parts with commas; OCR may turn a line break into a newline or ";".
    # " - " is not a separator: it is part of "Bà Rịa - Vũng Tàu".
    segments = []
    for match in re.finditer(r"[^,;\n]+", text):
        stripped = match.group().strip()
        if stripped:
            segments.append(_Segment(stripped, match.start() + match.group().index(stripped)))
    return segments


@dataclass(frozen=True)
class _Part:
    level: Level
    segment: _Segment
    candidate: _Candidate | None  # None: not found, or ambiguous
    ambiguous: bool = False


@dataclass(frozen=True)
class _Path:
    parts: tuple[_Part, ...]

    @property
    def matched(self) -> int:
        return sum(part.candidate is not None for part in self.parts)

    @property
    def cost(self) -> float:
        return sum(part.candidate.cost for part in self.parts if part.candidate)


_EMPTY = _Pool()
_LEVELS: dict[Scheme, tuple[Level, ...]] = {
    PRE_2025: ("province", "district", "ward"),
    FROM_2025: ("province", "ward"),
}


def _child_parents(gazetteer: _Gazetteer, scheme: Scheme, unit: _Unit) -> list[str]:
    if scheme == PRE_2025 and unit.level == "district":
        path = f"{unit.parent}/{unit.key}"
        return [path, *gazetteer.extra_districts.get(path, ())]
    return [unit.key]


def _walk(
    gazetteer: _Gazetteer,
    scheme: Scheme,
    segments: list[_Segment],
    index: int,
    depth: int,
    parents: list[str],
) -> _Path:
    """Match segments right to left, one level per segment, starting at ``depth``."""
    levels = _LEVELS[scheme]
    if depth >= len(levels) or index < 0:
        return _Path(())
    level = levels[depth]
    if len(parents) == 1:
        pool = gazetteer.pools.get((scheme, level, parents[0]), _EMPTY)
    else:  # a district whose wards moved: search its successors' wards too
        pool = _Pool()
        for parent in parents:
            for unit in gazetteer.pools.get((scheme, level, parent), _EMPTY).units:
                pool.add(unit)
    segment = segments[index]
    contenders, prefixed = _contenders(segment.text, pool, level)
    if not contenders:
        if prefixed:  # an administrative part we cannot place: stop, keep it as printed
            return _Path((_Part(level, segment, None),))
        return _Path(())
    # Let the level below decide between close candidates: keep those under which the
    # next segment matches best.
    options = []
    for candidate in contenders:
        below = _walk(
            gazetteer,
            scheme,
            segments,
            index - 1,
            depth + 1,
            _child_parents(gazetteer, scheme, candidate.unit),
        )
        options.append((candidate, below))
    most = max(below.matched for _, below in options)
    kept = [(c, below) for c, below in options if below.matched == most]
    if len(kept) > 1:
        cheapest = min(c.cost + below.cost for c, below in kept)
        kept = [(c, b) for c, b in kept if c.cost + b.cost < cheapest + _MARGIN]
    if len(kept) > 1:
        return _Path((_Part(level, segment, None, ambiguous=True),))
    candidate, below = kept[0]
    return _Path((_Part(level, segment, candidate), *below.parts))


def _resolve(text: str) -> tuple[_Path, Scheme | None, list[_Segment]]:
    gazetteer = _get()
    segments = _segments(_clean(text))
    if not segments:
        return _Path(()), None, segments
    best: tuple[tuple[bool, int, int, float], _Path, Scheme] | None = None
    for scheme in (PRE_2025, FROM_2025):
        path = _walk(gazetteer, scheme, segments, len(segments) - 1, 0, [""])
        complete = path.matched == len(_LEVELS[scheme])
        # More parts placed wins; then more parts read as administrative (an ambiguous
        # ward is still a ward, not street); then fewer corrections.
        rank = (complete, path.matched, len(path.parts), -path.cost)
        if best is None or rank > best[0]:
            best = (rank, path, scheme)
        if complete:  # a complete pre-2025 reading places 3 parts; the 2025 one at most 2
            break
    assert best is not None
    _, path, scheme = best
    return path, (scheme if path.matched else None), segments


def _district_of(gazetteer: _Gazetteer, ward: _Unit) -> _Unit | None:
    p_key, _, d_key = (ward.parent or "").partition("/")
    pool = gazetteer.pools.get((PRE_2025, "district", p_key))
    return next((u for u in pool.units if u.key == d_key), None) if pool else None


def _entities(text: str, path: _Path, scheme: Scheme | None) -> AddressEntities:
    gazetteer = _get()
    names: dict[Level, str] = {}
    codes: dict[Level, str] = {}
    former: list[str] = []
    by_level = {part.level: part for part in path.parts}
    for part in path.parts:
        names[part.level] = part.segment.text  # until the gazetteer names it
        if part.candidate is None:
            continue
        unit: _Unit | None = part.candidate.unit
        if unit is not None and not unit.code:
            # A district that was split: the ward tells which successor it is now.
            ward = by_level["ward"].candidate if "ward" in by_level else None
            unit = _district_of(gazetteer, ward.unit) if ward else None
            former.append(part.segment.text)
        elif part.candidate.former:
            former.append(part.segment.text)
        if unit is not None:
            names[part.level], codes[part.level] = unit.name, unit.code
    cleaned = _clean(text)
    first = min((part.segment.start for part in path.parts), default=len(cleaned))
    street = cleaned[:first].strip(" ,;\n")
    return AddressEntities(
        street=street or None,
        ward=names.get("ward"),
        district=names.get("district"),
        province=names.get("province"),
        ward_code=codes.get("ward"),
        district_code=codes.get("district"),
        province_code=codes.get("province"),
        ward_matched="ward" in codes,
        district_matched="district" in codes,
        province_matched="province" in codes,
        scheme=scheme,
        former_names=tuple(former),
    )


def parse_address(text: str) -> AddressEntities:
    """Split a printed address into street, ward, district and province.

    Tries both the pre-2025 units (province, district, ward) and the 2025 ones (province,
    ward) and keeps the reading that places more parts; on a tie the one with fewer OCR
    corrections. Text left of the ward is the street (house number, lane, hamlet).
    """
    path, scheme, _ = _resolve(text)
    return _entities(text, path, scheme)


def _same_case(model: str, replacement: str) -> str:
    """``replacement`` written in ``model``'s case: all capitals, or as the gazetteer has it."""
    letters = [char for char in model if char.isalpha()]
    if letters and all(char.isupper() for char in letters) and len(letters) > 1:
        return replacement.upper()
    return replacement


# Gaps between one-word parts tried as a space instead of a comma: 2**N readings.
_MAX_REJOINED_GAPS = 5
_ONE_WORD = re.compile(r"[^\W\d_]+")


def _rejoined_and_resolved(
    text: str,
) -> tuple[str, tuple[_Path, Scheme | None, list[_Segment]]]:
    """The address with commas read between the syllables of names ("Thăng, Bình, Quảng,
    Nam": dots of a dotted line, spots on the laminate) taken out where it then places more
    of its units (otherwise as it is), and its :func:`_resolve` reading."""
    resolved = _resolve(text)
    segments = resolved[2]
    gaps = [
        index
        for index in range(len(segments) - 1)
        if all(_ONE_WORD.fullmatch(s.text) for s in segments[index : index + 2])
    ]
    if not gaps or len(gaps) > _MAX_REJOINED_GAPS:
        return text, resolved

    def joined(spaced: Sequence[int]) -> str:
        out = text
        for index in sorted(spaced, reverse=True):
            end = segments[index].start + len(segments[index].text)
            out = out[:end] + " " + out[segments[index + 1].start :]
        return out

    best = text, resolved
    for mask in range(1, 2 ** len(gaps)):
        candidate = joined([gap for bit, gap in enumerate(gaps) if mask >> bit & 1])
        reading = _resolve(candidate)
        if reading[0].matched > best[1][0].matched:
            best = candidate, reading
    return best


def snap_address(text: str) -> SnapResult:
    """Correct OCR errors in the unit names of a printed address.

    A name is replaced only when it matched one unit clearly (see the module notes);
    exact names, former names and names spelt in another accepted way ("Hoà"/"Hòa",
    "HCM") are left as printed, and so are the street, the separators and the unit-type
    prefixes' form ("TP.", "Tỉnh", none). A full prefix word that lost its marks
    ("Phuong") is restored.
    """
    cleaned, (path, scheme, _) = _rejoined_and_resolved(_clean(text))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``cleaned``
    changes: list[SnapChange] = []
    for part in path.parts:
        candidate = part.candidate
        if candidate is None:
            continue
        reading = candidate.reading
        segment = part.segment
        local: list[tuple[int, int, str]] = []  # offsets in the segment
        if reading.prefix_full and reading.type_key is not None:
            official = _FULL_TYPE_WORDS[reading.type_key]
            if reading.prefix.lower() != official.lower():
                local.append((0, len(reading.prefix), _same_case(reading.prefix, official)))
        end = reading.name_start + len(reading.name)
        printed = segment.text[reading.name_start : end]
        if not candidate.exact and candidate.target is not None:
            fixed = _same_case(reading.name, candidate.target)
            if fixed != printed:
                local.append((reading.name_start, end, fixed))
        elif printed != reading.name:  # matched as read with an l for its I
            local.append((reading.name_start, end, reading.name))
        if not local:
            continue
        after = segment.text
        for start, end, replacement in sorted(local, reverse=True):
            after = after[:start] + replacement + after[end:]
            edits.append((segment.start + start, segment.start + end, replacement))
        changes.append(SnapChange(part.level, segment.text, after))
    result = cleaned
    for start, end, replacement in sorted(edits, reverse=True):
        result = result[:start] + replacement + result[end:]
    return SnapResult(
        text=result,
        changes=tuple(changes),
        entities=_entities(cleaned, path, scheme),
        ambiguous=tuple(part.level for part in path.parts if part.ambiguous),
    )


def to_current(entities: AddressEntities) -> CurrentUnits | None:
    """The 2025 ward and province of a pre-2025 address, or None when it cannot tell.

    An address already in the 2025 scheme is returned as it is.
    """
    gazetteer = _get()
    if entities.scheme == FROM_2025 and entities.province_code:
        return CurrentUnits(entities.ward if entities.ward_matched else None,
                            entities.ward_code, entities.province or "",
                            entities.province_code)  # fmt: skip
    if entities.scheme != PRE_2025 or not entities.ward_matched:
        return None
    ward = gazetteer.old_wards.get(entities.ward_code or "")
    if ward is None:
        return None
    targets = gazetteer.old_to_new.get(f"{ward.parent}/{ward.key}".replace("/", "_"), [])
    if not targets:
        return None
    units = [
        (gazetteer.new_units[f"{p}/{w}"], default)
        for p, w, default in targets
        if f"{p}/{w}" in gazetteer.new_units
    ]
    if not units:
        return None
    chosen = next((unit for unit, default in units if default), units[0][0])
    province = gazetteer.new_provinces[chosen.parent or ""]
    others = tuple(unit.name for unit, _ in units if unit is not chosen)
    return CurrentUnits(chosen.name, chosen.code, province.name, province.code,
                        split=len(units) > 1, alternatives=others)  # fmt: skip


def ends_with_province(text: str) -> bool:
    """Whether a printed address ends with a province's name (its unit type, or an
    abbreviation such as "TP.", in front or not), spelt as the gazetteer has it up to its
    marks: the address is complete, whatever the next line holds."""
    gazetteer = _get()
    keys = {
        key
        for scheme in (PRE_2025, FROM_2025)
        for key in gazetteer.pools.get((scheme, "province", ""), _EMPTY).by_key
    }
    words = _WORD.findall(_clean(text))
    for size in range(1, min(len(words), 6) + 1):
        key = base_key(" ".join(words[-size:]))
        if key in _unit_keys() and key not in keys:
            continue  # a unit's own name ("Vĩnh Thuận"), not a misread province's
        prefixes = [p for p in _PROVINCE_PREFIXES if key.startswith(p)]
        if any(_is_province(key[len(p) :], keys, p) for p in prefixes):
            # "Phường Điện Biên" names a ward after a province: a lower unit's type
            # right before the name makes it that unit.
            before = base_key(" ".join(words[-size - 2 : -size])) if size < len(words) else ""
            last = base_key(words[-size - 1]) if size < len(words) else ""
            lower = _LOWER_TYPES & {before, last}
            return not lower
    return False


def _is_province(key: str, keys: Iterable[str], prefix: str) -> bool:
    """A province's name, or one letter off a long one ("Hải Duơng") that names no unit
    itself; a one-letter abbreviation's rest is not read loosely ("T" + "hoibinh")."""
    if key in keys:
        return True
    limit = _max_letter_errors(key) and 1
    return (
        bool(limit)
        and len(prefix) != 1
        and key not in _unit_keys()
        and any(len(name) >= 7 and _levenshtein(key, name, limit) <= limit for name in keys)
    )


@functools.cache
def _unit_keys() -> frozenset[str]:
    """Every unit's bare name, at every level, in both schemes."""
    return frozenset(key for pool in _get().pools.values() for key in pool.by_key)


# Ward and district types (and their abbreviations) that can precede a province's name.
_LOWER_TYPES = frozenset(
    {"phuong", "xa", "thitran", "dackhu", "quan", "huyen", "thixa", "p", "x", "q", "h", "tx", "tt"}
)


# How a province's name may be preceded: nothing, its type, or the type's abbreviation.
_PROVINCE_PREFIXES = ("", "tinh", "thanhpho", "tp", "t")


def join_lines(first: str, second: str) -> str:
    """A printed address's two lines as one: with a comma between them where that makes
    their units read better (a line break usually stands for one), else a space (a name
    wrapped in the middle, "Thành phố Hồ Chí" / "Minh")."""
    first = first.rstrip()
    if first.endswith(",") or not second:
        return f"{first} {second}".strip()
    spaced, commaed = f"{first} {second}", f"{first}, {second}"
    return commaed if _matched_parts(commaed) >= _matched_parts(spaced) else spaced


def _matched_parts(text: str) -> int:
    entities = parse_address(text)
    return entities.ward_matched + entities.district_matched + entities.province_matched
