"""Where a field's value is printed: beside or under its label, or between its neighbours.

A found label's value is what follows it on the same line (the detector often merges a
label and its value into one box), else the box to its right on the same row, else the
line(s) under it. Wrapped values (addresses) continue on the lines below until the next
label or a gap.

A label that was not found (guilloche, glare and laminate make real cards' small print
hard to read) still has its place: the card prints its fields in a fixed order, so the
value lies between the labels before and after it that were found (its *band*), and the
kind of value (a date, a name in capitals, Nam/Nữ) tells which line of the band it is.
"""

from __future__ import annotations

from collections.abc import Callable

from id_card_scan.cards import addresses
from id_card_scan.cards.fuzzy import edit_distance, fold_text
from id_card_scan.cards.labels import VALUE_KINDS, CardSide, Label
from id_card_scan.cards.names import name_likeness
from id_card_scan.extraction.rules.page import Box, LabelSpan, Page
from id_card_scan.extraction.rules.snapping import (
    snap_address,
    snap_ethnicity,
    snap_known,
    snap_unit,
)
from id_card_scan.extraction.rules.values import (
    LEADING_JUNK,
    Read,
    clean_text,
    marks_text,
    read_address,
    reader,
    strip_english,
)
from id_card_scan.ocr.types import Line

# A value read with its label's help is surer than one placed by the order of the labels.
BAND_FACTOR = 0.85
# A name (the signal an LLM or a reviewer needs) told by its look alone.
_NAME_LIKENESS = 0.5
# Lines this unsure are noise of the background (guilloche, portrait), not values.
_BAND_MIN_CONFIDENCE = 0.5
NAMED = 0.9
# How far under a value's line (in its line heights) a wrapped value may continue: typed
# CMND values stand on dotted lines well apart.
CONTINUATION_GAP = 0.9
NO_LABEL = "NO_LABEL: its label was not read; placed by the labels printed around it"

Found = tuple[Read, list[int]]


def after_label(text: str, span: LabelSpan) -> str:
    """The line's text after a label, without a misread English part or separators."""
    rest = text[span.end :]
    if span.label.en is not None and not span.en_found:
        # "Quốc tịch / Natlonaey: Việt Nam": the English part was not recognised; cut at
        # its colon when one comes where the English part would end.
        colon = rest.find(":")
        if 0 <= colon <= len(span.label.en) + 8:
            rest = rest[colon + 1 :]
        else:
            stripped = strip_english(rest.lstrip(LEADING_JUNK + " "), span.label.en)
            if stripped != rest.lstrip(LEADING_JUNK + " "):
                rest = stripped
            elif rest.lstrip(LEADING_JUNK) != rest.lstrip():
                # "/ y Nữ": drop lower-case scraps of the English part before the value.
                words = rest.lstrip(LEADING_JUNK).split()
                while words and words[0][:1].islower() and len(words) > 1:
                    words.pop(0)
                rest = " ".join(words)
    return rest.lstrip(LEADING_JUNK + " ").rstrip()


def strip_caption(text: str, label: Label) -> str:
    """A value line without a misread label of its own in front ("Giớ tnh: Nam"): up to
    a colon that ends something as long as the label, or the English part's scraps."""
    colon = text.find(":")
    if 0 < colon <= len(label.vi) + (len(label.en) + 3 if label.en else 0) + 4:
        head = fold_text(text[:colon])
        target = fold_text(label.vi + (label.en or ""))
        if head and edit_distance(head, target[: len(head) + 2]) <= 0.5 * len(head) + 1:
            return text[colon + 1 :].lstrip(LEADING_JUNK + " ")
    return strip_english(text, label.en)


def _reader_for(label: Label, side: CardSide) -> Callable[[str], Read | None]:
    read = reader(label.key or "", side)
    if label.en is None:
        return read
    return lambda text: read(strip_english(text, label.en))


