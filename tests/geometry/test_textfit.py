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


@pytest.mark.parametrize("kind", KINDS)
def test_outline_inside_the_card_leaves_lines_of_its_print_outside(kind: str) -> None:
    # An outline short of the last lines (a colour step in the security print, the
    # portrait's edge) may still fit the print it holds; the lines just past it show it
    # is not the card.
    boxes = _print(kind)
    third_last = sorted(boxes[:, :, 1].min(axis=1))[-3]
    whole = text_layout(_rect(0, 0, 1000, 631), boxes)
    short = text_layout(_rect(0, 0, 1000, third_last - 3), boxes)
    assert whole is not None and whole.takes_in_print()
    assert short is not None and short.fits() and not short.takes_in_print()


def test_print_of_other_things_near_the_card_is_not_its_own() -> None:
    # Another card two card-heights away, a banknote's upright lettering just beside.
    boxes = _print("chip_cccd_front")
    other_card = boxes + np.array([0.0, 2.2 * 631])
    upright = _rect(1010, 100, 1040, 500)[None]
    layout = text_layout(_rect(0, 0, 1000, 631), np.concatenate([boxes, other_card, upright]))
    assert layout is not None and layout.fits() and layout.takes_in_print()


def test_print_block_follows_the_lines_turned() -> None:
    boxes = _print("chip_cccd_front")
    angle = np.radians(20)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    block = text_block(list(boxes @ turn.T))
    assert block is not None and abs(block.angle - angle) < np.radians(2)
