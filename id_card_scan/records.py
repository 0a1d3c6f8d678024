"""Per-image result records: the JSON-ready dicts of the API's ``data.results`` entries.

Flask-free, so that the web layer and the command line build them the same way.
"""

from __future__ import annotations

from typing import Any

from id_card_scan.cards.card_type import CardGuess
from id_card_scan.errors import IdCardScanError
from id_card_scan.extraction import FieldValue
from id_card_scan.ocr import OcrResult
from id_card_scan.pipeline import ExtractionResult


def ocr_data(result: OcrResult) -> list[dict[str, Any]]:
    return [
        {"text": line.text, "confidence": line.confidence, "box": line.int_box()}
        for line in result.lines
    ]


def ocr_item(filename: str, result: OcrResult, *, display_text_box: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"filename": filename}
    if display_text_box:
        item["ocr_data"] = ocr_data(result)
    else:
        item["text_lines"] = [line.text for line in result.lines]
    item["processing_time"] = {
        "detection_ms": result.timings_ms["detection_ms"],
        "recognition_ms": result.timings_ms["recognition_ms"],
    }
    return item


def extract_item(
    filename: str, result: ExtractionResult, *, display_text_box: bool
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "filename": filename,
        "extracted_fields": {key: field.value for key, field in result.fields.items()},
        "field_details": {key: _field_detail(field) for key, field in result.fields.items()},
        "card": card_detail(result.card),
    }
    if display_text_box:
        item["ocr_data"] = ocr_data(result.ocr)
    item["processing_time"] = {"ocr_ms": result.ocr_ms, "extraction_ms": result.extraction_ms}
    item["llm_usage"] = {
        "requests": result.llm_usage.requests,
        "prompt_tokens": result.llm_usage.prompt_tokens,
        "completion_tokens": result.llm_usage.completion_tokens,
    }
    return item


def card_detail(card: CardGuess | None) -> dict[str, Any]:
    """The card type and side the image shows (nulls: not recognised)."""
    if card is None or card.card_type is None:
        return {"type": None, "side": None, "confidence": 0.0}
    return {"type": card.card_type, "side": card.side, "confidence": round(card.confidence, 3)}


def _field_detail(field: FieldValue) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "value": field.value,
        "source": field.source,
        "confidence": round(field.confidence, 4),
        "problems": list(field.problems),
    }
    if field.address is not None:
        detail["address_entities"] = dict(field.address)
    return detail


def error_item(filename: str, error: IdCardScanError) -> dict[str, Any]:
    return {"filename": filename, "error_code": error.code, "message": error.message}


def is_error(record: dict[str, Any]) -> bool:
    return "error_code" in record
