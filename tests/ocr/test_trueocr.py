"""trueocr's recognizer: the model's scores exposed, dates decoded again over digits."""

from __future__ import annotations

import numpy as np
import pytest

from id_card_scan.ocr.recognition.trueocr import TrueOcrRecognizer, packaged_trueocr_model


@pytest.fixture(scope="module")
def recognizer() -> TrueOcrRecognizer:
    return TrueOcrRecognizer(packaged_trueocr_model())


def _steps(
    recognizer: TrueOcrRecognizer, reading: list[tuple[str, str | None]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy ids, their probabilities and scores for time steps that each read one
    character (a blank step after each), the second choice close behind where given."""
    classes = len(recognizer.characters) + 1
    rows = []
    for first, second in reading:
        row = np.full(classes, -8.0, np.float32)
        row[recognizer.characters.index(first) + 1] = 4.0
        if second is not None:
            row[recognizer.characters.index(second) + 1] = 3.0
        blank = np.full(classes, -8.0, np.float32)
        blank[0] = 4.0
        rows += [row, blank]
    scores = np.stack(rows)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return scores.argmax(axis=1), probs.max(axis=1), scores


def test_letters_read_among_a_dates_digits_take_the_models_next_digit(
    recognizer: TrueOcrRecognizer,
) -> None:
    reading = [(c, None) for c in "14-"] + [("I", "1"), ("E", "2")]
    reading += [(c, None) for c in "-1987"]
    ids, conf, scores = _steps(recognizer, reading)
    assert recognizer._decode(ids, conf, None).text == "14-IE-1987"
    second = recognizer._decode(ids, conf, scores)
    assert second.text == "14-12-1987"
    # The digits the model liked less lower the line's confidence.
    assert second.confidence < recognizer._decode(ids, conf, None).confidence


def test_words_and_house_numbers_keep_their_letters(recognizer: TrueOcrRecognizer) -> None:
    for text in ("Số 41B Ngõ 112", "P.4, Q.10", "Tổ 12/3A"):
        ids, conf, scores = _steps(recognizer, [(c, "1") for c in text])
        assert recognizer._decode(ids, conf, scores).text == text


def test_a_date_the_digits_cannot_make_is_left_as_read(recognizer: TrueOcrRecognizer) -> None:
    # No digit comes near the model's choice for the "E": decoded over digits alone the
    # step is blank, the date a character short, so the reading stays as the model gave it.
    reading = [(c, None) for c in "16-"] + [("E", "F")] + [(c, None) for c in "2-1994"]
    ids, conf, scores = _steps(recognizer, reading)
    assert recognizer._decode(ids, conf, scores).text == "16-E2-1994"


def test_the_packaged_model_reads_a_line_with_its_scores(recognizer: TrueOcrRecognizer) -> None:
    import cv2

    line = np.full((48, 360, 3), 255, np.uint8)
    cv2.putText(line, "12/05/1990", (8, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    (got,) = recognizer.recognize([line])
    assert got.text == "12/05/1990"
