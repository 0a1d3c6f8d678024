"""Re-reading MRZ lines that the general recognizer misread, with the MRZ's own alphabet.

Tesseract's ``vie`` model reads the OCR-B filler ``<`` as ``(``, ``«`` or ``K`` and mixes
letters with diacritics into the zone. Restricted to ``A-Z0-9<`` (Tesseract's ``eng``
model, which Debian installs with Tesseract, and ``tessedit_char_whitelist``), the same
crops read as MRZ text. One engine per process, built at start-up; it is not thread-safe,
so calls are serialised by a lock (a card has three MRZ lines: the wait is short).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import cv2
import numpy as np

from id_card_scan.cards.mrz import MrzResult, normalize_line, read_mrz
from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.crops import crop_quad
from id_card_scan.ocr.recognition.tesseract import LINE_HEIGHT, prepare_line
from id_card_scan.ocr.types import Line

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_MRZ_LIKE = re.compile(r"^[A-Z0-9<]+$")


def looks_like_mrz(text: str) -> bool:
    """A line that may be part of an MRZ: long, no spaces once normalised, fillers in it."""
    line = normalize_line(text)
    if len(line) < 20:
        return False
    plain = sum(1 for c in line if c in MRZ_ALPHABET)
    return line.count("<") >= 2 or (plain / len(line) > 0.9 and " " not in text.strip())


class MrzReader:
    """Reads crops of MRZ lines with Tesseract ``eng`` restricted to the MRZ alphabet."""

    def __init__(self, tessdata: Path, *, lang: str = "eng") -> None:
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelLoadError("tesserocr is not installed") from exc
        if not (tessdata / f"{lang}.traineddata").is_file():
            raise ModelLoadError(f"no {lang}.traineddata in {tessdata} for reading MRZ lines")
        self._api = tesserocr.PyTessBaseAPI(
            path=str(tessdata), lang=lang, psm=tesserocr.PSM.SINGLE_LINE
        )
        self._api.SetVariable("tessedit_char_whitelist", MRZ_ALPHABET)
        # Dictionaries only hurt here: an MRZ line is no word.
        self._api.SetVariable("load_system_dawg", "0")
        self._api.SetVariable("load_freq_dawg", "0")
        self._lock = threading.Lock()

    def read(self, image_rgb: np.ndarray, lines: list[Line]) -> list[str]:
        """The MRZ lines near the MRZ-looking ``lines``, re-read from ``image_rgb``.

        Each detected line is re-read alone; when that does not give a whole zone (the
        detector often finds only one of the three lines: OCR-B on a guilloche is faint),
        the block around them, three lines up and down, is read as a page of lines.
        """
        found = [line for line in lines if looks_like_mrz(line.text)]
        if not found:
            return []
        out = [text for line in found if (text := self._line(image_rgb, line))]
        if len(out) >= 3 and (zone := read_mrz(out)) is not None and zone.valid:
            return out
        return self._block(image_rgb, found) or out

    def _ocr(self, image: np.ndarray, psm: int) -> str:
        from PIL import Image

        with self._lock:
            self._api.SetPageSegMode(psm)
            self._api.SetImage(Image.fromarray(image))
            return self._api.GetUTF8Text()

    def _line(self, image_rgb: np.ndarray, line: Line) -> str | None:
        import tesserocr

        text = self._ocr(prepare_line(crop_quad(image_rgb, line.quad)), tesserocr.PSM.SINGLE_LINE)
        text = "".join(text.split())
        return text if _MRZ_LIKE.match(text) else None

    def _block(self, image_rgb: np.ndarray, found: list[Line]) -> list[str]:
        import tesserocr

        quads = [np.asarray(line.quad, dtype=np.float64).reshape(4, 2) for line in found]
        first = quads[0]
        across = first[1] - first[0]
        across /= max(float(np.hypot(*across)), 1e-6)
        down = np.array([-across[1], across[0]])
        points = np.concatenate(quads)
        u, v = points @ across, points @ down
        height = float(np.median([np.hypot(*(q[3] - q[0])) for q in quads]))
        u0, u1 = u.min() - 0.03 * (u.max() - u.min()), u.max() + 0.03 * (u.max() - u.min())
        v0, v1 = v.min() - 2.8 * height, v.max() + 2.8 * height
        corners = np.array(
            [across * a + down * b for a, b in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))]
        )
        h, w = image_rgb.shape[:2]
        corners = np.clip(corners, 0, [w - 1, h - 1]).astype(np.float32)
        block = crop_quad(image_rgb, corners)
        scale = LINE_HEIGHT / max(height, 1.0)
        grey = cv2.cvtColor(block, cv2.COLOR_RGB2GRAY) if block.ndim == 3 else block
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        text = self._ocr(grey, tesserocr.PSM.SINGLE_BLOCK)
        rows = ["".join(row.split()) for row in text.splitlines()]
        return [_td1_width(row) for row in rows if len(row) >= 20 and _MRZ_LIKE.match(row)]

    def close(self) -> None:
        with self._lock:
            self._api.End()


def read_zone(rows: list[str]) -> MrzResult | None:
    """The best MRZ in re-read rows; failing that, TD1 lines 1 and 2 alone.

    The names line is the one Tesseract garbles most (long filler runs read as ``K`` and
    ``S``), and no check digit covers it: lines 1 and 2 carry every checked field, so they
    are parsed with a blank names line (the names then stay empty).
    """
    zone = read_mrz(rows)
    if zone is not None and zone.valid:
        return zone
    firsts = [row for row in rows if row[:1] in "IAC" and len(row) == 30]
    seconds = [row for row in rows if row[:1].isdigit() and len(row) == 30]
    if firsts and seconds:
        partial = read_mrz([firsts[0], seconds[0], "<" * 30])
        if partial is not None and partial.valid:
            return partial
    return zone


def _td1_width(row: str) -> str:
    """A TD1 line's filler read right: Tesseract reads some ``<`` as ``K`` and miscounts
    long filler runs, which only the line's end holds (names, optional data)."""
    while "<K<" in row:
        row = row.replace("<K<", "<<<")
    if row[:1].isdigit():
        # Line 2 holds no K (dates, M/F/X, VNM, filler, digits): a K by a filler is one.
        row = re.sub(r"(?<=<)K|K(?=<)", "<", row)
    if not 24 <= len(row) <= 36 or len(row) == 30:
        return row
    # The longest filler run takes the difference (the check digits then judge the line).
    runs = [(m.end() - m.start(), m.start(), m.end()) for m in re.finditer(r"<+", row[:-1])]
    if not runs:
        return row
    length, _, end = max(runs)
    if len(row) > 30:
        excess = len(row) - 30
        return row if length <= excess else row[: end - excess] + row[end:]
    return row[:end] + "<" * (30 - len(row)) + row[end:]
