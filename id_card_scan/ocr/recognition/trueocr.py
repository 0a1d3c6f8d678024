"""A Vietnamese CTC line recognizer in trueocr's model format (``rec.onnx`` + ``meta.json``).

trueocr (PyPI, Apache-2.0) ships a 4.3 MB recognizer whose 229 classes hold every
Vietnamese letter with every tone in both cases; on real card photos it reads better
than Tesseract ``vie`` and several times faster (docs/benchmarks.md). Its format is
small and plain, so our own models are exported in it too:

- ``meta.json``: ``charset`` (class ``i + 1`` is ``charset[i]``; 0 is the CTC blank),
  ``pad_x``/``pad_y`` (margins in line heights), ``max_width``;
- ``rec.onnx``: inputs ``x`` (float32 ``[B, 1, 3*32, W]`` ink maps: 0 paper, 1 ink; the
  line in the middle third, blank above and below) and ``widths`` (int64 ``[B]``);
  outputs ``ids`` and ``conf`` (greedy class and its probability per time step) and
  ``lengths`` (valid time steps); optionally ``scores`` (``[B, T, classes]`` logits or
  log-probabilities). A model without ``scores`` gets them in memory: the input of the
  node that makes ``ids`` becomes an output too (the ``onnx`` package edits the graph).

With the scores, a token read as a date with letters among its digits ("14-IE-1987",
letters of a red or handwritten fill) is decoded again over digits and separators only,
the model's own next choice at those steps, instead of guessing from letter shapes.

Only the files are read (through our inference-session wrapper); the trueocr package's
own pipeline (detection, page order) is not used. The preprocessing below follows
trueocr's ``preprocess.py`` (Apache-2.0), which the model was trained with.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from importlib.util import find_spec
from pathlib import Path

import cv2
import numpy as np

from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.inference import OnnxSession
from id_card_scan.ocr.types import Recognition

log = logging.getLogger(__name__)

LINE_HEIGHT = 32
# The model reads the line with a line height of blank above and below it.
WINDOW = 3
# Widths are padded to a multiple of the model's time-step stride, plus a halo of empty
# columns so that the last column sees the same padding whatever the batch's width.
WIDTH_MULTIPLE = 8
CONTEXT_HALO = 8
# Lines are batched by width: a batch closes when the next line is this much wider than
# its first, or would pass this many pixel columns (onnxruntime keeps its largest buffer).
MAX_WIDTH_RATIO = 1.3
MAX_BATCH_COLUMNS = 64 * 640
MAX_BATCH = 64
# The optional output with every class's score per time step.
SCORES = "scores"
# What a date's digits-only second decoding may hold.
NUMERIC_CLASSES = frozenset("0123456789-/.")
# A token shaped as a day, month and year with a letter read for some digit ("14-IE-1987",
# "23/1O/1969"), and the full date its second decoding must give.
_DATE_LIKE = re.compile(
    r"(?<![\w/.-])(?=[\w/.-]*[^\W\d_])(?=(?:[^\d]*\d){4})"
    r"\w{1,2}[-/.]\w{1,2}[-/.]\w{3,4}(?![\w/.-])"
)
_DATE_EXACT = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")


def _with_scores(model_path: Path) -> bytes | None:
    """The model with the scores behind its ``ids`` as an extra ``scores`` output, or
    None where it has them already or its graph is not one this edit understands (it is
    then run as it is, without the digits-only second decoding)."""
    try:
        import onnx
        from onnx import helper
    except ImportError:
        return None
    try:
        model = onnx.load(str(model_path))
    except Exception as exc:  # onnx raises protobuf's own errors
        raise ModelLoadError(f"cannot read the recognizer {model_path}: {exc}") from exc
    graph = model.graph
    if any(output.name == SCORES for output in graph.output):
        return None
    maker = next((node for node in graph.node if "ids" in node.output), None)
    if maker is None or maker.op_type != "ArgMax" or not maker.input:
        log.info("%s: no ArgMax makes its ids; dates are decoded once", model_path)
        return None
    graph.node.append(helper.make_node("Identity", [maker.input[0]], [SCORES]))
    graph.output.append(helper.make_tensor_value_info(SCORES, onnx.TensorProto.FLOAT, None))
    return model.SerializeToString()


def packaged_trueocr_model() -> Path:
    """The model folder inside the installed ``trueocr`` wheel, without importing it."""
    spec = find_spec("trueocr")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("the trueocr recognizer needs the trueocr package installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    if not (folder / "rec.onnx").is_file() or not (folder / "meta.json").is_file():
        raise ModelLoadError(f"rec.onnx or meta.json is missing from {folder}")
    return folder


class TrueOcrRecognizer:
    """``recognize(crops)`` over a trueocr-format model folder; thread-safe."""

    def __init__(self, model_dir: Path, *, device_gpu: int = -1, threads: int = 0) -> None:
        meta_path, model_path = model_dir / "meta.json", model_dir / "rec.onnx"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            charset = list(meta["charset"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelLoadError(f"cannot read the recognizer's {meta_path}: {exc}") from exc
        if not model_path.is_file():
            raise ModelLoadError(f"the recognizer folder {model_dir} has no rec.onnx")
        self.name = str(meta.get("name", "trueocr"))
        self.characters: tuple[str, ...] = tuple(charset)
        self._classes = ["", *charset]
        self._pad_x = float(meta.get("pad_x", 0.3))
        self._pad_y = float(meta.get("pad_y", 0.2))
        self._max_width = int(meta.get("max_width", 768))
        self._session = OnnxSession(
            model_path,
            device_gpu=device_gpu,
            threads=threads,
            model_bytes=_with_scores(model_path),
        )
        self._scores = SCORES in self._session.output_names
        numeric = [0] + [i + 1 for i, c in enumerate(charset) if c in NUMERIC_CLASSES]
        self._numeric = np.asarray(numeric, np.int64)
        expected = {"x", "widths"}
        if not expected <= set(self._session.input_names) or not {
            "ids",
            "conf",
            "lengths",
        } <= set(self._session.output_names):
            raise ModelLoadError(
                f"{model_path} is not a trueocr-format recognizer: it needs inputs x, widths "
                "and outputs ids, conf, lengths"
            )

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        maps = [self._ink_map(crop) for crop in crops]
        results: list[Recognition] = [Recognition("", 0.0)] * len(maps)
        for batch in width_batches([m.shape[1] for m in maps]):
            tensor, widths = pad_batch([maps[i] for i in batch])
            outputs = ["ids", "conf", "lengths", *([SCORES] if self._scores else [])]
            found = self._session.run_named({"x": tensor, "widths": widths}, outputs)
            ids, conf, lengths = found[:3]
            for row, index in enumerate(batch):
                length = int(lengths[row])
                scores = found[3][row, :length] if self._scores else None
                results[index] = self._decode(ids[row, :length], conf[row, :length], scores)
        return results

    def _decode(self, ids: np.ndarray, conf: np.ndarray, scores: np.ndarray | None) -> Recognition:
        keep = ids != 0
        keep[1:] &= ids[1:] != ids[:-1]  # greedy CTC: collapse repeats, drop blanks
        steps = np.flatnonzero(keep)
        chars = [self._classes[i] if 0 < i < len(self._classes) else "" for i in ids[steps]]
        probs = [float(p) for p in conf[steps]]
        if scores is not None:
            chars, probs = self._digits_in_dates(chars, probs, steps, scores)
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", "".join(chars))).strip()
        confidence = float(np.mean(probs)) if probs else 0.0
        return Recognition(text, confidence)

    def _digits_in_dates(
        self, chars: list[str], probs: list[float], steps: np.ndarray, scores: np.ndarray
    ) -> tuple[list[str], list[float]]:
        """Each date-shaped token with letters read among its digits decoded again over
        its time steps with digits and separators only, where that gives a date."""
        text = "".join(chars)
        starts = np.cumsum([0, *(len(c) for c in chars)])
        for match in reversed(list(_DATE_LIKE.finditer(text))):
            first = int(np.searchsorted(starts, match.start(), side="right")) - 1
            last = int(np.searchsorted(starts, match.end(), side="left")) - 1
            # From after the character before the token to before the one after it.
            low = int(steps[first - 1]) + 1 if first > 0 else 0
            high = int(steps[last + 1]) if last + 1 < len(steps) else len(scores)
            numeric, step_probs = self._numeric_decode(scores[low:high])
            # A digit for each letter, none dropped: a date of fewer characters would be
            # the digits' guess at a character the model saw as no digit at all.
            if len(numeric) != match.end() - match.start() or not _DATE_EXACT.fullmatch(numeric):
                continue
            chars[first : last + 1] = [numeric]
            probs[first : last + 1] = step_probs
        return chars, probs

    def _numeric_decode(self, scores: np.ndarray) -> tuple[str, list[float]]:
        """Greedy CTC over the blank, digits and separators alone; each character's
        probability among all classes (low where the model preferred a letter)."""
        if not len(scores):
            return "", []
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        best = self._numeric[np.argmax(scores[:, self._numeric], axis=1)]
        keep = best != 0
        keep[1:] &= best[1:] != best[:-1]
        picked = np.flatnonzero(keep)
        text = "".join(self._classes[best[i]] for i in picked)
        return text, [float(probs[i, best[i]]) for i in picked]

    def _ink_map(self, crop: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
        return ink_map(gray, pad_x=self._pad_x, pad_y=self._pad_y, max_width=self._max_width)

    def close(self) -> None:
        return None


def ink_map(
    gray: np.ndarray, *, pad_x: float = 0.3, pad_y: float = 0.2, max_width: int = 768
) -> np.ndarray:
    """A line crop as the model's input: margins added, ``WINDOW`` line heights tall,
    resized to ``WINDOW * LINE_HEIGHT`` pixels, as float ink (1 = ink). Light text on a
    dark ground is inverted."""
    height, width = gray.shape[:2]
    height, width = max(height, 1), max(width, 1)
    window_pad = (WINDOW * (1 + 2 * pad_y) - 1) / 2
    top = int(math.ceil(window_pad * height))
    side = int(math.ceil(pad_x * height))
    dark = is_dark_line(gray)
    canvas = np.full((height + 2 * top, width + 2 * side), 0 if dark else 255, np.uint8)
    canvas[top : top + height, side : side + width] = gray
    target_height = WINDOW * LINE_HEIGHT
    out_width = max(
        WIDTH_MULTIPLE,
        min(max_width, round(canvas.shape[1] * target_height / canvas.shape[0])),
    )
    interpolation = cv2.INTER_AREA if canvas.shape[0] > target_height else cv2.INTER_LINEAR
    resized = cv2.resize(canvas, (out_width, target_height), interpolation=interpolation)
    ink = resized.astype(np.float32) / 255.0
    return ink if dark else 1.0 - ink


def is_dark_line(gray: np.ndarray) -> bool:
    """Light text on a dark ground: the ground (the median) lies nearer the dark end than
    the text does, so the bright tail is the longer one."""
    if not gray.size:
        return False
    low, median, high = np.percentile(gray, (2, 50, 98))
    return bool(high - median > 2 * (median - low) + 8)


def pad_batch(maps: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Ink maps right-padded to one width; returns the ``[B, 1, H, W]`` batch and widths."""
    height = maps[0].shape[0]
    width = math.ceil(max(m.shape[1] for m in maps) / WIDTH_MULTIPLE) * WIDTH_MULTIPLE
    batch = np.zeros((len(maps), 1, height, width + CONTEXT_HALO), np.float32)
    widths = np.zeros(len(maps), np.int64)
    for slot, ink in enumerate(maps):
        batch[slot, 0, :, : ink.shape[1]] = ink
        widths[slot] = ink.shape[1]
    return batch, widths


def width_batches(widths: list[int], *, min_width: int = 64) -> list[list[int]]:
    """Indices grouped into batches of similar width, narrowest first."""
    batches: list[list[int]] = []
    for index in sorted(range(len(widths)), key=lambda i: widths[i]):
        size = max(widths[index], min_width)
        if (
            batches
            and len(batches[-1]) < MAX_BATCH
            and size <= MAX_WIDTH_RATIO * max(widths[batches[-1][0]], min_width)
            and (len(batches[-1]) + 1) * size <= MAX_BATCH_COLUMNS
        ):
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches
