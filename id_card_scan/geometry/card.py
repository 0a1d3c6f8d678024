"""Photo -> :class:`CardView`: find the card, rectify it, turn it upright."""

from __future__ import annotations

import time

import cv2
import numpy as np

from id_card_scan.geometry.locate import CardOutline, WorkImage, find_card, reduce_image
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

    def _checked(
        self, pixels: np.ndarray, outline: CardOutline, work: WorkImage, timer: _Timer
    ) -> tuple[CardOutline | None, np.ndarray | None, list[DetectedBox] | None]:
        """The edge-found ``outline`` checked (and maybe corrected) against the print in it.

        Returns the outline (None for one whose print is nothing like a card's: a portrait
        or a block of print taken for the card), its view and the text boxes on it.
        """
        assert self.detector is not None
        quad = landscape_order(outline.quad)
        view_pixels, to_photo = warp_card(pixels, quad, card_size(self.view_width))
        # The boxes are needed to vote on the orientation; OCR then reuses them.
        boxes = timer.detect(self.detector, view_pixels, self.card_det_limit_side_len)
        if not _card_print(boxes, view_pixels):
            return None, None, None
        # A second opinion from the print: the outline traced out from it is the card
        # where the edges' largest outline took in a sleeve, a shadow or a strip of the
        # tablecloth, or cut a corner off.
        photo_boxes = [transform_points(box.quad, to_photo) for box in boxes]
        traced = find_card_by_text(
            pixels,
            photo_boxes,
            work,
            traced_only=True,
            unless=lambda quad: not _better_outline(quad, outline.quad),
        )
        if traced is None or not _better_outline(traced.quad, outline.quad):
            return outline, view_pixels, boxes
        size = card_size(self.view_width)
        view_pixels, to_new = warp_card(pixels, landscape_order(traced.quad), size)
        on_photo = [
            DetectedBox(quad, box.score) for quad, box in zip(photo_boxes, boxes, strict=True)
        ]
        return traced, view_pixels, _moved(on_photo, np.linalg.inv(to_new), size)

    def view(self, pixels: np.ndarray) -> CardView:
        started = time.perf_counter()
        height, width = pixels.shape[:2]
        work = reduce_image(pixels) if self.rectify else None
        outline = find_card(pixels, work) if work is not None else None
        models = self.classifier is not None and self.detector is not None
        timer = _Timer()
        boxes: list[DetectedBox] | None = None
        view_pixels: np.ndarray | None = None
        if outline is not None and models and work is not None:
            outline, view_pixels, boxes = self._checked(pixels, outline, work, timer)
        if outline is None and models:
            # A scan or a tight crop is the card itself: the card-sized detection suits it.
            card_sized = _card_shaped(width, height)
            limit = self.card_det_limit_side_len if card_sized else None
            boxes = timer.detect(self.detector, pixels, limit)
            if work is not None:
                # No outline stood out: look again, guided by where the print is. A crop
                # whose print already fills it like a card's is the card itself, unless a
                # plain border (a scanner's lid, a crop's padding) surrounds it.
                outline = find_card_by_text(
                    pixels,
                    [box.quad for box in boxes],
                    work,
                    bordered_only=card_sized and _card_print(boxes, pixels),
                )
        if outline is not None:
            quad = landscape_order(outline.quad)
            if view_pixels is None:
                view_pixels, to_photo = warp_card(pixels, quad, card_size(self.view_width))
                if boxes is not None:
                    # Found from the photo's boxes: moved onto the card, they serve it as
                    # well as boxes detected again on it (measured), at no extra cost.
                    boxes = _moved(boxes, np.linalg.inv(to_photo), card_size(self.view_width))
        else:
            quad = rect_corners(width, height)
            view_pixels = pixels
        detection_ms = timer.ms

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


def _better_outline(traced: np.ndarray, found: np.ndarray) -> bool:
    """Whether the outline traced from the print should replace the one the edges gave.

    Only where they differ (by over 2% of the card's diagonal), and not for a traced
    outline larger than the found one: a closed outline around the card with print
    inside is seldom too small, and a trace that overshoots has run onto the surface.
    """
    diagonal = float(np.linalg.norm(found[0] - found[2]))
    differ = min(float(np.abs(np.roll(traced, -i, axis=0) - found).max()) for i in range(4))
    area_traced = abs(float(cv2.contourArea(traced.astype(np.float32))))
    area_found = abs(float(cv2.contourArea(found.astype(np.float32))))
    return differ > 0.02 * diagonal and area_traced <= 1.03 * area_found


def _moved(
    boxes: list[DetectedBox], homography: np.ndarray, size: tuple[int, int]
) -> list[DetectedBox]:
    """``boxes`` moved by ``homography`` onto a ``size`` view; those off it dropped."""
    width, height = size
    kept = []
    for box in boxes:
        quad = transform_points(box.quad, homography)
        centre = quad.mean(axis=0)
        if 0 <= centre[0] < width and 0 <= centre[1] < height:
            quad = np.clip(quad, 0, [width - 1, height - 1]).astype(np.float32)
            kept.append(DetectedBox(order_clockwise(quad), box.score))
    return kept


class _Timer:
    """Runs text detection for the view and adds up the time it takes."""

    def __init__(self) -> None:
        self.ms = 0.0

    def detect(
        self, detector: Detector | None, pixels: np.ndarray, limit: int | None
    ) -> list[DetectedBox]:
        assert detector is not None
        started = time.perf_counter()
        boxes = _detect(detector, pixels, limit)
        self.ms += (time.perf_counter() - started) * 1000
        return boxes


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
