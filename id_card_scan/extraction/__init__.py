"""Turning OCR lines into the fields a caller asks for.

The card's own evidence (QR, MRZ, printed labels: :mod:`id_card_scan.extraction.fusion`)
answers the fields it carries; the rest go to an :class:`Extractor` (the LLM). A field
nothing can answer stays ``None`` with a stated reason: nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from id_card_scan.cards.card_type import CardGuess
from id_card_scan.ocr.types import Line

ExtractionMode = Literal["one_call", "per_field"]


@dataclass(frozen=True)
class ExtractionOptions:
    """The caller's request: field key -> Vietnamese description, plus SPEC's knobs."""

    fields: dict[str, str]
    mode: ExtractionMode = "one_call"
    parallel: bool = True
    batch_size: int = 3
    llm_timeout: float = 30.0


@dataclass
class FieldValue:
    value: str | None
    source: str | None = None
    confidence: float = 0.0
    problems: list[str] = field(default_factory=list)
    # For an address: street, ward, district and province as the official gazetteer
    # names them (the printed text where a part is not in it).
    address: dict[str, str | None] | None = None


@dataclass
class LlmUsage:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: LlmUsage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


@dataclass
class Extraction:
    fields: dict[str, FieldValue]
    llm_usage: LlmUsage = field(default_factory=LlmUsage)
    card: CardGuess | None = None  # the card type and side, when the evidence was read


class Extractor(Protocol):
    def extract(self, lines: list[Line], options: ExtractionOptions) -> Extraction: ...

    def close(self) -> None: ...


class NoExtractor:
    """Answers every field with ``None`` and says why: no LLM is configured.

    It only receives the fields the card's evidence cannot answer: those that name nothing
    printed on a card (see :mod:`id_card_scan.extraction.catalogue`).
    """

    PROBLEM = (
        "NO_EXTRACTOR: this field is not one printed on the card, so only an LLM could "
        "answer it, and none is configured (LLM_MODEL)"
    )

    def extract(self, lines: list[Line], options: ExtractionOptions) -> Extraction:
        return Extraction(
            {key: FieldValue(value=None, problems=[self.PROBLEM]) for key in options.fields}
        )

    def close(self) -> None:
        return None
