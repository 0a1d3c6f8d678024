"""Answering the caller's fields from the card's own evidence, per field, then the LLM.

Four field sources turn the evidence of one image into candidate values with a
confidence: the QR code (chip CCCD front, Căn cước back: exact text), the MRZ (chip CCCD
and Căn cước backs: proven by check digits), the rules (values beside their printed
labels, :mod:`id_card_scan.extraction.rules`) and the LLM. For each field the caller
names that maps to the catalogue, the most confident candidate wins, agreement raises its
confidence, and every source that says otherwise is reported in the field's problems
(``CONFLICT: mrz says '...'``); problems go to the response, never to logs (card text).

Fields that map to nothing in the catalogue, and mapped fields the card's evidence does
not answer confidently, go to the configured extractor (the LLM). With no LLM configured,
mapped fields are answered from the evidence alone and the others say they need the LLM.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from id_card_scan.cards import addresses
from id_card_scan.cards.card_type import UNKNOWN, CardGuess
from id_card_scan.cards.evidence import Evidence
from id_card_scan.cards.fuzzy import mend_words, plain, similarity
from id_card_scan.cards.labels import SIDES_BY_NAME
from id_card_scan.cards.mrz import MrzResult, vietnamese_id_number
from id_card_scan.cards.qr import CardQr, CccdQr
from id_card_scan.extraction import (
    Extraction,
    ExtractionOptions,
    Extractor,
    FieldValue,
    NoExtractor,
)
from id_card_scan.extraction.catalogue import CATALOGUE, map_fields
from id_card_scan.extraction.rules import read_fields

# A decoded QR payload is exact unless the card itself is wrong.
QR_CONFIDENCE = 0.99
# MRZ fields proven by their own check digit; sex only by the composite digit.
MRZ_CHECKED_CONFIDENCE = 0.98
MRZ_SEX_CONFIDENCE = 0.95
# Which source's text is the truer when two agree.
_TRUST = {"qr": 3, "mrz": 2, "rules+qr": 1, "rules": 1}
# With an LLM configured, evidence this confident answers a field without asking it.
CONFIDENT = 0.8

_NAMES = {field.key: field.name_vi for field in CATALOGUE}
# Catalogue fields whose value is an address, answered with its parts too.
ADDRESS_FIELDS = frozenset({"place_of_origin", "place_of_residence", "place_of_birth_registration"})


def qr_values(qr: CardQr) -> dict[str, str]:
    """Catalogue key -> value from a decoded card QR."""
    values = dict(qr.fields)
    if isinstance(qr.payload, CccdQr) and qr.payload.old_id_number:
        values["old_id_number"] = qr.payload.old_id_number
    if "full_name" in values:
        # The card prints the name in capitals; the QR in mixed case. Answer as printed.
        values["full_name"] = values["full_name"].upper()
    return values


def mrz_values(mrz: MrzResult) -> dict[str, FieldValue]:
    """Catalogue key -> value from a Vietnamese TD1 zone, for the fields its digits prove."""
    found: dict[str, FieldValue] = {}
    number = vietnamese_id_number(mrz)
    if number is not None:
        found["id_number"] = FieldValue(number, "mrz", MRZ_CHECKED_CONFIDENCE)
    for key, day, check in (
        ("date_of_birth", mrz.birth_date, "birth_date"),
        ("date_of_expiry", mrz.expiry_date, "expiry_date"),
    ):
        if day is not None and mrz.checks.get(check):
            found[key] = FieldValue(day.strftime("%d/%m/%Y"), "mrz", MRZ_CHECKED_CONFIDENCE)
    if mrz.sex in ("M", "F"):
        confidence = MRZ_SEX_CONFIDENCE if mrz.checks.get("composite") else 0.7
        found["sex"] = FieldValue("Nam" if mrz.sex == "M" else "Nữ", "mrz", confidence)
    return found


def candidates(evidence: Evidence) -> dict[str, list[FieldValue]]:
    """Every source's value per catalogue key, the most trusted source first."""
    rules = read_fields(evidence.lines, evidence.hits, evidence.card)
    found: dict[str, list[FieldValue]] = {}
    if evidence.qr is not None:
        for key, value in qr_values(evidence.qr).items():
            found.setdefault(key, []).append(FieldValue(value, "qr", QR_CONFIDENCE))
    if evidence.mrz is not None:
        for key, value in mrz_values(evidence.mrz).items():
            found.setdefault(key, []).append(value)
    for key, value in rules.items():
        if value.value is not None:
            found.setdefault(key, []).append(value)
    return found


def fuse(key: str, options: list[FieldValue], evidence: Evidence) -> FieldValue | None:
    """The most confident candidate, confirmed by those that agree, with the others'
    disagreement stated."""
    if not options:
        return None
    options = _printed_address_first(options) if key in ADDRESS_FIELDS else options
    best = options[0] if options[0].source == "rules+qr" else None
    best = best or max(options, key=lambda option: option.confidence)
    # Where a surer kind of source reads the same, the value is that source's (the QR's
    # text is exact even where the printed reading was as confident).
    trusted = [o for o in options if _TRUST.get(o.source, 0) > _TRUST.get(best.source, 0)]
    best = next((o for o in trusted if _same(key, o.value, best.value)), best)
    chosen = FieldValue(best.value, best.source, best.confidence, list(best.problems))
    for other in options:
        if other is best:
            continue
        if _same(key, other.value, best.value):
            # Two independent readings agree: the doubt left is what both could share.
            chosen.confidence = 1 - (1 - chosen.confidence) * (1 - other.confidence) ** 0.5
        else:
            chosen.problems.append(f"CONFLICT: {other.source} says {other.value!r}")
    if key == "full_name" and evidence.mrz is not None and chosen.value:
        printed = " ".join(f"{evidence.mrz.surname} {evidence.mrz.given_names}".split())
        # MRZ names are cut at 30 characters and their fillers misread: only a clear
        # difference is a conflict.
        shown = _ascii_upper(chosen.value)[: len(printed)]
        if printed and similarity(shown, printed) < 0.8:
            chosen.problems.append(f"CONFLICT: mrz says {printed!r} (without diacritics)")
    chosen.confidence = round(chosen.confidence, 4)
    return chosen


