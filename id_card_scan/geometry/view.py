"""The card as later stages see it: upright, rectified pixels and the way back to the photo.

Coordinates are pixel-edge coordinates throughout (pixel (i, j) spans [i, i + 1) x
[j, j + 1)), as the synthetic generator's quads are, so a corner of the view maps to the
very corner of the card in the photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from id_card_scan.ocr.types import DetectedBox

# ID-1 (ISO/IEC 7810) is 85.60 x 53.98 mm.
ID1_ASPECT = 85.60 / 53.98


@dataclass(frozen=True)
class CardView:
    """What the geometry stage hands to OCR.

    ``card_found`` is False when no outline was found: the view is then the whole image
    (only turned upright), which is right for a scan or a tight crop and the best we can
    do otherwise; callers and responses can say which happened.
    """

    pixels: np.ndarray  # (height, width, 3) uint8 RGB, the card upright
    # 3x3 homography from view coordinates to the original image's coordinates.
    to_original: np.ndarray
    card_found: bool
    # How far the card was turned clockwise in the original image, to the nearest quarter
    # turn (0, 90, 180, 270); the view undoes it.
    rotation: int
    # The card's outline in the original image, clockwise from the printed top-left
    # corner (the whole image's border, suitably rolled, when no outline was found).
    card_quad: np.ndarray
    # How sure the orientation vote was (0..1); 0 when there was no text to vote with.
    orientation_confidence: float = 0.0
    # Text boxes found on ``pixels`` while orienting them; OCR reuses them rather than
    # running the detector a second time. None: not detected yet.
    text_boxes: list[DetectedBox] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    def to_original_points(self, points: np.ndarray) -> np.ndarray:
        """Map (N, 2) view points into the original image (same order, float32)."""
        return transform_points(points, self.to_original)


def transform_points(points: np.ndarray, homography: np.ndarray) -> np.ndarray:
    array = np.asarray(points, np.float64).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(array, homography).reshape(-1, 2).astype(np.float32)


def rect_corners(width: float, height: float) -> np.ndarray:
    """The four corners of a ``width`` x ``height`` image, clockwise from top-left."""
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)


def edge_to_centre(homography: np.ndarray) -> np.ndarray:
    """The same mapping for OpenCV, whose warps address pixel centres (i, j)."""
    shift = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], np.float64)
    return np.linalg.inv(shift) @ homography @ shift
