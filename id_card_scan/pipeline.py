"""Image bytes -> lines -> fields, independent of any web framework.

Build one :class:`Pipeline` per process (models load once) and call it from any thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from id_card_scan.extraction import ExtractionOptions, Extractor, FieldValue, NoExtractor
from id_card_scan.images import decode_image
from id_card_scan.ocr import OcrPredictor, OcrResult, build_predictor
from id_card_scan.settings import Settings


@dataclass
class ExtractionResult:
    ocr: OcrResult
    fields: dict[str, FieldValue]
    ocr_ms: float
    extraction_ms: float


class Pipeline:
    def __init__(self, settings: Settings, predictor: OcrPredictor, extractor: Extractor) -> None:
        self.settings = settings
        self.predictor = predictor
        self.extractor = extractor

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        return cls(settings, build_predictor(settings), NoExtractor())

    def read(self, data: bytes) -> OcrResult:
        """OCR one uploaded image; raises an :class:`IdCardScanError` for a bad image."""
        image = decode_image(data, max_pixels=self.settings.MAX_IMAGE_PIXELS)
        return self.predictor.read(image.pixels)

    def extract(self, data: bytes, options: ExtractionOptions) -> ExtractionResult:
        started = time.perf_counter()
        ocr = self.read(data)
        read_done = time.perf_counter()
        fields = self.extractor.extract(ocr.lines, options)
        finished = time.perf_counter()
        return ExtractionResult(
            ocr=ocr,
            fields=fields,
            ocr_ms=round((read_done - started) * 1000, 2),
            extraction_ms=round((finished - read_done) * 1000, 2),
        )

    def close(self) -> None:
        self.predictor.close()
