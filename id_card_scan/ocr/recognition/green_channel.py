"""A second reading of doubtful lines in the green channel alone.

Vietnamese cards print on cyan-green security backgrounds (guilloche, drum and map
patterns), and the old CMND prints its number in red. In the green channel the cyan and
green print turns pale and red ink turns dark, so the text stands out where the gray
image the recognizer reads blends it with the pattern. A line the recognizer is unsure of
is read again that way, and the surer of the two readings is kept (measured on real card
photos: docs/benchmarks.md).
"""

from __future__ import annotations

import numpy as np

from id_card_scan.ocr.recognition import Recognizer
from id_card_scan.ocr.types import Recognition

# The second reading must be this much surer to replace the first.
_MARGIN = 0.02


class GreenChannelRecognizer:
    """Wraps a recognizer: lines read under ``retry_below`` are read again in green."""

    def __init__(self, recognizer: Recognizer, *, retry_below: float) -> None:
        self.recognizer = recognizer
        self.retry_below = retry_below
        self.name = recognizer.name

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        first = self.recognizer.recognize(crops)
        doubtful = [
            i
            for i, rec in enumerate(first)
            if rec.confidence < self.retry_below and crops[i].ndim == 3
        ]
        if not doubtful:
            return first
        green = [np.repeat(crops[i][:, :, 1:2], 3, axis=2) for i in doubtful]
        merged = list(first)
        for index, second in zip(doubtful, self.recognizer.recognize(green), strict=True):
            if second.text and second.confidence > first[index].confidence + _MARGIN:
                merged[index] = second
        return merged

    def close(self) -> None:
        self.recognizer.close()
