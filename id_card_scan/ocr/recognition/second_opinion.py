"""Tesseract for Vietnamese text, with PP-OCR's second opinion where Tesseract is unsure.

Tesseract's ``vie`` model keeps diacritics but is unsure of the large red ID digits and
sometimes scatters punctuation into them (``.0362004404”71`` at 0.52), so the line falls
under TEXT_REC_CONF_THRESHOLD and the ID number is lost. The packaged PP-OCR recognizer
reads digits almost perfectly but has no Vietnamese letters (``Nữ`` -> ``N``). So:

- only some lines are re-read (PP-OCR costs ~45 ms a line on a CPU: re-reading every
  line would double the recognition time): those Tesseract is unsure of and that are
  about digits, or that it would drop; those where a digit look-alike letter touches a
  digit (``Ngày Ö7 tháng O2``, read at 0.95); and machine-readable-zone lines, whose
  OCR-B capitals, digits and ``<`` Tesseract's ``vie`` model reads poorly (``TDVNM0957ó15``
  at 0.3) and PP-OCR reads exactly;
- where the two readings differ only in digits and punctuation, PP-OCR's are taken;
  letters always stay Tesseract's, except in an MRZ line, which has no Vietnamese;
- when the two agree on every character PP-OCR can read, the line gets the higher of the
  two confidences: two different models read it the same way.
- a line Tesseract would drop (the English half of a label or a caption in small print,
  read at 0.4) that PP-OCR reads surely as plain ASCII, and as the same line, is kept:
  its unmarked letters from PP-OCR, Tesseract's letters with marks left as they were.
"""

from __future__ import annotations

import difflib
import re

import numpy as np

from id_card_scan.ocr.recognition import Recognizer
from id_card_scan.ocr.recognition.ppocr import PPOCRRecognizer
from id_card_scan.ocr.types import Recognition
from id_card_scan.text import strip_marks

# A line Tesseract is at least this sure of is left alone.
SURE = 0.9
# PP-OCR's reading is only used when it is this sure of it.
SECOND_OPINION_FLOOR = 0.8
# ... and only this sure to keep a line Tesseract would drop.
RESCUE_FLOOR = 0.9
# Letters Tesseract writes for digits it misreads: O for 0, l/I for 1, S for 5, B for 8 ...
_DIGIT_LOOKALIKES = frozenset("OoQDIl|SsBZzGgTbÖØóòôõÓÒÔ")
_LOOKALIKE_BY_DIGIT = re.compile(
    "(?<=[0-9])[{0}]|[{0}](?=[0-9])".format(re.escape("".join(sorted(_DIGIT_LOOKALIKES))))
)
# A machine-readable-zone line as PP-OCR writes it: ICAO 9303's alphabet, fillers included.
_MRZ_LINE = re.compile(r"[A-Z0-9<]{25,46}")
_NUMERIC_PUNCTUATION = frozenset(" ./-:,;'\"“”‘’()[]_")


def digit_share(text: str) -> float:
    """Digits among the letters and digits of ``text``."""
    alnum = [c for c in text if c.isalnum()]
    return sum(c.isdigit() for c in alnum) / len(alnum) if alnum else 0.0


class SecondOpinionRecognizer:
    """Wraps a primary recognizer; see the module's docstring for when PP-OCR is asked."""

    def __init__(self, primary: Recognizer, second: PPOCRRecognizer, *, drop_below: float) -> None:
        self.primary = primary
        self.second = second
        self.drop_below = drop_below
        self.name = f"{primary.name}+{second.name}"
        self._readable = frozenset(second.characters)

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        first = self.primary.recognize(crops)
        doubtful = [i for i, rec in enumerate(first) if self._doubtful(rec)]
        if not doubtful:
            return first
        second = self.second.recognize([crops[i] for i in doubtful])
        merged = list(first)
        for index, opinion in zip(doubtful, second, strict=True):
            merged[index] = merge_readings(
                first[index], opinion, self._readable, drop_below=self.drop_below
            )
        return merged

    def _doubtful(self, rec: Recognition) -> bool:
        if not rec.text:
            return False
        if "<<" in rec.text or _LOOKALIKE_BY_DIGIT.search(rec.text):
            return True
        if rec.confidence >= SURE:
            return False
        return rec.confidence < self.drop_below or digit_share(rec.text) >= 0.4

    def close(self) -> None:
        self.primary.close()
        self.second.close()


def merge_readings(
    primary: Recognition,
    second: Recognition,
    readable: frozenset[str],
    *,
    drop_below: float = 0.0,
) -> Recognition:
    """Tesseract's letters, PP-OCR's digits; see the module's docstring."""
    if second.confidence < SECOND_OPINION_FLOOR or not second.text:
        return primary
    compact = "".join(second.text.split())
    if "<<" in compact and _MRZ_LINE.fullmatch(compact):
        return Recognition(compact, second.confidence)
    if primary.confidence < drop_below:
        rescued = _rescue_latin(primary, second)
        if rescued is not None:
            return rescued
    if _comparable(primary.text, readable) == _comparable(second.text, readable):
        return Recognition(primary.text, max(primary.confidence, second.confidence))
    pieces: list[str] = []
    changed = False
    matcher = difflib.SequenceMatcher(None, primary.text, second.text, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        mine, theirs = primary.text[a0:a1], second.text[b0:b1]
        # Letters of Tesseract's give way only to digits, never to punctuation or nothing.
        if (
            tag != "equal"
            and _numeric(theirs)
            and _numeric(mine, lookalikes=True)
            and (_has_digit(theirs) or not any(c.isalpha() for c in mine))
        ):
            pieces.append(theirs)
            changed = True
        else:
            pieces.append(mine)
    text = " ".join("".join(pieces).split()) if changed else primary.text
    # The digits now come from (or agree with) the surer reader: a line that is mostly
    # digits is as sure as that reader; a mixed one no surer than its letters.
    if digit_share(text) >= 0.5 and _digits(text) == _digits(second.text):
        return Recognition(text, max(primary.confidence, second.confidence))
    return Recognition(text, primary.confidence)


def _rescue_latin(primary: Recognition, second: Recognition) -> Recognition | None:
    """A line Tesseract would drop that PP-OCR reads surely as plain Latin text (the
    English half of a label, a caption in small print): where the two differ in letters
    without marks, PP-OCR's are taken; Tesseract's letters with marks stay. None when the
    second reading is not plain ASCII or the two do not read the same line."""
    if second.confidence < RESCUE_FLOOR or not second.text.isascii():
        return None
    plain = strip_marks(primary.text)
    agreement = difflib.SequenceMatcher(None, plain, second.text, autojunk=False).ratio()
    if agreement < 0.8:
        return None
    pieces = []
    matcher = difflib.SequenceMatcher(None, primary.text, second.text, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        mine, theirs = primary.text[a0:a1], second.text[b0:b1]
        pieces.append(theirs if tag != "equal" and mine.isascii() else mine)
    text = " ".join("".join(pieces).split())
    return Recognition(text, round(second.confidence * agreement, 4))


def _comparable(text: str, readable: frozenset[str]) -> str:
    return "".join(c for c in text if c in readable and not c.isspace())


def _numeric(text: str, *, lookalikes: bool = False) -> bool:
    allowed = _NUMERIC_PUNCTUATION | (_DIGIT_LOOKALIKES if lookalikes else frozenset())
    return all(c.isdigit() or c in allowed for c in text)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
