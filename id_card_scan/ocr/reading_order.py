"""Putting lines in the order a person reads a card: rows top to bottom, left to right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from id_card_scan.ocr.types import Quad

T = TypeVar("T")


def reading_order(items: Sequence[T], quads: Sequence[Quad]) -> list[T]:
    """Sort ``items`` (one quad each) into rows, then each row left to right.

    Two boxes share a row when their vertical centres are closer than half the smaller
    box's height; a label and its value printed side by side thus stay together.
    """
    if not items:
        return []
    centres_y = [float(np.mean(q[:, 1])) for q in quads]
    heights = [max(float(q[:, 1].max() - q[:, 1].min()), 1.0) for q in quads]
    lefts = [float(q[:, 0].min()) for q in quads]
    order = sorted(range(len(items)), key=lambda i: centres_y[i])
    rows: list[list[int]] = []
    for index in order:
        if rows:
            row = rows[-1]
            row_centre = float(np.mean([centres_y[i] for i in row]))
            row_height = min(heights[i] for i in row)
            if abs(centres_y[index] - row_centre) < 0.5 * min(row_height, heights[index]):
                row.append(index)
                continue
        rows.append([index])
    return [items[i] for row in rows for i in sorted(row, key=lambda i: lefts[i])]
