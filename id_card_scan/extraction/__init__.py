"""Turning OCR lines into the fields a caller asks for.

Extractors (rules, QR, MRZ, an LLM) plug in behind :class:`Extractor`. Until one can
answer a field, the field stays ``None`` with a stated reason: nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from id_card_scan.ocr.types import Line


@dataclass(frozen=True)
class ExtractionOptions:
    """The caller's request: field key -> Vietnamese description, plus SPEC's knobs."""

    fields: dict[str, str]
    parallel: bool = True
    batch_size: int = 3
    llm_timeout: float = 30.0


@dataclass
class FieldValue:
    value: str | None
    source: str | None = None
    confidence: float = 0.0
    problems: list[str] = field(default_factory=list)


class Extractor(Protocol):
    def extract(self, lines: list[Line], options: ExtractionOptions) -> dict[str, FieldValue]: ...


class NoExtractor:
    """Answers every field with ``None`` and says why: no extractor is available yet."""

    PROBLEM = "NO_EXTRACTOR: no rules or LLM extractor is available for this field"

    def extract(self, lines: list[Line], options: ExtractionOptions) -> dict[str, FieldValue]:
        return {key: FieldValue(value=None, problems=[self.PROBLEM]) for key in options.fields}
