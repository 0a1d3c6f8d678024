"""PP-OCR's CTC line recognizer with a character dictionary (PaddleOCR's format).

Used for a user's own PaddleOCR recognition model (e.g. one trained on Vietnamese with
``vn_dict.txt``), given as ONNX or as a Paddle inference folder.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.inference import InferenceSession
from id_card_scan.ocr.types import Recognition

INPUT_HEIGHT = 48
MIN_INPUT_WIDTH = 320
MAX_INPUT_WIDTH = 2048
BATCH_SIZE = 8


def load_dictionary(path: Path) -> list[str]:
    """One character per line, as PaddleOCR's ``*_dict.txt`` files are written."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"cannot read the character dictionary {path}: {exc}") from exc
    characters = [line.rstrip("\r\n") for line in text.splitlines()]
    characters = [c for c in characters if c]
    if not characters:
        raise ModelLoadError(f"the character dictionary {path} is empty")
    return characters


class PPOCRRecognizer:
    name = "ppocr"

    def __init__(self, session: InferenceSession, characters: list[str] | None = None) -> None:
        if characters is None:
            # ONNX exports from PaddleOCR carry their dictionary in the model metadata.
            embedded = session.metadata.get("character")
            if not embedded:
                raise ModelLoadError(
                    "the recognition model has no embedded dictionary; set TEXT_REC_DICT_PATH"
                )
            characters = embedded.splitlines()
        # CTC class 0 is the blank; PaddleOCR appends a space class after the dictionary.
        self.characters: tuple[str, ...] = tuple(characters)
        self._classes = ["", *characters, " "]
        self._session = session
        self._check_class_count()

    def _check_class_count(self) -> None:
        probe = np.zeros((1, 3, INPUT_HEIGHT, MIN_INPUT_WIDTH), dtype=np.float32)
        output_classes = int(self._session.run(probe).shape[-1])
        if output_classes == len(self._classes) - 1:
            self._classes = self._classes[:-1]  # a model trained without the space class
        elif output_classes != len(self._classes):
            raise ModelLoadError(
                f"the recognition model predicts {output_classes} classes but the dictionary "
                f"gives {len(self._classes) - 2} characters: TEXT_REC_DICT_PATH does not "
                "belong to this model"
            )

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        results: list[Recognition | None] = [None] * len(crops)
        # Batching lines of similar shape wastes least padding.
        order = sorted(
            range(len(crops)), key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1)
        )
        for start in range(0, len(order), BATCH_SIZE):
            indices = order[start : start + BATCH_SIZE]
            batch = self._batch([crops[i] for i in indices])
            probabilities = self._session.run(batch)
            for index, row in zip(indices, probabilities, strict=True):
                results[index] = self._decode(row)
        return [r for r in results if r is not None]

    def _batch(self, crops: list[np.ndarray]) -> np.ndarray:
        ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
        width = int(
            min(MAX_INPUT_WIDTH, max(MIN_INPUT_WIDTH, math.ceil(INPUT_HEIGHT * max(ratios))))
        )
        batch = np.zeros((len(crops), 3, INPUT_HEIGHT, width), dtype=np.float32)
        for slot, (crop, ratio) in enumerate(zip(crops, ratios, strict=True)):
            line_width = int(min(width, math.ceil(INPUT_HEIGHT * ratio)))
            resized = cv2.resize(crop, (max(line_width, 1), INPUT_HEIGHT))
            bgr = resized[:, :, ::-1].astype(np.float32)
            batch[slot, :, :, : resized.shape[1]] = ((bgr / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)
        return batch

    def _decode(self, probabilities: np.ndarray) -> Recognition:
        best = probabilities.argmax(axis=1)
        scores = probabilities.max(axis=1)
        keep = best != 0
        keep[1:] &= best[1:] != best[:-1]  # CTC: collapse repeats, then drop blanks
        text = "".join(self._classes[i] for i in best[keep] if i < len(self._classes))
        confidence = float(scores[keep].mean()) if keep.any() else 0.0
        return Recognition(text=" ".join(text.split()), confidence=confidence)

    def close(self) -> None:
        return None
