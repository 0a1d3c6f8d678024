"""The card's lines as a page: upright boxes, the labels found in them, rows and bands.

Positions are compared after turning the page upright by the lines' median slant, so a
photo held at an angle reads like a scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from id_card_scan.cards.fuzzy import edit_distance, fold, fold_text
from id_card_scan.cards.labels import SHORT as SHORT_LABEL
from id_card_scan.cards.labels import CardSide, Hit, Label, resolve
from id_card_scan.ocr.types import Line


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def h(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def upright_boxes(lines: list[Line]) -> list[Box]:
    """Axis-aligned boxes after undoing the lines' median slant."""
    if not lines:
        return []
    quads = [np.asarray(line.quad, dtype=np.float64).reshape(4, 2) for line in lines]
    angles = []
    for quad in quads:
        top, bottom = quad[1] - quad[0], quad[2] - quad[3]
        edge = top + bottom
        if np.hypot(*edge) > 1:
            angles.append(math.atan2(edge[1], edge[0]))
    angle = float(np.median(angles)) if angles else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    rotation = np.array([[cos, -sin], [sin, cos]])
    out = []
    for quad in quads:
        turned = quad @ rotation.T
        low, high = turned.min(axis=0), turned.max(axis=0)
        out.append(Box(low[0], low[1], high[0], high[1]))
    return out


@dataclass
class LabelSpan:
    """A label found in a line: where it ends, which label, how well it was read."""

    line: int
    label: Label
    index: int  # the label's position in its side's labels (their printing order)
    start: int
    end: int  # value text begins here (original line text)
    en_found: bool
    short_only: bool  # only a short part ("Số") was read: believed if a value parses
    weak: bool = False  # read too badly for the search; placed by its column and order


def any_label_lines(hits: list[list[Hit]]) -> frozenset[int]:
    """Lines holding a label of some side, found by more than its first letters."""
    return frozenset(
        number
        for number, line_hits in enumerate(resolve(hits))
        if any(len(hit.pattern.text) > SHORT_LABEL for hit in line_hits)
    )


def label_spans(hits: list[list[Hit]], side: CardSide) -> list[list[LabelSpan]]:
    """Per line, the labels of ``side`` found in it, the two parts of a label joined."""
    spans: list[list[LabelSpan]] = []
    for line_hits in resolve(hits, {side.name}):
        found: list[LabelSpan] = []
        for hit in line_hits:
            owner = next(
                ((index, part) for name, index, part in hit.pattern.owners if name == side.name),
                None,
            )
            if owner is None or owner[0] < 0:
                continue
            index, part = owner
            label = side.labels[index]
            short = len(hit.pattern.text) <= SHORT_LABEL
            previous = found[-1] if found else None
            if previous is not None and previous.label is label and part == "en":
                previous.end, previous.en_found = hit.end, True
                previous.short_only = previous.short_only and short
                continue
            found.append(LabelSpan(hit.line, label, index, hit.start, hit.end, part == "en", short))
        spans.append(found)
    return spans


