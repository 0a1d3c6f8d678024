"""Which card and which side an image shows, from its printed text, QR code and MRZ.

The printed titles and labels decide first: each side's expected texts
(:mod:`id_card_scan.cards.labels`) are compared with the texts found, and the side whose
set agrees best (see :func:`side_scores`; weighted by text length, so that "CĂN CƯỚC CÔNG
DÂN" counts more than "Sex") wins. A decoded QR payload or an MRZ then confirms or settles it:
only the chip CCCD front and the Căn cước back carry a QR code, only the chip CCCD and
Căn cước backs an MRZ. The 9- and 12-digit CMND fronts print different labels ("Họ tên" /
"Họ và tên", "Sinh ngày" / "Ngày, tháng, năm sinh", …) and numbers of different lengths;
the number settles it when it was read, the labels otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from id_card_scan.cards.labels import CARD_SIDES, SIDES_BY_NAME, Hit, fold_text, resolve

# Below this overlap nothing is claimed: too little of any card's text was read.
MIN_SCORE = 0.12

_DIGIT_RUN = re.compile(r"\d[\d ]{7,14}\d")


@dataclass(frozen=True)
class CardGuess:
    card_type: str | None  # e.g. "chip_cccd"; None: not recognised
    side: str | None  # "front" / "back"
    confidence: float  # 0..1
    evidence: tuple[str, ...] = ()  # "labels", "qr", "mrz"

    @property
    def name(self) -> str | None:
        return f"{self.card_type}_{self.side}" if self.card_type and self.side else None

    def can_carry_qr(self) -> bool:
        """Whether a QR code may be on this image (unknown cards: maybe)."""
        side = SIDES_BY_NAME.get(self.name or "")
        return side is None or side.qr or self.confidence < 0.75


UNKNOWN = CardGuess(None, None, 0.0)


def _expected(side_name: str) -> dict[str, int]:
    side = SIDES_BY_NAME[side_name]
    texts = [part for label in side.labels for part in label.parts()] + list(side.titles)
    return {fold_text(text): len(fold_text(text)) for text in texts}


_EXPECTED = {side.name: _expected(side.name) for side in CARD_SIDES}


def side_scores(hits: list[list[Hit]]) -> dict[str, float]:
    """How well each side's expected texts agree with the texts found, 0..1.

    Precision (found texts the side prints) matters most: an English label found rules
    out the cards printed without English, however little else was read. Recall (the
    side's texts that were found) breaks ties, softened because photos lose lines.
    """
    found: dict[str, int] = {}
    for line_hits in resolve(hits):
        for hit in line_hits:
            found[hit.pattern.text] = len(hit.pattern.text)
    total_found = sum(found.values())
    scores = {}
    for name, expected in _EXPECTED.items():
        common = sum(weight for text, weight in expected.items() if text in found)
        if not common:
            scores[name] = 0.0
            continue
        precision = common / total_found
        recall = common / sum(expected.values())
        scores[name] = precision * recall**0.5
    return scores


def detect_card(
    texts: list[str],
    hits: list[list[Hit]],
    *,
    qr_layout: str | None = None,
    mrz_vietnamese: bool = False,
) -> CardGuess:
    """The card type and side, with a confidence.

    ``qr_layout``: the layout of a decoded card QR (``chip_cccd`` or ``can_cuoc_2024``);
    ``mrz_vietnamese``: a Vietnamese TD1 zone was read.
    """
    scores = side_scores(hits)
    evidence = ["labels"]
    if qr_layout is not None:
        # The chip CCCD's QR is on its front, the Căn cước's on its back.
        qr_side = "chip_cccd_front" if qr_layout == "chip_cccd" else "can_cuoc_2024_back"
        scores[qr_side] = scores.get(qr_side, 0.0) + 0.5
        evidence.append("qr")
    if mrz_vietnamese:
        for name in ("chip_cccd_back", "can_cuoc_2024_back"):
            scores[name] = scores.get(name, 0.0) + 0.4
        evidence.append("mrz")
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, best_score = ranked[0]
    # The runner-up is the best side that prints something else.
    second_score = next(
        (score for name, score in ranked if _EXPECTED[name] != _EXPECTED[best]), 0.0
    )
    if best_score < MIN_SCORE:
        return UNKNOWN
    best = _cmnd_length(best, texts, hits)
    best = _bilingual_citizen_card(best, texts, hits)
    # Confident when the best side clearly beats the runner-up, and enough was read.
    margin = (best_score - second_score) / best_score
    confidence = min(1.0, best_score * 1.6) * (0.5 + 0.5 * min(1.0, margin * 3))
    side = SIDES_BY_NAME[best]
    return CardGuess(side.card_type, side.side, round(confidence, 3), tuple(evidence))


def _cmnd_length(name: str, texts: list[str], hits: list[list[Hit]]) -> str:
    """A CMND front's number, when read, tells the 9-digit card from the 12-digit one,
    unless their own labels already do.

    Their labels differ ("Họ tên" / "Họ và tên", "Sinh ngày" / "Ngày, tháng, năm sinh",
    "Nguyên quán" / "Quê quán"), but a photo may show few of them, and the red number's
    "Số" is often read as two or three more digits ("56060904509"): the number's length
    decides unless one card's own labels were found at least two more times.
    """
    if not name.startswith("cmnd_") or not name.endswith("_front"):
        return name
    found = {hit.pattern.text for line_hits in resolve(hits) for hit in line_hits}
    nine, twelve = (len(found & _OWN_LABELS[side]) for side in ("cmnd_9_front", "cmnd_12_front"))
    if abs(nine - twelve) >= 2:
        return "cmnd_9_front" if nine > twelve else "cmnd_12_front"
    lengths = {len(run.replace(" ", "")) for text in texts for run in _DIGIT_RUN.findall(text)}
    if 12 in lengths and 9 not in lengths:
        return "cmnd_12_front"
    if 9 in lengths and 12 not in lengths:
        return "cmnd_9_front"
    return name


# A label with a slash after it ("Ngày sinh /", "Giới tính/"): an English caption follows.
_SLASH_AFTER = re.compile(r"\s{0,2}/")
# How many of a front's labels must show their slash to tell the chip card: one may be
# a stray mark.
_BILINGUAL_LABELS = 1


def _bilingual_citizen_card(name: str, texts: list[str], hits: list[list[Hit]]) -> str:
    """A CCCD front whose labels are followed by a slash is the chip card's, which prints
    English captions after them ("Ngày sinh / Date of birth"); the 2016 card prints none.
    The captions themselves are often read too badly to match (glare, small print)."""
    if name != "cccd_2016_front":
        return name
    slashed = sum(
        1
        for line_hits in resolve(hits)
        for hit in line_hits
        if _SLASH_AFTER.match(texts[hit.line], hit.end)
    )
    return "chip_cccd_front" if slashed >= _BILINGUAL_LABELS else name


def _own_labels(name: str, other: str) -> frozenset[str]:
    """The folded field labels one side prints and the other does not."""

    def labels(side_name: str) -> set[str]:
        side = SIDES_BY_NAME[side_name]
        return {fold_text(part) for label in side.labels if label.key for part in label.parts()}

    return frozenset(labels(name) - labels(other))


_OWN_LABELS = {
    "cmnd_9_front": _own_labels("cmnd_9_front", "cmnd_12_front"),
    "cmnd_12_front": _own_labels("cmnd_12_front", "cmnd_9_front"),
}
