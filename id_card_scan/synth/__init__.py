"""Deterministic synthetic Vietnamese identity cards with exact ground truth, for tests and
benchmarks. Every holder is invented; no real person's data is used.
"""

from id_card_scan.synth.capture import CAPTURE_VARIANTS, capture
from id_card_scan.synth.cards import CARD_KINDS, render_card
from id_card_scan.synth.text_line import render_text_line
from id_card_scan.synth.types import SyntheticCard, TextLine

__all__ = [
    "CAPTURE_VARIANTS",
    "CARD_KINDS",
    "SyntheticCard",
    "TextLine",
    "capture",
    "render_card",
    "render_text_line",
]
