"""The card's own evidence, read once per image from its view and its lines.

What one image tells about the card, before any field is asked for: every line read on
it (with its confidence: extraction weighs doubtful lines, it does not drop them), the
titles and labels found in them, the card's type and side, its QR payload and its
machine-readable zone. Field sources (:mod:`id_card_scan.extraction`) answer from this
value alone and never see pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from id_card_scan.cards.card_type import CardGuess, detect_card
from id_card_scan.cards.labels import Hit, scan
from id_card_scan.cards.mrz import MrzResult, read_mrz
from id_card_scan.cards.mrz_reader import MrzReader, read_zone
from id_card_scan.cards.qr import CardQr, read_card_qr
from id_card_scan.ocr.types import Line

# Enough for the QR passes that find small codes in phone photos; cards without a QR
# (CMND, the backs without one) are not searched at all, unknown cards pay at most this.
QR_TIME_BUDGET_S = 0.5


@dataclass
class Evidence:
    """What one image shows of its card."""

    lines: list[Line]  # every line read on the card view, in reading order
    hits: list[list[Hit]]  # per line, the titles and labels found in it
    card: CardGuess
    qr: CardQr | None = None
    mrz: MrzResult | None = None  # a Vietnamese TD1 zone, when one was read


class EvidenceReader:
    """Reads :class:`Evidence`; holds the engines it needs (built once), no request state."""

    def __init__(self, mrz_reader: MrzReader | None = None, *, read_qr: bool = True) -> None:
        self.mrz_reader = mrz_reader
        self.read_qr = read_qr

    def read(
        self,
        pixels: np.ndarray,
        lines: list[Line],
        *,
        photo: np.ndarray | None = None,
        want_qr: bool = True,
        hits: list[list[Hit]] | None = None,
    ) -> Evidence:
        """``pixels``: the card view the lines were read on; ``photo``: the image as
        uploaded, where the QR code is looked for again if the view has none readable
        (rectifying resamples: a small code can lose or gain sharpness); ``hits``: the
        labels already found in the lines, if they were looked for."""
        texts = [line.text for line in lines]
        hits = scan(texts) if hits is None else hits
        mrz = read_mrz(texts)
        if mrz is None and self.mrz_reader is not None:
            reread = self.mrz_reader.read(pixels, lines)
            if len(reread) >= 2:
                mrz = read_zone(reread)
        vietnamese_mrz = mrz is not None and "VNM" in (mrz.issuing_state, mrz.nationality)
        card = detect_card(texts, hits, mrz_vietnamese=vietnamese_mrz)
        qr = None
        # Decoding costs up to QR_TIME_BUDGET_S: only where this side may print a QR code.
        if self.read_qr and want_qr and card.can_carry_qr():
            qr = read_card_qr(pixels, time_budget_s=QR_TIME_BUDGET_S)
            if qr is None and photo is not None and photo is not pixels:
                qr = read_card_qr(photo, time_budget_s=QR_TIME_BUDGET_S)
            if qr is not None:
                card = detect_card(texts, hits, qr_layout=qr.layout, mrz_vietnamese=vietnamese_mrz)
        return Evidence(lines, hits, card, qr, mrz if vietnamese_mrz else None)

    def close(self) -> None:
        if self.mrz_reader is not None:
            self.mrz_reader.close()
