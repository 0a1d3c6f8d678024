"""Photo -> :class:`CardView`: find the card, rectify it, turn it upright."""

from __future__ import annotations

import time

import cv2
import numpy as np

from id_card_scan.geometry.locate import find_card, reduce_image
from id_card_scan.geometry.orient import DirectionClassifier, Orientation, text_orientation
from id_card_scan.geometry.rectify import CARD_VIEW_WIDTH, card_size, landscape_order, warp_card
from id_card_scan.geometry.textfit import find_card_by_text, text_layout
from id_card_scan.geometry.view import CardView, rect_corners, transform_points
from id_card_scan.ocr.detection import Detector, order_clockwise
from id_card_scan.ocr.types import DetectedBox


class CardGeometry:
    """One method, :meth:`view`; holds no per-request state, so threads may share it.

    ``classifier`` None: no orientation (and no early text detection); ``rectify`` False:
    the whole image is the card.
    """

    def __init__(
        self,
        detector: Detector | None,
        classifier: DirectionClassifier | None,
        *,
        rectify: bool = True,
        view_width: int = CARD_VIEW_WIDTH,
        card_det_limit_side_len: int = 736,
    ) -> None:
        self.detector = detector
        self.classifier = classifier
        self.rectify = rectify
        self.view_width = view_width
        self.card_det_limit_side_len = card_det_limit_side_len

    def view(self, pixels: np.ndarray) -> CardView:
        started = time.perf_counter()
        height, width = pixels.shape[:2]
        work = reduce_image(pixels) if self.rectify else None
        outline = find_card(pixels, work) if work is not None else None
        boxes: list[DetectedBox] | None = None
        detection_ms = 0.0
        models = self.classifier is not None and self.detector is not None
        if outline is not None:
            quad = landscape_order(outline.quad)
            view_pixels, _ = warp_card(pixels, quad, card_size(self.view_width))
            if self.detector is not None and self.classifier is not None:
                # The boxes are needed to vote on the orientation; OCR then reuses them.
                # They also check the outline: a portrait or a block of print taken for
                # the card shows print nothing like a card's.
                detected = time.perf_counter()
                boxes = _detect(self.detector, view_pixels, self.card_det_limit_side_len)
                detection_ms += (time.perf_counter() - detected) * 1000
                if not _card_print(boxes, view_pixels):
                    outline, boxes = None, None
        if outline is None:
            quad = rect_corners(width, height)
            view_pixels = pixels
            if self.detector is not None and self.classifier is not None:
                # A scan or a tight crop is the card itself: the card-sized detection suits it.
                card_sized = _card_shaped(width, height)
                limit = self.card_det_limit_side_len if card_sized else None
                detected = time.perf_counter()
                boxes = _detect(self.detector, pixels, limit)
                detection_ms += (time.perf_counter() - detected) * 1000
                if work is not None and not (card_sized and _card_print(boxes, pixels)):
                    # No outline stood out: look again, guided by where the print is.
                    outline = find_card_by_text(pixels, [box.quad for box in boxes], work)
                if outline is not None:
                    quad = landscape_order(outline.quad)
                    view_pixels, to_photo = warp_card(pixels, quad, card_size(self.view_width))
                    boxes = _boxes_into_view(boxes, np.linalg.inv(to_photo), view_pixels.shape)

        orientation = Orientation(0, 0.0)
        if models and boxes is not None:
            orientation = text_orientation(view_pixels, boxes, self.classifier)

        quarter_turns = orientation.rotation // 90
        old_to_original = _homography(view_pixels, quad)
        if quarter_turns:
            # np.rot90 turns counter-clockwise, undoing the clockwise turn found.
            view_pixels = np.ascontiguousarray(np.rot90(view_pixels, quarter_turns))
            quad = np.roll(quad, -quarter_turns, axis=0)
        to_original = _homography(view_pixels, quad)
        if boxes and quarter_turns:
            to_new = np.linalg.inv(to_original) @ old_to_original
            boxes = [
                DetectedBox(order_clockwise(transform_points(box.quad, to_new)), box.score)
                for box in boxes
            ]
        finished = time.perf_counter()
        if outline is not None:
            top = quad[1] - quad[0]
            turned = int(round(np.degrees(np.arctan2(top[1], top[0])) / 90.0)) % 4 * 90
        else:
            turned = orientation.rotation
        return CardView(
            pixels=view_pixels,
            to_original=to_original,
            card_found=outline is not None,
            rotation=turned,
            card_quad=quad.astype(np.float32),
            orientation_confidence=orientation.confidence,
            text_boxes=boxes,
            timings_ms={
                "geometry_ms": round((finished - started) * 1000 - detection_ms, 2),
                "detection_ms": round(detection_ms, 2),
            },
        )


def _card_print(boxes: list[DetectedBox], pixels: np.ndarray) -> bool:
    """Whether the text ``boxes`` sit in the whole of ``pixels`` as print on a card front."""
    if not boxes:
        return False
    height, width = pixels.shape[:2]
    layout = text_layout(rect_corners(width, height), np.array([box.quad for box in boxes]))
    return layout is not None and layout.fits()


def _boxes_into_view(
    boxes: list[DetectedBox], to_view: np.ndarray, shape: tuple[int, ...]
) -> list[DetectedBox]:
    """Boxes found on the photo, moved onto the rectified card; those off the card dropped."""
    height, width = shape[:2]
    moved = []
    for box in boxes:
        quad = transform_points(box.quad, to_view)
        centre = quad.mean(axis=0)
        if not (0 <= centre[0] < width and 0 <= centre[1] < height):
            continue
        quad = np.clip(quad, 0, [width - 1, height - 1]).astype(np.float32)
        moved.append(DetectedBox(order_clockwise(quad), box.score))
    return moved


def _card_shaped(width: int, height: int) -> bool:
    """Whether an image has about ID-1's proportions (85.6 x 54 mm), either way up."""
    aspect = max(width, height) / max(min(width, height), 1)
    return 1.4 <= aspect <= 1.8


def _homography(view_pixels: np.ndarray, quad: np.ndarray) -> np.ndarray:
    height, width = view_pixels.shape[:2]
    corners = rect_corners(width, height)
    return cv2.getPerspectiveTransform(corners, np.asarray(quad, np.float32)).astype(np.float64)


def _detect(detector: Detector, pixels: np.ndarray, limit: int | None) -> list[DetectedBox]:
    """Text boxes on ``pixels``, detected on a copy reduced to ``limit`` px when given.

    A rectified card has a known size, so its detection size can be set apart from the
    whole-photo one (TEXT_DET_LIMIT_SIDE_LEN), where small cards need every pixel.
    """
    height, width = pixels.shape[:2]
    ratio = 1.0 if limit is None else min(1.0, limit / max(height, width))
    if ratio >= 1.0:
        return detector.detect(pixels)
    small = cv2.resize(
        pixels, (round(width * ratio), round(height * ratio)), interpolation=cv2.INTER_AREA
    )
    scale_x, scale_y = width / small.shape[1], height / small.shape[0]
    return [
        DetectedBox(box.quad * np.array([scale_x, scale_y], np.float32), box.score)
        for box in detector.detect(small)
    ]
