"""Which way up the card is, from its text lines.

The text detector's boxes say whether lines run across or down the view (0/180 versus
90/270 degrees); PP-OCR's text-direction classifier, run on a few of the longest lines,
settles the remaining half turn by a vote weighted by the classifier's confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from id_card_scan.ocr.crops import crop_quad
from id_card_scan.ocr.inference import InferenceSession
from id_card_scan.ocr.types import DetectedBox

# PP-OCR's mobile direction classifier input (PaddleOCR's cls_image_shape).
_CLS_HEIGHT, _CLS_WIDTH = 48, 192
# Lines voting: the longest ones read most reliably; more adds time, not accuracy.
VOTING_LINES = 8


class DirectionClassifier:
    """PP-OCR's 0/180 text-line classifier (``ch_ppocr_mobile_v2.0_cls``)."""

    def __init__(self, session: InferenceSession) -> None:
        self._session = session

    def upside_down(self, crops: list[np.ndarray]) -> np.ndarray:
        """P(turned 180 degrees) for each RGB line crop."""
        if not crops:
            return np.zeros(0, np.float32)
        batch = np.stack([_normalise(crop) for crop in crops])
        probabilities = self._session.run(batch)
        return np.asarray(probabilities, np.float32)[:, 1]


def _normalise(crop: np.ndarray) -> np.ndarray:
    height, width = crop.shape[:2]
    resized_w = min(_CLS_WIDTH, max(1, math.ceil(_CLS_HEIGHT * width / max(height, 1))))
    resized = cv2.resize(crop, (resized_w, _CLS_HEIGHT), interpolation=cv2.INTER_LINEAR)
    # PaddleOCR trains on BGR scaled to [-1, 1], padded on the right with zeros.
    bgr = resized[:, :, ::-1].astype(np.float32) / 127.5 - 1.0
    padded = np.zeros((3, _CLS_HEIGHT, _CLS_WIDTH), np.float32)
    padded[:, :, :resized_w] = bgr.transpose(2, 0, 1)
    return padded


@dataclass(frozen=True)
class Orientation:
    rotation: int  # degrees clockwise the content is turned (0, 90, 180, 270)
    confidence: float  # 0..1; 0 when no line could vote


def text_orientation(
    pixels: np.ndarray, boxes: list[DetectedBox], classifier: DirectionClassifier
) -> Orientation:
    """How far the text in ``pixels`` is turned, from the detector's ``boxes`` on it."""
    if not boxes:
        return Orientation(0, 0.0)
    quads = [np.asarray(box.quad, np.float32) for box in boxes]
    widths = np.array([np.linalg.norm(q[1] - q[0]) for q in quads])
    heights = np.array([np.linalg.norm(q[3] - q[0]) for q in quads])
    # Lines are long: whichever axis carries more line length is the reading direction.
    across = float(np.sum(np.maximum(widths - heights, 0)))
    down = float(np.sum(np.maximum(heights - widths, 0)))
    vertical = down > across
    lengths = heights if vertical else widths
    thickness = widths if vertical else heights
    elongated = [i for i in np.argsort(-lengths) if lengths[i] >= 2.5 * max(thickness[i], 1)]
    chosen = elongated[:VOTING_LINES]
    if not chosen:
        return Orientation(90 if vertical else 0, 0.0)
    # crop_quad turns a tall strip a quarter turn counter-clockwise: text running down the
    # image (turned 90 clockwise) comes out upright, text running up comes out upside down.
    crops = [crop_quad(pixels, quads[i]) for i in chosen]
    flipped = classifier.upside_down(crops)
    weights = lengths[chosen]
    vote = float(np.sum(weights * (2 * flipped - 1)) / np.sum(weights))  # -1 upright .. 1
    half_turn = vote > 0
    base = 90 if vertical else 0
    return Orientation(base + (180 if half_turn else 0), round(abs(vote), 3))
