"""The OCR orchestrator: detect lines, cut them out, recognise them, order them."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from id_card_scan.ocr.crops import crop_quad
from id_card_scan.ocr.detection import Detector
from id_card_scan.ocr.reading_order import reading_order
from id_card_scan.ocr.recognition import Recognizer
from id_card_scan.ocr.types import DetectedBox, Line, OcrResult


class OcrPredictor:
    def __init__(self, detector: Detector, recognizer: Recognizer) -> None:
        self.detector = detector
        self.recognizer = recognizer

    def read(
        self,
        image_rgb: np.ndarray,
        boxes: list[DetectedBox] | None = None,
        *,
        crop_from: tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]] | None = None,
    ) -> OcrResult:
        """All text lines of ``image_rgb`` in reading order, boxes in its coordinates,
        whatever their confidence (callers decide what is too doubtful to show).

        ``boxes``: text boxes already detected on ``image_rgb`` (the geometry stage finds
        them while orienting the card), so that detection is not run twice.
        ``crop_from``: the image ``image_rgb`` was made from and the mapping of its points
        into it: lines are cut from that one, at its resolution (a card photographed
        larger than its rectified view keeps the detail of its small print).
        """
        started = time.perf_counter()
        if boxes is None:
            boxes = self.detector.detect(image_rgb)
        detected = time.perf_counter()
        if crop_from is None:
            crops = [crop_quad(image_rgb, box.quad) for box in boxes]
        else:
            source, to_source = crop_from
            crops = [crop_quad(source, to_source(box.quad)) for box in boxes]
        recognitions = self.recognizer.recognize(crops) if crops else []
        recognised = time.perf_counter()
        lines = [
            Line(text=rec.text, confidence=round(rec.confidence, 4), quad=box.quad)
            for box, rec in zip(boxes, recognitions, strict=True)
            if rec.text
        ]
        ordered = reading_order(lines, [line.quad for line in lines])
        return OcrResult(
            lines=ordered,
            timings_ms={
                "detection_ms": round((detected - started) * 1000, 2),
                "recognition_ms": round((recognised - detected) * 1000, 2),
            },
        )

    def close(self) -> None:
        self.recognizer.close()
