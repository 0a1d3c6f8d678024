"""Values that the card's knowledge can put right: fixed titles, units, addresses."""

from __future__ import annotations

import re

from id_card_scan.cards import addresses
from id_card_scan.cards.ethnicities import known_group
from id_card_scan.cards.fuzzy import plain, similarity
from id_card_scan.extraction.rules.values import Read

COMPLETED = "COMPLETED: the rest of this printed title was not read; it is the only fit"


def snap_known(read: Read, known: tuple[str, ...], texts: list[str]) -> Read:
    """A reading close to a value printed the same on every card becomes that value; one
    cut short (its second line lost) becomes the value it begins, when only one begins so
    or the page (``texts``) shows the rest of only one (a title line the value's lines
    missed)."""
    best = max(known, key=lambda value: similarity(value, read.value))
    if similarity(best, read.value) >= 0.8:
        return Read(best, read.problems, 1.0)
    size = len(read.value)
    begun = [
        value
        for value in known
        if size >= 0.3 * len(value) and similarity(value[:size], read.value) >= 0.8
    ]
    if len(begun) > 1:
        begun = [
            value
            for value in begun
            if any(similarity(value[size:].strip(), text) >= 0.7 for text in texts)
        ]
    if len(begun) != 1:
        return read
    return Read(begun[0], [*read.problems, COMPLETED], read.factor * 0.9)


def snap_ethnicity(read: Read) -> Read:
    """An ethnic group's name as cards spell it ("Kình": Kinh); a reading like none of
    the 54 is kept as read."""
    group = known_group(read.value)
    if group is None or group == read.value:
        return read
    return Read(group, read.problems, read.factor)


def snap_unit(read: Read, word: str) -> Read:
    """The administrative unit after ``word`` ("CA TÍNH QUẢNG BÌNH": TỈNH) snapped to the
    gazetteer, in the reading's case."""
    match = re.search(rf"\b{re.escape(word)}\s+(.+)$", read.value)
    if match is None:
        return read
    unit = snap_address(Read(match.group(1)))
    return Read(read.value[: match.start(1)] + unit.value, read.problems, read.factor)


def snap_address(read: Read) -> Read:
    """Unit names corrected against the official gazetteer (OCR drops and swaps marks);
    the words before numbers, and street names that a unit of the address also bears,
    written as the card prints them."""
    text = _numbered_words(read.value)
    try:
        text = _without_tail(text)
        snapped = addresses.snap_address(text)
    except RuntimeError:  # the gazetteer is not installed (said once at start-up)
        return Read(text, read.problems, read.factor)
    text = _street_as_units(snapped.text, snapped.entities)
    if text == read.value:
        return read
    return Read(text, read.problems, read.factor)


# At most this many words after the province are dropped as not the address's.
_TAIL_WORDS = 2


def _without_tail(text: str) -> str:
    """An address cut after its province: cards print the province last, so a short
    scrap after it ("..., Quảng Nam, Xk Qv") is noise or the next line's, not a part."""
    head, comma, tail = text.rpartition(",")
    if not comma or not tail.strip() or len(tail.split()) > _TAIL_WORDS:
        return text
    if addresses.ends_with_province(text) or not addresses.ends_with_province(head):
        return text
    return head.rstrip()


# Words a house number or a group's number follows ("Số 63", "Tổ 16", "Ấp 9"): a word
# with the same bare letters right before a number is one of them ("Sổ 63", "Tồ 16").
_NUMBERED = ("Số", "Tổ", "Ấp", "Xóm", "Thôn", "Đội", "Ngõ", "Ngách", "Hẻm", "Kiệt", "Khóm",
             "Khu", "Bản", "Lô", "Tầng", "Nhà", "Phòng", "Căn")  # fmt: skip
_NUMBERED_BY_BARE = {plain(word): word for word in _NUMBERED}
_BEFORE_NUMBER = re.compile(r"\b([^\W\d_]{2,5})[\s.:]*(?=\d)")


def _numbered_words(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(1)
        known = _NUMBERED_BY_BARE.get(plain(word))
        if known is None:
            return match.group(0)
        shown = known.upper() if word.isupper() and len(word) > 1 else known
        return f"{shown} "

    return _BEFORE_NUMBER.sub(fix, text)


def _street_as_units(text: str, entities: addresses.AddressEntities) -> str:
    """A street spelt like a ward or district of the same address up to its marks
    ("51 Cửa Đồng, Cửa Đông, Hoàn Kiếm") written as the unit is ("Cửa Đông")."""
    if not entities.street:
        return text
    names = [_short_name(name) for name in (entities.ward, entities.district) if name]
    street = entities.street
    start = text.find(street)
    if start < 0:
        return text
    fixed = street
    for name in names:
        words = name.split()
        if len(words) < 2:
            continue
        pattern = r"\b" + r"\s+".join(r"[^\W\d_]+" for _ in words) + r"\b"
        for match in list(re.finditer(pattern, fixed)):
            if plain(match.group(0)) == plain(name) and match.group(0) != name:
                fixed = fixed[: match.start()] + name + fixed[match.end() :]
    return text[:start] + fixed + text[start + len(street) :]


def _short_name(name: str) -> str:
    """ "Phường Cửa Đông" -> "Cửa Đông": the unit's name without its type."""
    for prefix in (
        "Thành phố ",
        "Thị trấn ",
        "Thị xã ",
        "Phường ",
        "Quận ",
        "Huyện ",
        "Xã ",
        "Tỉnh ",
    ):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
