"""The second reading of doubtful lines in the green channel."""

from __future__ import annotations

import numpy as np

from id_card_scan.ocr.recognition.green_channel import GreenChannelRecognizer
from id_card_scan.ocr.types import Recognition


class ByChannel:
    """Reads a crop as its channels say: confident only where the line is gray."""

    name = "by-channel"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.calls.append(len(crops))
        out = []
        for crop in crops:
            gray = bool(np.all(crop[:, :, 0] == crop[:, :, 1]))
            label = crop.shape[1]  # which line: told by its width
            out.append(
                Recognition(f"line {label}{' green' if gray else ''}", 0.95 if gray else 0.6)
            )
        return out

    def close(self) -> None:
        return None


def test_only_doubtful_lines_are_read_again_and_the_surer_reading_kept() -> None:
    colour = np.zeros((10, 41, 3), np.uint8)
    colour[:, :, 0], colour[:, :, 1] = 200, 100
    already_gray = np.full((10, 42, 3), 2, np.uint8)
    inner = ByChannel()
    got = GreenChannelRecognizer(inner, retry_below=0.9).recognize([colour, already_gray])
    assert [rec.text for rec in got] == ["line 41 green", "line 42 green"]
    assert inner.calls == [2, 1]  # the sure line is not read twice


def test_a_second_reading_no_surer_leaves_the_first() -> None:
    colour = np.zeros((10, 43, 3), np.uint8)
    colour[:, :, 0], colour[:, :, 1] = 200, 100
    got = GreenChannelRecognizer(ByChannel(), retry_below=0.5).recognize([colour])
    assert got[0].text == "line 43"  # 0.6 is not under 0.5: never read again
