"""Is a value the LLM returned actually on the card? Checked against the OCR text.

Tolerant to case, spacing and punctuation (an LLM rewrites 12-03-1994 as 12/03/1994 and
joins an address's two lines), strict about letters and digits. A value whose words are
on the card only without their diacritics is reported, not silently trusted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from id_card_scan.ocr.types import Line
from id_card_scan.text import strip_marks

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Grounding:
    supported: bool
    problem: str | None  # None when the value is on the card as written
    confidence: float  # the OCR confidence of the lines that carry the value


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text).casefold()
    return [token for token in _SEPARATORS.split(folded) if token]


def ground(value: str, lines: list[Line]) -> Grounding:
    value_tokens = _tokens(value)
    if not value_tokens:
        return Grounding(False, "EMPTY_VALUE: the LLM returned no letters or digits", 0.0)
    line_tokens = [_tokens(line.text) for line in lines]
    flat = "".join(token for tokens in line_tokens for token in tokens)
    carrying = [
        line.confidence
        for line, tokens in zip(lines, line_tokens, strict=True)
        if set(tokens) & set(value_tokens)
    ]
    confidence = min(carrying) if carrying else 0.0
    # The value's characters in one run of the card's text: read as written.
    if "".join(value_tokens) in flat:
        return Grounding(True, None, confidence)
    # Every word on the card, though not in one run (an address split across lines).
    vocabulary = {token for tokens in line_tokens for token in tokens}
    if all(token in vocabulary for token in value_tokens):
        return Grounding(True, None, confidence)
    bare_vocabulary = {strip_marks(token) for token in vocabulary}
    if all(strip_marks(token) in bare_vocabulary for token in value_tokens):
        return Grounding(
            True,
            "DIACRITICS_DIFFER: the value's words are on the card with other diacritics",
            confidence * 0.5,
        )
    return Grounding(False, "NOT_IN_OCR_TEXT: the LLM's value is not on the card", 0.0)
