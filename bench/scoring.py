"""Scoring OCR and extraction against generated ground truth: edit distances and matches.

Line CER is measured by aligning each ground-truth line against the whole OCR text
(semi-global alignment: the line may sit anywhere in it). That makes the figure
independent of how the detector happened to split or merge lines, and of reading order,
so it measures recognition, which is what the recognizer levers change.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from id_card_scan.text import strip_marks

# What a reader without tone marks gets right: the core's own notion of it.
strip_diacritics = strip_marks


def squash(text: str) -> str:
    """NFC with runs of whitespace made one space, the form values are compared in."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def substring_distance(needle: str, haystack: str) -> int:
    """The fewest edits that turn ``needle`` into some substring of ``haystack``.

    Sellers' algorithm, one numpy row per character of ``needle``; the cost of skipping
    into the haystack is zero at both ends.
    """
    if not needle:
        return 0
    if not haystack:
        return len(needle)
    hay = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
    positions = np.arange(len(hay) + 1, dtype=np.int64)
    row = np.zeros(len(hay) + 1, dtype=np.int64)  # a match may start anywhere
    for i, char in enumerate(needle, start=1):
        cost = (hay != ord(char)).astype(np.int64)
        diagonal_or_up = np.empty_like(row)
        diagonal_or_up[0] = i
        diagonal_or_up[1:] = np.minimum(row[:-1] + cost, row[1:] + 1)
        # Insertions run left to right: D[j] = min_k<=j (E[k] + j - k).
        row = np.minimum.accumulate(diagonal_or_up - positions) + positions
    return int(row.min())


def line_errors(truth_lines: list[str], ocr_text: str) -> tuple[int, int]:
    """(edits, characters) summed over ``truth_lines`` aligned into ``ocr_text``."""
    edits = sum(substring_distance(squash(line), ocr_text) for line in truth_lines)
    return edits, sum(len(squash(line)) for line in truth_lines)


def cer(edits: int, characters: int) -> float:
    return edits / characters if characters else 0.0
