"""Image bytes -> lines -> fields, independent of any web framework.

Build one :class:`Pipeline` per process (models load once) and call it from any thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

import numpy as np

from id_card_scan.cards import addresses
from id_card_scan.cards.card_type import CardGuess
from id_card_scan.cards.mrz_reader import MrzReader
from id_card_scan.errors import ModelLoadError
from id_card_scan.extraction import (
    ExtractionOptions,
    Extractor,
    FieldValue,
    LlmUsage,
    NoExtractor,
)
from id_card_scan.extraction.fusion import extract_fields
from id_card_scan.extraction.llm import LlmExtractor
from id_card_scan.geometry import CardGeometry, build_card_geometry
from id_card_scan.images import decode_image
from id_card_scan.llm import ChatClient
from id_card_scan.ocr import OcrPredictor, OcrResult, build_predictor
from id_card_scan.settings import Settings, SettingsError

log = logging.getLogger(__name__)


@dataclass
class ExtractionResult:
    ocr: OcrResult
    fields: dict[str, FieldValue]
    llm_usage: LlmUsage
    ocr_ms: float
    extraction_ms: float
    card: CardGuess | None = None  # the card type and side the evidence showed


class Pipeline:
    def __init__(
        self,
        settings: Settings,
        predictor: OcrPredictor,
        extractor: Extractor,
        mrz_reader: MrzReader | None = None,
        geometry: CardGeometry | None = None,
    ) -> None:
        self.settings = settings
        self.predictor = predictor
        self.extractor = extractor
        self.mrz_reader = mrz_reader
        # Shares the predictor's detector; its orientation model loads here, once.
        self.geometry = geometry or build_card_geometry(settings, predictor.detector)

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        warm_up_gazetteer()
        return cls(
            settings,
            build_predictor(settings),
            build_extractor(settings),
            build_mrz_reader(settings),
        )

    def read(self, data: bytes) -> OcrResult:
        """OCR one uploaded image; raises an :class:`IdCardScanError` for a bad image."""
        return self._read(data)[1]

    def _read(self, data: bytes) -> tuple[np.ndarray, OcrResult]:
        """Decode, find and straighten the card, read it; returns the uploaded image's pixels.

        The result's ``lines`` are in the uploaded image's coordinates (what the API
        reports), its ``card_lines`` in the view's (what the later stages read).
        """
        started = time.perf_counter()
        image = decode_image(data, max_pixels=self.settings.MAX_IMAGE_PIXELS)
        decoded = time.perf_counter()
        result = self.read_pixels(image.pixels)
        result.timings_ms["decode_ms"] = round((decoded - started) * 1000, 2)
        return image.pixels, result

    def read_pixels(self, pixels: np.ndarray) -> OcrResult:
        """OCR an already decoded RGB image (height x width x 3, uint8), as :meth:`read`."""
        view = self.geometry.view(pixels)
        result = self.predictor.read(view.pixels, boxes=view.text_boxes)
        card_lines = result.lines
        result.lines = [
            replace(line, quad=view.to_original_points(line.quad)) for line in card_lines
        ]
        result.card_lines = card_lines
        result.view = view
        if view.text_boxes is not None:  # detection ran while orienting the card
            result.timings_ms["detection_ms"] = view.timings_ms["detection_ms"]
        result.timings_ms["geometry_ms"] = view.timings_ms["geometry_ms"]
        return result

    def extract(self, data: bytes, options: ExtractionOptions) -> ExtractionResult:
        started = time.perf_counter()
        photo, ocr = self._read(data)
        read_done = time.perf_counter()
        # The rectified card and its lines: layout rules and QR decoding see a flat card;
        # the photo as uploaded is the QR decoder's second chance.
        card_lines = ocr.card_lines if ocr.card_lines is not None else ocr.lines
        extraction = extract_fields(
            ocr.view.pixels if ocr.view is not None else photo,
            card_lines,
            options,
            self.extractor,
            mrz_reader=self.mrz_reader,
            photo=photo,
            use_qr=self.settings.CARD_QR,
        )
        finished = time.perf_counter()
        return ExtractionResult(
            ocr=ocr,
            fields=extraction.fields,
            llm_usage=extraction.llm_usage,
            ocr_ms=round((read_done - started) * 1000, 2),
            extraction_ms=round((finished - read_done) * 1000, 2),
            card=extraction.card,
        )

    def llm_status(self) -> str:
        """``not_configured``, or whether the LLM server answers right now."""
        if not isinstance(self.extractor, LlmExtractor):
            return "not_configured"
        return "reachable" if self.extractor.client.ping() else "unreachable"

    def close(self) -> None:
        self.predictor.close()
        self.extractor.close()
        if self.mrz_reader is not None:
            self.mrz_reader.close()


def warm_up_gazetteer() -> None:
    """Build the address gazetteer at start-up (about a second), not in a first request;
    say so once when its package is missing, since addresses then go unsnapped."""
    try:
        addresses.warm_up()
    except RuntimeError:
        log.warning(
            "the address gazetteer (vietnamadminunits) is not installed: addresses are "
            "returned as read, without snapping or address_entities"
        )


def build_mrz_reader(settings: Settings) -> MrzReader | None:
    """Tesseract ``eng`` limited to the MRZ alphabet, for MRZ lines the recognizer misread;
    None (MRZ read from the OCR text alone) where no ``eng`` model is installed."""
    try:
        return MrzReader(settings.tessdata_path())
    except (ModelLoadError, SettingsError):
        log.warning("no Tesseract eng model: MRZ lines are read by the main recognizer only")
        return None


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
