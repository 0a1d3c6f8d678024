"""Print laid out as on a card front: the check that tells the card from parts of it."""

import numpy as np
import pytest

from id_card_scan.geometry.textfit import text_block, text_layout
from id_card_scan.synth import render_card

KINDS = ["chip_cccd_front", "cmnd_9_front", "cccd_2016_front", "can_cuoc_2024_front"]


def _print(kind: str) -> np.ndarray:
    card = render_card(3, kind)
    return np.array([line.quad for line in card.lines], np.float64)


def _rect(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


@pytest.mark.parametrize("kind", KINDS)
def test_card_outline_fits_its_print(kind: str) -> None:
    layout = text_layout(_rect(0, 0, 1000, 631), _print(kind))
    assert layout is not None and layout.fits()


@pytest.mark.parametrize("kind", KINDS)
def test_part_of_the_card_or_much_more_does_not(kind: str) -> None:
    boxes = _print(kind)
    # The portrait's side of the card, a block of lines, the card with the table around.
    for outline in (
        _rect(0, 0, 400, 631),
        _rect(350, 150, 1000, 480),
        _rect(-500, -300, 1500, 931),
    ):
        layout = text_layout(outline, boxes)
        assert layout is None or not layout.fits()


def test_print_block_follows_the_lines_turned() -> None:
    boxes = _print("chip_cccd_front")
    angle = np.radians(20)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    block = text_block(list(boxes @ turn.T))
    assert block is not None and abs(block.angle - angle) < np.radians(2)
