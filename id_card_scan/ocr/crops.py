"""Cutting a detected line out of the image as an upright, axis-aligned strip."""

from __future__ import annotations

import cv2
import numpy as np

from id_card_scan.ocr.types import Quad


def crop_quad(image: np.ndarray, quad: Quad) -> np.ndarray:
    """Warp the quadrilateral ``quad`` (clockwise from top-left) to a rectangle.

    A strip much taller than wide is a vertical line of text; it is turned to read
    left to right, as PaddleOCR does.
    """
    quad = np.asarray(quad, dtype=np.float32)
    width = int(round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2]))))
    height = int(round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    strip = cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    if height >= 1.5 * width:
        strip = np.rot90(strip)
    return np.ascontiguousarray(strip)
