"""Values that the card's knowledge can put right: fixed titles, units, addresses."""

from __future__ import annotations

import re

from id_card_scan.cards import addresses
from id_card_scan.cards.fuzzy import similarity
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


def snap_unit(read: Read, word: str) -> Read:
    """The administrative unit after ``word`` ("CA TÍNH QUẢNG BÌNH": TỈNH) snapped to the
    gazetteer, in the reading's case."""
    match = re.search(rf"\b{re.escape(word)}\s+(.+)$", read.value)
    if match is None:
        return read
    unit = snap_address(Read(match.group(1)))
    return Read(read.value[: match.start(1)] + unit.value, read.problems, read.factor)


def snap_address(read: Read) -> Read:
    """Unit names corrected against the official gazetteer (OCR drops and swaps marks)."""
    try:
        snapped = addresses.snap_address(read.value)
    except RuntimeError:  # the gazetteer is not installed (said once at start-up)
        return read
    if snapped.text == read.value:
        return read
    return Read(snapped.text, read.problems, read.factor)
