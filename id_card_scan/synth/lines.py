"""Text-line crops as a recognizer sees them, cut out of generated card photos.

The line recognizer is trained and measured on these: each printed line of a generated
card (and of its photo, in any capture) is cut with the detector's kind of imprecision (a
box a little larger or smaller than the ink, shifted), the way the pipeline cuts it
(:func:`id_card_scan.ocr.crops.crop_quad`), and labelled with the text printed there. A
label and its value on one row are sometimes cut as one box, as the detector often does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from id_card_scan.ocr.crops import crop_quad
from id_card_scan.synth.capture import CAPTURE_VARIANTS, capture
from id_card_scan.synth.cards import CARD_KINDS, render_card
from id_card_scan.synth.rng import choice, make_rng, uniform
from id_card_scan.synth.types import TextLine

# How often each capture is drawn: photos are what the service is judged on.
CAPTURE_WEIGHTS: dict[str, float] = {
    "flat": 0.15,
    "camera": 0.2,
    "phone": 0.35,
    "lowres": 0.15,
    "screen": 0.15,
}
LINE_KINDS = ("label", "name", "address", "date", "number", "mrz", "text")
_MRZ = re.compile(r"[A-Z0-9<]{25,}")
_KIND_OF_FIELD = {
    "full_name": "name",
    "place_of_origin": "address",
    "place_of_residence": "address",
    "place_of_birth_registration": "address",
    "date_of_birth": "date",
    "date_of_issue": "date",
    "date_of_expiry": "date",
    "id_number": "number",
    "old_id_number": "number",
    "mrz": "mrz",
}


@dataclass(frozen=True)
class LineSample:
    image: np.ndarray  # RGB uint8, the text upright
    text: str
    kind: str  # one of LINE_KINDS


def line_kind(line: TextLine) -> str:
    """What a printed line holds: a label, a name, an address, a date, a number, MRZ."""
    if line.is_label:
        return "label"
    if line.field in _KIND_OF_FIELD:
        return _KIND_OF_FIELD[line.field]
    if "<" in line.text and _MRZ.fullmatch(line.text.replace(" ", "")):
        return "mrz"
    return "text"


def card_line_samples(
    seed: int,
    *,
    kinds: Sequence[str] = CARD_KINDS,
    variant: str | None = None,
    jitter: bool = True,
    merge: float = 0.15,
) -> list[LineSample]:
    """Every printed line of one generated card photo (seed ``seed``), cut as the
    detector would cut it. ``variant``: the capture (drawn by :data:`CAPTURE_WEIGHTS`
    when None); ``merge``: how often a label and the value beside it make one box."""
    rng = make_rng(seed, "line-samples")
    kind = choice(rng, list(kinds))
    if variant is None:
        names = [name for name in CAPTURE_WEIGHTS if name in CAPTURE_VARIANTS]
        weights = np.array([CAPTURE_WEIGHTS[name] for name in names])
        variant = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    photo = capture(render_card(seed=seed, kind=kind), seed=seed, variant=variant)
    pixels = np.asarray(photo.image.convert("RGB"))
    samples = []
    for group in _boxes(photo.lines, rng, merge):
        quad = _union(group)
        if jitter:
            quad = _jitter(quad, rng)
        text = " ".join(line.text for line in group)
        crop = crop_quad(pixels, quad)
        if crop.shape[0] >= 4 and crop.shape[1] >= 4 and text.strip():
            samples.append(LineSample(crop, text, line_kind(group[-1])))
    return samples


def _boxes(lines: list[TextLine], rng: np.random.Generator, merge: float) -> list[list[TextLine]]:
    """The lines, a label sometimes joined with the value that follows it on its row."""
    groups: list[list[TextLine]] = []
    for line in lines:
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and previous.is_label
            and not line.is_label
            and _same_row(previous, line)
            and rng.random() < merge
        ):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _same_row(a: TextLine, b: TextLine) -> bool:
    qa, qb = np.asarray(a.quad), np.asarray(b.quad)
    height = np.linalg.norm(qa[3] - qa[0])
    return bool(np.linalg.norm(qa[:, 1].mean() - qb[:, 1].mean()) < 0.5 * max(height, 1.0))


def _union(group: list[TextLine]) -> np.ndarray:
    """The box over a row of lines: the first's left edge to the last's right edge."""
    first, last = np.asarray(group[0].quad, np.float32), np.asarray(group[-1].quad, np.float32)
    return np.array([first[0], last[1], last[2], first[3]], np.float32)


def _jitter(quad: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The quad grown or shrunk and shifted as detected boxes are (DB's unclip makes them
    taller than the ink: mostly grown)."""
    top, bottom = (quad[0] + quad[1]) / 2, (quad[3] + quad[2]) / 2
    left, right = (quad[0] + quad[3]) / 2, (quad[1] + quad[2]) / 2
    height = max(float(np.linalg.norm(bottom - top)), 1.0)
    width = max(float(np.linalg.norm(right - left)), 1.0)
    down = (bottom - top) / height
    along = (right - left) / width
    grow_top, grow_bottom = (height * uniform(rng, -0.05, 0.35) for _ in range(2))
    grow_left, grow_right = (height * uniform(rng, -0.1, 0.6) for _ in range(2))
    shift = down * height * uniform(rng, -0.08, 0.08)
    return np.array(
        [
            quad[0] - down * grow_top - along * grow_left + shift,
            quad[1] - down * grow_top + along * grow_right + shift,
            quad[2] + down * grow_bottom + along * grow_right + shift,
            quad[3] + down * grow_bottom - along * grow_left + shift,
        ],
        np.float32,
    )
