"""Image bytes -> lines -> fields, independent of any web framework.

Build one :class:`Pipeline` per process (models load once) and call it from any thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from id_card_scan.extraction import (
    ExtractionOptions,
    Extractor,
    FieldValue,
    LlmUsage,
    NoExtractor,
)
from id_card_scan.extraction.fusion import extract_fields
from id_card_scan.extraction.llm import LlmExtractor
from id_card_scan.images import decode_image
from id_card_scan.llm import ChatClient
from id_card_scan.ocr import OcrPredictor, OcrResult, build_predictor
from id_card_scan.settings import Settings


@dataclass
class ExtractionResult:
    ocr: OcrResult
    fields: dict[str, FieldValue]
    llm_usage: LlmUsage
    ocr_ms: float
    extraction_ms: float


class Pipeline:
    def __init__(self, settings: Settings, predictor: OcrPredictor, extractor: Extractor) -> None:
        self.settings = settings
        self.predictor = predictor
        self.extractor = extractor

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        return cls(settings, build_predictor(settings), build_extractor(settings))

    def read(self, data: bytes) -> OcrResult:
        """OCR one uploaded image; raises an :class:`IdCardScanError` for a bad image."""
        return self._read(data)[1]

    def _read(self, data: bytes) -> tuple[np.ndarray, OcrResult]:
        started = time.perf_counter()
        image = decode_image(data, max_pixels=self.settings.MAX_IMAGE_PIXELS)
        decoded = time.perf_counter()
        result = self.predictor.read(image.pixels)
        result.timings_ms["decode_ms"] = round((decoded - started) * 1000, 2)
        return image.pixels, result

    def extract(self, data: bytes, options: ExtractionOptions) -> ExtractionResult:
        started = time.perf_counter()
        pixels, ocr = self._read(data)
        read_done = time.perf_counter()
        extraction = extract_fields(pixels, ocr.lines, options, self.extractor)
        finished = time.perf_counter()
        return ExtractionResult(
            ocr=ocr,
            fields=extraction.fields,
            llm_usage=extraction.llm_usage,
            ocr_ms=round((read_done - started) * 1000, 2),
            extraction_ms=round((finished - read_done) * 1000, 2),
        )

    def llm_status(self) -> str:
        """``not_configured``, or whether the LLM server answers right now."""
        if not isinstance(self.extractor, LlmExtractor):
            return "not_configured"
        return "reachable" if self.extractor.client.ping() else "unreachable"

    def close(self) -> None:
        self.predictor.close()
        self.extractor.close()


def build_extractor(settings: Settings) -> Extractor:
    """The LLM extractor when LLM_MODEL is set; otherwise one that says none exists."""
    if not settings.llm_configured:
        return NoExtractor()
    client = ChatClient(
        settings.LLM_API_URL,
        settings.LLM_MODEL,
        structured_output=settings.LLM_STRUCTURED_OUTPUT,
        api_key=settings.LLM_API_KEY,
        max_retries=settings.LLM_MAX_RETRIES,
        max_concurrency=settings.LLM_MAX_CONCURRENCY,
        max_tokens=settings.LLM_MAX_TOKENS,
    )
    return LlmExtractor(client)