def anchored_value(page: Page, span: LabelSpan, side: CardSide, used: set[int]) -> Found | None:
    """The value of a found label: same line, right, then below; with the lines it used."""
    key = span.label.key
    assert key is not None
    if span.label.means is not None:
        return Read(span.label.means, factor=NAMED), [span.line]
    read = _reader_for(span.label, side)
    text = page.lines[span.line].text
    # The label's own line, up to the next label on it.
    following = [s.start for s in page.spans[span.line] if s.start >= span.end]
    rest = after_label(text[: min(following, default=len(text))], span)
    box = page.boxes[span.line]
    anchor = box.x0 + (0 if span.start == 0 else (box.x1 - box.x0) * span.start / max(len(text), 1))
    taken = {span.line} | used
    first: tuple[Read, int] | None = None
    if span.label.starts_value:
        # The authority's title: the label as it should read, then what follows it.
        rest = f"{span.label.vi} {rest}".strip()
    if rest:
        got = read(rest)
        if got is not None:
            first = (got, span.line)
    right = []
    for other in page.right_of(span.line) if first is None else ():
        if page.is_label_line(other) or other in used:
            break
        if not _speck(page.lines[other]):
            right.append(other)
    if first is None and len(right) > 1:
        # "Ngày | 06 | tháng | 01 | năm | 2019": a value in pieces along the row.
        got = read(" ".join([rest, *(page.lines[other].text for other in right)]))
        if got is not None:
            first = (got, right[0])
            taken = taken | set(right[1:])
    if first is None:
        for other in right:
            got = read(page.lines[other].text)
            if got is not None:
                first = (got, other)
                break
    if first is None:
        first = _under_label(page, span, anchor, taken, read)
    if first is None:
        return None
    got, line = first
    return _finish(page, span.label, key, got, line, anchor, taken)


def _speck(line: Line) -> bool:
    """A box of two characters or fewer read very unsurely: a speck of the background."""
    return line.confidence < 0.3 and sum(c.isalnum() for c in line.text) <= 2


def _under_label(
    page: Page,
    span: LabelSpan,
    anchor: float,
    taken: set[int],
    read: Callable[[str], Read | None],
) -> tuple[Read, int] | None:
    """The value on the line(s) under its label: aligned with it, else anywhere to its
    right (a name printed large and indented), before the next label."""
    for wide in (False, True):
        cursor = span.line
        tried = set(taken)
        for _ in range(3):  # the label's English line, then at most two tries
            other = page.below(cursor, anchor, tried, max_gap=1.6, wide=wide)
            if other is None:
                break
            tried.add(other)
            cursor = other
            if page.is_label_line(other, span.label):
                break
            if page.spans[other]:  # the label's own English part on its own line
                continue
            got = read(page.lines[other].text)
            if got is not None:
                return got, other
    return None


def _finish(
    page: Page,
    label: Label,
    key: str,
    got: Read,
    line: int,
    anchor: float,
    taken: set[int],
) -> Found:
    """The first line's reading, continued on the lines below for a wrapped value, then
    snapped to what the card's knowledge allows."""
    read = _reader_for(label, _SIDE_FREE)
    if VALUE_KINDS.get(key) == "address":
        read = _continued_address
    lines = [line]
    if label.lines > 1:
        taken = taken | {line}
        address = VALUE_KINDS.get(key) == "address"
        # The rest of the first line's row: a value the detector cut in pieces.
        pieces = [got.value, *_row_rest(page, line, taken, read, lines)]
        cursor, rows = line, 1
        while rows < label.lines:
            if address and _ends_with_province(" ".join(pieces)):
                break  # complete: what follows is the next field's
            other = _next_line(page, cursor, anchor, taken, centred=label.starts_value)
            if other is None or page.is_label_line(other):
                break
            more = read(page.lines[other].text)
            if more is None:
                break
            pieces.append(more.value)
            lines.append(other)
            taken.add(other)
            pieces.extend(_row_rest(page, other, taken, read, lines))
            cursor, rows = other, rows + 1
        text = " ".join(pieces)
        if address:
            text = pieces[0]
            for piece in pieces[1:]:
                text = _join_address(text, piece)
        got = Read(clean_text(text), got.problems, got.factor)
    if label.known:
        got = snap_known(got, label.known, [line.text for line in page.lines])
    if label.unit_after is not None:
        got = snap_unit(got, label.unit_after)
    if VALUE_KINDS.get(key) == "address":
        got = snap_address(got)
    if key == "ethnicity":
        got = snap_ethnicity(got)
    if key == "personal_identification":
        got = Read(marks_text(got.value), got.problems, got.factor)
    return got, lines


