"""Text detection with PP-OCR's DB (Differentiable Binarization) model.

The network outputs a per-pixel text probability; the post-processing below is the DB
paper's (Liao et al., 2020) as PaddleOCR implements it: threshold, contours, score each
box on the probability map, expand ("unclip") the shrunk text kernel back to the line.
"""

from __future__ import annotations

from typing import Protocol

import cv2
import numpy as np
import pyclipper

from id_card_scan.ocr.inference import InferenceSession
from id_card_scan.ocr.types import DetectedBox


class Detector(Protocol):
    def detect(self, image_rgb: np.ndarray) -> list[DetectedBox]: ...


class DBDetector:
    """PP-OCR DB detector over any :class:`InferenceSession` (ONNX or Paddle)."""

    def __init__(
        self,
        session: InferenceSession,
        *,
        box_threshold: float = 0.3,
        limit_side_len: int = 960,
        pixel_threshold: float = 0.3,
        unclip_ratio: float = 1.6,
        max_candidates: int = 1000,
    ) -> None:
        self._session = session
        self.box_threshold = box_threshold
        self.limit_side_len = limit_side_len
        self.pixel_threshold = pixel_threshold
        self.unclip_ratio = unclip_ratio
        self.max_candidates = max_candidates

    def detect(self, image_rgb: np.ndarray) -> list[DetectedBox]:
        batch, scale_x, scale_y = self._preprocess(image_rgb)
        probability = self._session.run(batch)[0, 0]
        boxes = self._boxes_from_map(probability)
        height, width = image_rgb.shape[:2]
        result = []
        for quad, score in boxes:
            quad[:, 0] = np.clip(quad[:, 0] / scale_x, 0, width - 1)
            quad[:, 1] = np.clip(quad[:, 1] / scale_y, 0, height - 1)
            result.append(DetectedBox(quad=order_clockwise(quad), score=score))
        return result

    def _preprocess(self, image_rgb: np.ndarray) -> tuple[np.ndarray, float, float]:
        height, width = image_rgb.shape[:2]
        ratio = min(1.0, self.limit_side_len / max(height, width))
        # The network downsamples by 32; both sides must be multiples of it.
        new_h = max(32, int(round(height * ratio / 32)) * 32)
        new_w = max(32, int(round(width * ratio / 32)) * 32)
        resized = cv2.resize(image_rgb, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        # PaddleOCR trains on BGR images normalised with mean = std = 0.5.
        bgr = resized[:, :, ::-1].astype(np.float32)
        normalised = (bgr / 255.0 - 0.5) / 0.5
        batch = normalised.transpose(2, 0, 1)[np.newaxis]
        return np.ascontiguousarray(batch), new_w / width, new_h / height

    def _boxes_from_map(self, probability: np.ndarray) -> list[tuple[np.ndarray, float]]:
        mask = (probability > self.pixel_threshold).astype(np.uint8)
        mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        boxes = []
        for contour in contours[: self.max_candidates]:
            points, short_side = _min_area_box(contour.reshape(-1, 2))
            if short_side < 3:
                continue
            score = _mean_score(probability, points)
            if score < self.box_threshold:
                continue
            expanded = self._unclip(points)
            if expanded is None:
                continue
            box, short_side = _min_area_box(expanded)
            if short_side < 5:
                continue
            boxes.append((box.astype(np.float32), float(score)))
        return boxes

    def _unclip(self, box: np.ndarray) -> np.ndarray | None:
        area = cv2.contourArea(box)
        perimeter = cv2.arcLength(box, True)
        if perimeter == 0:
            return None
        distance = area * self.unclip_ratio / perimeter
        offset = pyclipper.PyclipperOffset()
        offset.AddPath(
            box.astype(np.int64).tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON
        )
        expanded = offset.Execute(distance)
        if not expanded:
            return None
        return np.array(expanded[0], dtype=np.float32)


def _min_area_box(points: np.ndarray) -> tuple[np.ndarray, float]:
    rect = cv2.minAreaRect(points.astype(np.float32))
    corners = cv2.boxPoints(rect)
    return order_clockwise(corners), min(rect[1])


def _mean_score(probability: np.ndarray, box: np.ndarray) -> float:
    height, width = probability.shape
    x_min = int(np.clip(np.floor(box[:, 0].min()), 0, width - 1))
    x_max = int(np.clip(np.ceil(box[:, 0].max()), 0, width - 1))
    y_min = int(np.clip(np.floor(box[:, 1].min()), 0, height - 1))
    y_max = int(np.clip(np.ceil(box[:, 1].max()), 0, height - 1))
    mask = np.zeros((y_max - y_min + 1, x_max - x_min + 1), dtype=np.uint8)
    shifted = box.copy()
    shifted[:, 0] -= x_min
    shifted[:, 1] -= y_min
    cv2.fillPoly(mask, [shifted.astype(np.int32)], 1)
    return float(cv2.mean(probability[y_min : y_max + 1, x_min : x_max + 1], mask)[0])


def order_clockwise(points: np.ndarray) -> np.ndarray:
    """Order four corners as top-left, top-right, bottom-right, bottom-left."""
    points = np.asarray(points, dtype=np.float32).reshape(4, 2)
    by_x = points[np.argsort(points[:, 0], kind="stable")]
    left, right = by_x[:2], by_x[2:]
    top_left, bottom_left = left[np.argsort(left[:, 1], kind="stable")]
    top_right, bottom_right = right[np.argsort(right[:, 1], kind="stable")]
    return np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)
