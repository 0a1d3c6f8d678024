"""Answering the caller's fields from the card's own evidence first, the extractor after.

A readable QR code (chip CCCD, Căn cước 2024) carries the ID number, name, birth date,
sex, residence and issue date as plain text: better evidence than any reading of the
printed text, so fields that map to those catalogue entries come from it. The rest go to
the configured extractor (the LLM, or none).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from id_card_scan.cards.qr import CardQr, CccdQr, read_card_qr
from id_card_scan.extraction import Extraction, ExtractionOptions, Extractor, FieldValue
from id_card_scan.extraction.catalogue import map_fields
from id_card_scan.ocr.types import Line

# A decoded QR payload is exact unless the card itself is wrong.
QR_CONFIDENCE = 0.99
# Enough for the QR passes that find small codes in phone photos; cards without a QR
# (CMND, the backs without one) pay at most this.
QR_TIME_BUDGET_S = 0.5


def qr_values(qr: CardQr) -> dict[str, str]:
    """Catalogue key -> value from a decoded card QR."""
    values = dict(qr.fields)
    if isinstance(qr.payload, CccdQr) and qr.payload.old_id_number:
        values["old_id_number"] = qr.payload.old_id_number
    if "full_name" in values:
        # The card prints the name in capitals; the QR in mixed case. Answer as printed.
        values["full_name"] = values["full_name"].upper()
    return values


def extract_fields(
    pixels: np.ndarray, lines: list[Line], options: ExtractionOptions, extractor: Extractor
) -> Extraction:
    mapping = map_fields(options.fields)
    from_qr: dict[str, str] = {}
    if any(mapping.values()):
        qr = read_card_qr(pixels, time_budget_s=QR_TIME_BUDGET_S)
        if qr is not None:
            from_qr = qr_values(qr)
    answered = {
        key: FieldValue(from_qr[catalogue_key], "qr", QR_CONFIDENCE)
        for key, catalogue_key in mapping.items()
        if catalogue_key in from_qr
    }
    remaining = {k: d for k, d in options.fields.items() if k not in answered}
    if not remaining:
        return Extraction(answered)
    rest = extractor.extract(lines, replace(options, fields=remaining))
    fields = {key: answered.get(key) or rest.fields[key] for key in options.fields}
    return Extraction(fields, rest.llm_usage)