@dataclass
class Page:
    lines: list[Line]
    boxes: list[Box]
    spans: list[list[LabelSpan]]
    # Lines holding a label of any card's side (not only this one's): never a value.
    label_lines: frozenset[int] = frozenset()

    @property
    def line_height(self) -> float:
        """The typical line's height: the unit distances on the page are measured in."""
        heights = [box.h for box in self.boxes]
        return float(np.median(heights)) if heights else 1.0

    def is_label_line(self, index: int, label: Label | None = None) -> bool:
        """Whether a line holds a label (other than ``label``: its own English line)."""
        return any(span.label is not label for span in self.spans[index])

    def right_of(self, index: int) -> list[int]:
        """Boxes on the same row to the right of line ``index``, nearest first."""
        box = self.boxes[index]
        row = [
            other
            for other, b in enumerate(self.boxes)
            if other != index and abs(b.cy - box.cy) < 0.5 * box.h and b.x0 > box.x1 - 0.5 * box.h
        ]
        return sorted(row, key=lambda other: self.boxes[other].x0)

    def below(
        self,
        index: int,
        anchor_x: float,
        used: set[int],
        max_gap: float,
        *,
        centred: bool = False,
        wide: bool = False,
    ) -> int | None:
        """The nearest line under line ``index`` starting near ``anchor_x`` (``centred``:
        centred under it, as titles are; ``wide``: anywhere right of it, as names printed
        large and indented are)."""
        box = self.boxes[index]
        found = []
        for other, b in enumerate(self.boxes):
            if other == index or other in used:
                continue
            if b.cy <= box.cy + 0.4 * box.h or b.y0 - box.y1 > max_gap * box.h:
                continue
            if centred:
                if not box.x0 - box.h <= (b.x0 + b.x1) / 2 <= box.x1 + box.h:
                    continue
            elif wide:
                if b.x0 < anchor_x - 1.2 * box.h:
                    continue
            elif not (anchor_x - 1.2 * box.h <= b.x0 <= anchor_x + 2.5 * box.h):
                continue
            found.append(other)
        return self.first_of_top_row(found)

    def first_of_top_row(self, lines: list[int]) -> int | None:
        """Of ``lines``, the leftmost of those on the highest row."""
        if not lines:
            return None
        top = min(lines, key=lambda n: self.boxes[n].cy)
        t = self.boxes[top]
        row = [n for n in lines if abs(self.boxes[n].cy - t.cy) < 0.5 * min(self.boxes[n].h, t.h)]
        return min(row, key=lambda n: self.boxes[n].x0)


# A line whose start comes this close to a label of the side, where the side's labels
# stand (their column, their order), is that label misread past the search's allowance
# ("No nưengtru" for "Nơi thường trú"); elsewhere it must come closer.
WEAK_LABEL = 0.55
WEAK_LABEL_OFF_COLUMN = 0.75
# Labels shorter than this (folded) are too easily matched by chance.
_WEAK_MIN_LENGTH = 6


def add_weak_labels(page: Page, side: CardSide) -> None:
    """Mark the side's labels that the search missed but whose misreading starts a line
    in the labels' column, between the labels printed before and after them."""
    found = {span.index: span.line for spans in page.spans for span in spans}
    keyed = [n for n, spans in enumerate(page.spans) if any(s.label.key for s in spans)]
    if not keyed:
        return
    column = float(np.median([page.boxes[n].x0 for n in keyed]))
    unit = page.line_height
    for number, line in enumerate(page.lines):
        if page.spans[number] or number in page.label_lines:
            continue
        box = page.boxes[number]
        need = WEAK_LABEL if abs(box.x0 - column) <= 1.5 * unit else WEAK_LABEL_OFF_COLUMN
        folded = fold(line.text)
        best: tuple[float, int, int] | None = None
        for index, label in enumerate(side.labels):
            if label.key is None or index in found or label.starts_value or label.means:
                continue
            target = fold_text(label.vi)
            if len(target) < _WEAK_MIN_LENGTH or not _in_order(page, found, index, box, unit):
                continue
            score, size = _prefix_likeness(folded.text, target)
            if score >= need and (best is None or score > best[0]):
                best = (score, index, size)
        if best is None:
            continue
        _, index, size = best
        end = folded.span(0, size)[1]
        page.spans[number].append(
            LabelSpan(number, side.labels[index], index, 0, end, False, False, weak=True)
        )
        found[index] = number


def _prefix_likeness(folded: str, target: str) -> tuple[float, int]:
    """How well the start of a folded line reads as ``target``, and that start's length."""
    best, size = 0.0, 0
    for length in range(max(1, len(target) - 3), min(len(folded), len(target) + 3) + 1):
        score = 1 - edit_distance(folded[:length], target) / len(target)
        if score > best:
            best, size = score, length
    return best, size


def _in_order(page: Page, found: dict[int, int], index: int, box: Box, unit: float) -> bool:
    """Whether a line could hold label ``index``: under the labels printed before it and
    over those printed after it that were found."""
    for other, line in found.items():
        other_box = page.boxes[line]
        if other < index and other_box.cy > box.cy + 0.5 * unit:
            return False
        if other > index and other_box.cy < box.cy - 0.5 * unit:
            return False
    return True