# A printed address read this surely is the answer, the QR's words mending its letters:
# the card prints the address as registered, while the chip CCCD's QR code holds it in a
# shorter form of its own ("Phường 8" for "P8", no "Thị trấn").
_PRINTED_ADDRESS = 0.5


def _printed_address_first(options: list[FieldValue]) -> list[FieldValue]:
    """The printed reading, mended by the QR's words, first and marked ``rules+qr``, when
    it is sure enough to be the answer."""
    qr = next((o for o in options if o.source == "qr" and o.value), None)
    printed = next((o for o in options if o.source == "rules" and o.value), None)
    if qr is None or printed is None or printed.confidence < _PRINTED_ADDRESS:
        return options
    assert qr.value is not None and printed.value is not None
    if _bare(qr.value).startswith(_bare(printed.value)) and len(qr.value) > len(printed.value):
        return options  # the printed reading lost its last line(s): the QR's is whole
    mended = mend_words(printed.value, qr.value)
    # Read where the QR code agrees (its words mended the reading's letters) it is as
    # sure as the QR; where it says something else, as sure as its own reading.
    agreed = _same("place_of_residence", mended, qr.value)
    confidence = qr.confidence if agreed else max(printed.confidence, 0.9 * qr.confidence)
    repaired = FieldValue(mended, "rules+qr", confidence, list(printed.problems))
    return [repaired, *(option for option in options if option is not printed)]


def _bare(text: str) -> str:
    return "".join(c for c in plain(unicodedata.normalize("NFC", text)) if c.isalnum())


def address_entities(text: str | None) -> dict[str, str | None] | None:
    """Street, ward, district and province of an address (gazetteer names where found)."""
    if not text:
        return None
    try:
        parts = addresses.parse_address(text)
    except RuntimeError:  # the gazetteer is not installed (said once at start-up)
        return None
    return {
        "street": parts.street,
        "ward": parts.ward,
        "district": parts.district,
        "province": parts.province,
    }


def _same(key: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    if key in ("full_name", "place_of_residence", "place_of_origin"):
        return _ascii_upper(a) == _ascii_upper(b)
    return a == b


def _ascii_upper(text: str) -> str:
    bare = plain(unicodedata.normalize("NFC", text)).upper()
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


def _missing(key: str, card: CardGuess) -> str:
    """Why a catalogue field has no value on this image."""
    side = SIDES_BY_NAME.get(card.name or "")
    name = _NAMES.get(key, key)
    if side is not None and key not in side.fields():
        return f"NOT_ON_CARD: a {side.card_type} {side.side} does not print {name!r}"
    if side is None:
        return f"NOT_FOUND: no card type was recognised, and {name!r} was not read"
    return f"NOT_FOUND: {name!r} was not read on this {side.card_type} {side.side}"


def wants_card_fields(options: ExtractionOptions) -> bool:
    """Whether any requested field is one a card prints (else its evidence is not read)."""
    return any(map_fields(options.fields).values())


def extract_fields(
    evidence: Evidence, options: ExtractionOptions, extractor: Extractor
) -> Extraction:
    """The requested fields from the card's evidence, then the extractor (the LLM) for
    what it does not answer."""
    mapping = map_fields(options.fields)
    found = candidates(evidence)
    llm = not isinstance(extractor, NoExtractor)
    answered: dict[str, FieldValue] = {}
    fallback: dict[str, FieldValue] = {}
    for key, catalogue_key in mapping.items():
        if catalogue_key is None:
            continue
        fused = fuse(catalogue_key, found.get(catalogue_key, []), evidence)
        if fused is not None and catalogue_key in ADDRESS_FIELDS:
            fused.address = address_entities(fused.value)
        if fused is not None and (not llm or fused.confidence >= CONFIDENT):
            answered[key] = fused
        elif not llm:
            answered[key] = FieldValue(None, problems=[_missing(catalogue_key, evidence.card)])
        elif fused is not None:
            fallback[key] = fused  # doubtful: the LLM is asked, this stays if it fails
    remaining = {k: d for k, d in options.fields.items() if k not in answered}
    if not remaining:
        return Extraction(answered, card=evidence.card)
    rest = extractor.extract(evidence.lines, replace(options, fields=remaining))
    fields = {}
    for key in options.fields:
        if key in answered:
            fields[key] = answered[key]
            continue
        value = rest.fields[key]
        if value.value is None and key in fallback:
            kept = fallback[key]
            value = replace(kept, problems=[*kept.problems, *value.problems])
        fields[key] = value
    return Extraction(fields, rest.llm_usage, card=evidence.card)


__all__ = ["UNKNOWN", "extract_fields", "qr_values", "wants_card_fields"]
