import numpy as np

from id_card_scan.ocr.recognition.tesseract import (
    LINE_HEIGHT,
    PADDING,
    line_confidence,
    prepare_line,
)


def test_a_short_doubtful_word_does_not_sink_a_line() -> None:
    assert line_confidence(["Giới", "tính", "/", "Sex:", "Nam"], [96, 93, 22, 22, 96]) == 0.93
    # A small label misread beside a well-read ID number: the number carries the line.
    assert line_confidence(["sø/Nno:", "092056717099"], [30, 95]) == 0.95


def test_lines_doubtful_in_most_letters_stay_doubtful() -> None:
    assert line_confidence(["x#y", "~~", "ab"], [10, 20, 95]) == 0.2
    assert line_confidence([], []) == 0.0
    assert line_confidence(["a", "b"], [50]) == 0.5  # counts disagree: unweighted


def test_crops_are_scaled_to_the_line_height_and_padded_with_background() -> None:
    crop = np.full((20, 100, 3), 230, dtype=np.uint8)
    crop[5:15, 10:90] = 20
    prepared = prepare_line(crop)
    assert prepared.shape == (LINE_HEIGHT + 2 * PADDING, 240 + 2 * PADDING)
    assert prepared[0, 0] == 230
