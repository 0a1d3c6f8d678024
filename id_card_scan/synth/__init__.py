"""Deterministic synthetic Vietnamese identity cards with exact ground truth, for tests and
benchmarks: both sides of every card generation (kinds ``<card type>_<side>``), with their
QR payloads and machine-readable zones. Every holder is invented; no real person's data is
used.
"""

from id_card_scan.synth.capture import CAPTURE_VARIANTS, capture
from id_card_scan.synth.cards import CARD_KINDS, CARD_TYPES, card_type, render_card
from id_card_scan.synth.text_line import render_text_line
from id_card_scan.synth.types import SyntheticCard, TextLine

__all__ = [
    "CAPTURE_VARIANTS",
    "CARD_KINDS",
    "CARD_TYPES",
    "SyntheticCard",
    "TextLine",
    "capture",
    "card_type",
    "render_card",
    "render_text_line",
]
