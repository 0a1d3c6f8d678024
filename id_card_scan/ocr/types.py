"""Plain data passed between the OCR stages."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Four (x, y) corners, clockwise from top-left, in some image's pixel coordinates.
Quad = np.ndarray


@dataclass(frozen=True)
class DetectedBox:
    quad: Quad  # float32 array of shape (4, 2)
    score: float


@dataclass(frozen=True)
class Recognition:
    text: str
    confidence: float  # 0..1


@dataclass(frozen=True)
class Line:
    text: str
    confidence: float
    quad: Quad

    def int_box(self) -> list[list[int]]:
        return [[int(round(x)), int(round(y))] for x, y in self.quad.tolist()]


@dataclass
class OcrResult:
    # Boxes in the uploaded image's coordinates, each clockwise from its text's top-left
    # corner (which, on a card photographed upside down, is the box's lower right).
    lines: list[Line]
    timings_ms: dict[str, float] = field(default_factory=dict)
