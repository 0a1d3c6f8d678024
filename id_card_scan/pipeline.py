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
from id_card_scan.cards.evidence import EvidenceReader
from id_card_scan.cards.labels import Hit, mend_lines
from id_card_scan.cards.mrz_reader import MrzReader
from id_card_scan.errors import ModelLoadError
from id_card_scan.extraction import (
    ExtractionOptions,
    Extractor,
    FieldValue,
    LlmUsage,
    NoExtractor,
)
from id_card_scan.extraction.fusion import extract_fields, wants_card_fields
from id_card_scan.extraction.llm import LlmExtractor
from id_card_scan.geometry import CardGeometry, CardView, build_card_geometry
from id_card_scan.images import decode_image
from id_card_scan.llm import ChatClient
from id_card_scan.ocr import Line, OcrPredictor, OcrResult, build_predictor
from id_card_scan.settings import Settings, SettingsError

log = logging.getLogger(__name__)


@dataclass
class CardScan:
    """One image read: the card found in it and every line on the card.

    ``lines`` are all the lines read, whatever their confidence, in the view's
    coordinates (what evidence and extraction read); :meth:`ocr_result` gives what
    ``/ocr`` shows: the lines at or above TEXT_REC_CONF_THRESHOLD, in the uploaded image's
    coordinates.
    """

    photo: np.ndarray  # RGB, as uploaded (EXIF orientation applied)
    view: CardView
    lines: list[Line]
    timings_ms: dict[str, float]
    hits: list[list[Hit]]  # per line, the titles and labels found in it
    # Uploaded pixels per ``photo`` pixel (x, y): a large upload is decoded reduced.
    upload_scale: tuple[float, float] = (1.0, 1.0)

    def ocr_result(self, min_confidence: float) -> OcrResult:
        scale = np.asarray(self.upload_scale, dtype=np.float64)
        shown = [
            replace(line, quad=(self.view.to_original_points(line.quad) * scale).astype(np.float32))
            for line in self.lines
            if line.confidence >= min_confidence
        ]
        return OcrResult(lines=shown, timings_ms=dict(self.timings_ms))


@dataclass
class ExtractionResult:
    ocr: OcrResult  # the lines /ocr would show, for display_text_box
    fields: dict[str, FieldValue]
    llm_usage: LlmUsage
    ocr_ms: float
    extraction_ms: float
    card: CardGuess | None = None  # the card type and side the evidence showed
    view: CardView | None = None  # where the card was found in the image


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
        self.evidence = EvidenceReader(mrz_reader, read_qr=settings.CARD_QR)
        # Shares the predictor's detector; its orientation model loads here, once.
        self.geometry = geometry or build_card_geometry(settings, predictor.detector)

    @property
    def mrz_reader(self) -> MrzReader | None:
        return self.evidence.mrz_reader

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        """Every engine the settings name, built once: detector, recognizer, orientation
        classifier (in the geometry), MRZ reader, gazetteer and LLM client."""
        warm_up_gazetteer()
        return cls(
            settings,
            build_predictor(settings),
            build_extractor(settings),
            build_mrz_reader(settings),
        )

    def read(self, data: bytes) -> OcrResult:
        """OCR one uploaded image; raises an :class:`IdCardScanError` for a bad image."""
        return self.scan(data).ocr_result(self.settings.TEXT_REC_CONF_THRESHOLD)

    def read_pixels(self, pixels: np.ndarray) -> OcrResult:
        """OCR an already decoded RGB image (height x width x 3, uint8), as :meth:`read`."""
        return self.scan_pixels(pixels).ocr_result(self.settings.TEXT_REC_CONF_THRESHOLD)

    def scan(self, data: bytes) -> CardScan:
        """Decode, find and straighten the card, read every line on it."""
        started = time.perf_counter()
        image = decode_image(data, max_pixels=self.settings.MAX_IMAGE_PIXELS)
        decoded = time.perf_counter()
        scanned = self.scan_pixels(image.pixels)
        scanned.upload_scale = image.scale
        scanned.timings_ms["decode_ms"] = round((decoded - started) * 1000, 2)
        return scanned

    def scan_pixels(self, pixels: np.ndarray) -> CardScan:
        view = self.geometry.view(pixels)
        result = self.predictor.read(
            view.pixels, boxes=view.text_boxes, crop_from=(pixels, view.to_original_points)
        )
        # Titles and labels every card prints the same, written as printed.
        texts, hits = mend_lines([line.text for line in result.lines])
        lines = [replace(line, text=text) for line, text in zip(result.lines, texts, strict=True)]
        timings = dict(result.timings_ms)
        if view.text_boxes is not None:  # detection ran while orienting the card
            timings["detection_ms"] = view.timings_ms["detection_ms"]
        timings["geometry_ms"] = view.timings_ms["geometry_ms"]
        return CardScan(pixels, view, lines, timings, hits)

    def extract(self, data: bytes, options: ExtractionOptions) -> ExtractionResult:
        started = time.perf_counter()
        scanned = self.scan(data)
        read_done = time.perf_counter()
        # The rectified card and its lines: layout rules and QR decoding see a flat card;
        # the photo as uploaded is the QR decoder's second chance.
        evidence = self.evidence.read(
            scanned.view.pixels,
            scanned.lines,
            photo=scanned.photo,
            want_qr=wants_card_fields(options),
            hits=scanned.hits,
        )
        extraction = extract_fields(evidence, options, self.extractor)
        finished = time.perf_counter()
        return ExtractionResult(
            ocr=scanned.ocr_result(self.settings.TEXT_REC_CONF_THRESHOLD),
            fields=extraction.fields,
            llm_usage=extraction.llm_usage,
            ocr_ms=round((read_done - started) * 1000, 2),
            extraction_ms=round((finished - read_done) * 1000, 2),
            card=extraction.card,
            view=scanned.view,
        )

    def llm_status(self) -> str:
        """``not_configured``, or whether the LLM server answers right now."""
        if not isinstance(self.extractor, LlmExtractor):
            return "not_configured"
        return "reachable" if self.extractor.client.ping() else "unreachable"

    def close(self) -> None:
        self.predictor.close()
        self.extractor.close()
        self.evidence.close()


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