def _row_rest(
    page: Page,
    line: int,
    taken: set[int],
    read: Callable[[str], Read | None],
    lines: list[int],
) -> list[str]:
    """The readings of the boxes right of ``line`` on its row, up to a label; each line
    used is added to ``taken`` and ``lines``."""
    pieces = []
    for other in page.right_of(line):
        if other in taken or page.is_label_line(other) or other in page.label_lines:
            break
        got = read(page.lines[other].text)
        if got is None:
            break
        pieces.append(got.value)
        taken.add(other)
        lines.append(other)
    return pieces


def _next_line(
    page: Page, cursor: int, anchor: float, taken: set[int], *, centred: bool
) -> int | None:
    """The line a wrapped value continues on: the nearest under ``cursor``, aligned with
    the value's start or anywhere to its right (a second line may be indented)."""
    if centred:
        return page.below(cursor, anchor, taken, max_gap=CONTINUATION_GAP, centred=True)
    found = [
        page.below(cursor, anchor, taken, CONTINUATION_GAP, wide=wide) for wide in (False, True)
    ]
    return page.first_of_top_row([line for line in found if line is not None])


def _ends_with_province(text: str) -> bool:
    try:
        return addresses.ends_with_province(text)
    except RuntimeError:  # the gazetteer is not installed (said once at start-up)
        return False


def _join_address(first: str, second: str) -> str:
    try:
        return addresses.join_lines(first, second)
    except RuntimeError:
        return f"{first} {second}"


def _continued_address(text: str) -> Read | None:
    return read_address(text, continued=True)


# Continuation lines are read as text: their kind does not depend on the side.
_SIDE_FREE = CardSide("any", "front", (), ())


def band_value(
    page: Page, side: CardSide, index: int, anchors: dict[int, int], used: set[int]
) -> Found | None:
    """The value of label ``index`` of ``side``, which was not found: among the lines
    between the nearest labels found before and after it (``anchors``: label index ->
    line), the first whose text reads as this kind of value."""
    label = side.labels[index]
    key = label.key
    assert key is not None
    before = [i for i in anchors if i < index]
    after = [i for i in anchors if i > index]
    if not before and not after:
        return None
    unit = page.line_height
    top = page.boxes[anchors[max(before)]] if before else None
    bottom = page.boxes[anchors[min(after)]] if after else None
    column = min(page.boxes[line].x0 for line in anchors.values()) - unit
    candidates = []
    for number, box in enumerate(page.boxes):
        line = page.lines[number]
        if number in used or number in page.label_lines or page.spans[number]:
            continue
        if line.confidence < _BAND_MIN_CONFIDENCE:
            continue
        if sum(c.isalnum() for c in line.text) < 2 or box.x1 < column:
            continue
        if top is not None and not _under_or_right(box, top, unit):
            continue
        if bottom is not None and not _above_or_left(box, bottom, unit):
            continue
        candidates.append(number)
    candidates.sort(key=lambda n: (round(page.boxes[n].cy / unit), page.boxes[n].x0))
    read = reader(key, side)
    if VALUE_KINDS.get(key) == "name":
        scored = [
            (name_likeness(got.value), number, got)
            for number in candidates
            if (got := read(strip_caption(page.lines[number].text, label))) is not None
        ]
        scored = [item for item in scored if item[0] >= _NAME_LIKENESS]
        if not scored:
            return None
        _, number, got = max(scored, key=lambda item: item[0])
    else:
        found = next(
            (
                (got, number)
                for number in candidates
                if (got := read(strip_caption(page.lines[number].text, label))) is not None
            ),
            None,
        )
        if found is None:
            return None
        got, number = found
    got = Read(got.value, [*got.problems, NO_LABEL], got.factor * BAND_FACTOR)
    # A wrapped value's second line may start as far left as the labels' column (CMND
    # fronts type it from the margin under the label).
    anchor = min(page.boxes[number].x0, column + unit)
    return _finish(page, label, key, got, number, anchor, used | {number})


def _under_or_right(box: Box, top: Box, unit: float) -> bool:
    """Below the row of ``top``, or on it and to its right."""
    half = 0.5 * max(top.h, unit)
    if box.cy > top.cy + half:
        return True
    return abs(box.cy - top.cy) <= half and box.x0 > top.x1 - 0.5 * unit


def _above_or_left(box: Box, bottom: Box, unit: float) -> bool:
    """Above the row of ``bottom``, or on it and to its left."""
    half = 0.5 * max(bottom.h, unit)
    if box.cy < bottom.cy - half:
        return True
    return abs(box.cy - bottom.cy) <= half and box.x1 < bottom.x0 + 0.5 * unit
