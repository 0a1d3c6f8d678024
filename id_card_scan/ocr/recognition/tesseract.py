"""Tesseract's LSTM recognizer (``vie`` by default) on single-line crops.

PP-OCR's stock recognizers drop Vietnamese diacritics; Tesseract's ``vie`` model keeps
them. One ``PyTessBaseAPI`` is not thread-safe, so we keep a pool of them, each used by
one thread at a time; tesserocr releases the GIL while recognising, so the pool's
threads run on separate cores.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.types import Recognition

# Measured on generated cards: 48 px tall lines with a little margin read best.
LINE_HEIGHT = 48
PADDING = 6


class TesseractRecognizer:
    name = "tesseract"

    def __init__(self, tessdata: Path, *, lang: str = "vie", instances: int = 2) -> None:
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelLoadError("tesserocr is not installed") from exc
        if not (tessdata / f"{lang.split('+')[0]}.traineddata").is_file():
            raise ModelLoadError(
                f"no {lang}.traineddata in {tessdata}; install Debian's tesseract-ocr-{lang} "
                "or set TEXT_REC_TESSDATA_PATH"
            )
        self._apis: queue.Queue[object] = queue.Queue()
        self._all_apis = []
        for _ in range(instances):
            try:
                api = tesserocr.PyTessBaseAPI(
                    path=str(tessdata),
                    lang=lang,
                    psm=tesserocr.PSM.SINGLE_LINE,
                    oem=tesserocr.OEM.LSTM_ONLY,
                )
            except RuntimeError as exc:
                raise ModelLoadError(
                    f"Tesseract cannot load {lang} from {tessdata}: {exc}"
                ) from exc
            self._all_apis.append(api)
            self._apis.put(api)
        self._pool = ThreadPoolExecutor(max_workers=instances, thread_name_prefix="tesseract")

    @contextmanager
    def _api(self) -> Iterator[object]:
        api = self._apis.get()
        try:
            yield api
        finally:
            self._apis.put(api)

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return list(self._pool.map(self._recognize_one, crops))

    def _recognize_one(self, crop: np.ndarray) -> Recognition:
        first = self._read(crop)
        if first.text:
            return first
        # Tesseract reads some crops as nothing at all: a dotted rule under the value (old
        # CMNDs print them), or the edge of the next, closely printed line inside the box.
        # More margin, or the crop without its bottom or top fifth, then usually reads.
        for retry in _retries(crop):
            again = self._read(retry)
            if again.text:
                return again
        return first

    def _read(self, crop: np.ndarray) -> Recognition:
        from PIL import Image

        prepared = prepare_line(crop)
        with self._api() as api:
            api.SetImage(Image.fromarray(prepared))  # type: ignore[attr-defined]
            text = api.GetUTF8Text()  # type: ignore[attr-defined]
            word_confidences = api.AllWordConfidences()  # type: ignore[attr-defined]
        words = text.split()
        return Recognition(
            text=" ".join(words), confidence=line_confidence(words, word_confidences)
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for api in self._all_apis:
            api.End()  # type: ignore[attr-defined]


def line_confidence(words: list[str], word_confidences: list[int]) -> float:
    """The median of the words' confidences (0-100) weighted by their length, as 0-1.

    Tesseract's mean lets one doubtful short word (a "/", a small label printed beside a
    large value) pull a correctly read line under TEXT_REC_CONF_THRESHOLD, which then drops
    the whole line, ID number included. Background noise is doubtful in most of its letters.
    """
    if not word_confidences:
        return 0.0
    if len(words) != len(word_confidences):
        weights = [1] * len(word_confidences)
    else:
        weights = [len(word) for word in words]
    ranked = sorted(zip(word_confidences, weights, strict=True))
    half, seen = sum(weights) / 2, 0
    for confidence, weight in ranked:
        seen += weight
        if seen >= half:
            return max(0.0, min(1.0, confidence / 100.0))
    return 0.0  # unreachable: the weights sum to more than half of themselves


def prepare_line(crop: np.ndarray) -> np.ndarray:
    """Greyscale, scale to :data:`LINE_HEIGHT`, pad with the strip's own background."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    height, width = grey.shape
    scale = LINE_HEIGHT / max(height, 1)
    new_width = max(1, int(round(width * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(grey, (new_width, LINE_HEIGHT), interpolation=interpolation)
    border = np.concatenate([resized[0], resized[-1], resized[:, 0], resized[:, -1]])
    background = int(np.median(border))
    return cv2.copyMakeBorder(
        resized, PADDING, PADDING, PADDING, PADDING, cv2.BORDER_CONSTANT, value=background
    )


def _retries(crop: np.ndarray) -> Iterator[np.ndarray]:
    height = crop.shape[0]
    margin = max(2, height // 6)
    yield cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_REPLICATE)
    if height >= 10:
        yield crop[: height - height // 5]
        yield crop[height // 5 :]
