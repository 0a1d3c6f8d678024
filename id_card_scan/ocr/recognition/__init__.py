"""Line recognizers: each turns upright line crops into (text, confidence)."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from id_card_scan.ocr.types import Recognition


class Recognizer(Protocol):
    name: str

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """One :class:`Recognition` per crop (RGB uint8 arrays), in the same order."""
        ...

    def close(self) -> None: ...
