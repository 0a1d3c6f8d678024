"""The rules field source: values read from where the card prints them.

For the detected card side, each label (:mod:`id_card_scan.cards.labels`) is looked for
in the OCR lines and its value read beside or under it (:mod:`.locate`); a field whose
label was lost is placed by the labels around it, the card printing its fields in a
fixed order. Each value is read for its kind (:mod:`.values`), snapped to what the card's
knowledge allows (:mod:`.snapping`), and cross-checked with the others (:mod:`.checks`).
A value's confidence is the OCR confidence of its lines, lowered by failed checks and by
a lost label; its problems say what was doubtful.
"""

from __future__ import annotations

from id_card_scan.cards.card_type import CardGuess, side_scores
from id_card_scan.cards.labels import CARD_SIDES, SIDES_BY_NAME, CardSide, Hit
from id_card_scan.extraction import FieldValue
from id_card_scan.extraction.rules.checks import (
    SOURCE,
    cross_check,
    dates_without_label,
    expiry_on_birthday,
    id_without_label,
    name_without_label,
    nationality_without_label,
    repair_birth_year,
)
from id_card_scan.extraction.rules.locate import anchored_value, band_value
from id_card_scan.extraction.rules.page import (
    Page,
    add_weak_labels,
    any_label_lines,
    label_spans,
    upright_boxes,
)
from id_card_scan.extraction.rules.values import Read
from id_card_scan.ocr.types import Line

MISREAD_LABEL = "LABEL_MISREAD: its label was read too badly to be sure; placed by its column"
# A value read with another card's labels: the card was not told for sure.
_OTHER_SIDE = 0.9
# Sides of the same face scoring at least this share of the best side's score (by the
# labels found, whatever was detected) are read as well.
_CLOSE_SCORE = 0.5


def pick_side(card: CardGuess, hits: list[list[Hit]]) -> CardSide | None:
    """The side whose labels to read: the detected one; for an unknown card, the side
    whose labels are found most."""
    if card.name in SIDES_BY_NAME:
        return SIDES_BY_NAME[card.name]
    best, best_count = None, 0
    for side in CARD_SIDES:
        count = sum(1 for line in label_spans(hits, side) for span in line if span.label.key)
        if count > best_count:
            best, best_count = side, count
    return best


def read_fields(lines: list[Line], hits: list[list[Hit]], card: CardGuess) -> dict[str, FieldValue]:
    """Every field printed on the detected side that could be read, by catalogue key.

    Close sides (the same face of a card whose labels were found nearly as well: CMND 9
    and 12, CCCD 2016 and CMND 12) are read too, for the fields the detected side's
    labels did not give: a wrong guess between look-alike cards must not lose them all.
    """
    side = pick_side(card, hits)
    if side is None:
        return {}
    boxes = upright_boxes(lines)
    label_lines = any_label_lines(hits)
    page = Page(lines, boxes, label_spans(hits, side), label_lines)
    found, used = _read_labelled(page, side)
    # Only a reading that missed some of the side's fields may have the wrong side.
    others = _close_sides(side, hits) if set(side.fields()) - set(found) else []
    for other in others:
        other_page = Page(lines, boxes, label_spans(hits, other), label_lines)
        for key, value in _read_labelled(other_page, other)[0].items():
            if key not in found:
                value.confidence = round(value.confidence * _OTHER_SIDE, 4)
                found[key] = value
    _read_unlabelled(page, side, found, used)
    if "id_number" not in found and side.id_digits:
        id_without_label(lines, side, found)
    if "full_name" not in found and "full_name" in side.fields():
        name_without_label(lines, boxes, hits, side, found)
    repair_birth_year(found)
    dates_without_label(lines, side, found)
    nationality_without_label(lines, side, found)
    expiry_on_birthday(lines, side, found)
    cross_check(found, side)
    return found


def _close_sides(side: CardSide, hits: list[list[Hit]]) -> list[CardSide]:
    scores = side_scores(hits)
    best = max(scores.values(), default=0.0)
    close = [
        other
        for other in CARD_SIDES
        if other is not side
        and other.side == side.side
        and best > 0
        and scores.get(other.name, 0.0) >= _CLOSE_SCORE * best
    ]
    return sorted(close, key=lambda other: -scores.get(other.name, 0.0))


def _read_labelled(page: Page, side: CardSide) -> tuple[dict[str, FieldValue], set[int]]:
    """The fields whose labels were found, and the lines their values took."""
    # A short label ("Số") is believed only where its value reads: "Số 342 Nguyễn Thị
    # Minh Khai" is an address line, not the ID number's label.
    for index, spans in enumerate(page.spans):
        for span in list(spans):
            if not (span.short_only and span.label.key):
                continue
            got = anchored_value(page, span, side, set())
            if got is None or got[1] != [index]:
                spans.remove(span)
    add_weak_labels(page, side)
    found: dict[str, FieldValue] = {}
    used: set[int] = set()
    for spans in page.spans:
        for span in spans:
            key = span.label.key
            if key is None or key in found:
                continue
            got = anchored_value(page, span, side, used)
            if got is None:
                continue
            read, lines_used = got
            if span.weak:
                read = Read(read.value, [*read.problems, MISREAD_LABEL], read.factor * 0.9)
            found[key] = _field(page, read, lines_used)
            used.update(got[1])
    return found, used


def _read_unlabelled(
    page: Page, side: CardSide, found: dict[str, FieldValue], used: set[int]
) -> None:
    """The side's fields still missing, placed by the labels found around them. The ID
    number is left to :func:`id_without_label`, which knows its length."""
    anchors: dict[int, int] = {}
    for spans in page.spans:
        for span in spans:
            anchors.setdefault(span.index, span.line)
    for index, label in enumerate(side.labels):
        if label.key is None or label.key in found or label.key == "id_number":
            continue
        got = band_value(page, side, index, anchors, used)
        if got is not None:
            found[label.key] = _field(page, *got)
            used.update(got[1])


def _field(page: Page, read: Read, lines_used: list[int]) -> FieldValue:
    confidence = min(page.lines[i].confidence for i in lines_used) * read.factor
    return FieldValue(read.value, SOURCE, round(confidence, 4), list(read.problems))


__all__ = ["SOURCE", "pick_side", "read_fields"]
