"""Reading a card's evidence: labels, card type, QR payload (where the side prints one)."""

from __future__ import annotations

import numpy as np

from id_card_scan.cards.evidence import EvidenceReader
from id_card_scan.synth import render_card
from tests.extraction.test_rules import CHIP_FRONT

BLANK = np.full((40, 40, 3), 255, dtype=np.uint8)  # no QR code to find


def _chip_photo_with_qr() -> tuple[np.ndarray, dict[str, str]]:
    card = render_card(seed=5, kind="chip_cccd_front")
    return np.asarray(card.image.convert("RGB")), card.fields


def test_the_photo_as_uploaded_is_the_qr_decoders_second_chance() -> None:
    photo, printed = _chip_photo_with_qr()
    # The card view (here: nothing readable) has no QR code; the uploaded photo has.
    evidence = EvidenceReader().read(BLANK, CHIP_FRONT, photo=photo)
    assert evidence.qr is not None
    assert evidence.qr.fields["id_number"] == printed["id_number"]
    assert evidence.card.name == "chip_cccd_front" and "qr" in evidence.card.evidence


def test_qr_decoding_can_be_turned_off() -> None:
    photo, _ = _chip_photo_with_qr()
    assert EvidenceReader(read_qr=False).read(photo, CHIP_FRONT).qr is None
    assert EvidenceReader().read(photo, CHIP_FRONT, want_qr=False).qr is None


def test_every_line_is_kept_with_its_labels_found() -> None:
    evidence = EvidenceReader().read(BLANK, CHIP_FRONT)
    assert evidence.lines == CHIP_FRONT and len(evidence.hits) == len(CHIP_FRONT)
    assert evidence.card.name == "chip_cccd_front" and evidence.mrz is None
