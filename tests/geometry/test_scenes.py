"""Cards in scenes the edges alone get wrong, found from their print instead."""

import numpy as np

from id_card_scan.pipeline import Pipeline
from tests.geometry import scenes


def test_white_card_on_a_pale_desk_is_found_from_its_print(pipeline: Pipeline) -> None:
    # Hardly any step at the card's edge: the edges' best outline is its portrait or QR
    # code, whose print is nothing like a card's; the outline traced around the print is.
    corners = scenes.tilted((800, 600), 1000, -5)
    surface = scenes.plain((1600, 1200), (236, 238, 240))
    photo = scenes.place(scenes.card_pixels(11, "chip_cccd_front"), surface, corners, shadow=0)
    view = pipeline.geometry.view(photo)
    assert view.card_found and view.rotation == 0
    assert scenes.corner_error(view.card_quad, corners) < 40.0  # 4% of the card's width


def test_card_running_off_the_picture_gets_its_missing_side(pipeline: Pipeline) -> None:
    # The left tenth of the card is out of the picture: its left side is put where the
    # card's proportions place it, so the view keeps the card's layout.
    corners = scenes.tilted((420, 500), 1000, 0)
    surface = scenes.plain((1400, 1000), (100, 90, 80))
    photo = scenes.place(scenes.card_pixels(11, "chip_cccd_front"), surface, corners)
    view = pipeline.geometry.view(photo)
    assert view.card_found and view.rotation == 0
    assert (view.card_quad[:, 0] < 0).sum() == 2  # the guessed side lies off the picture
    assert scenes.corner_error(view.card_quad, corners) < 15.0


def test_crop_padded_with_white_is_cut_to_the_card(pipeline: Pipeline) -> None:
    # A light card on white padding shows no outline to the edges; the print, ending a
    # little way inside a plain border, does.
    card = scenes.card_pixels(11, "chip_cccd_front").astype(np.float32)
    padded = np.full((631 + 80, 1000 + 60, 3), 250, np.float32)
    padded[40:671, 30:1030] = card
    photo = scenes.finish(padded)
    view = pipeline.geometry.view(photo)
    truth = np.array([[30, 40], [1030, 40], [1030, 671], [30, 671]], np.float32)
    assert view.card_found and view.rotation == 0
    assert scenes.corner_error(view.card_quad, truth) < 4.0


def test_card_on_a_checked_tablecloth_is_cut_from_the_cloth(pipeline: Pipeline) -> None:
    # The edges' largest outline takes in a row of checks; the outline traced out from
    # the print stops at the card.
    corners = scenes.tilted((800, 560), 900, 8)
    photo = scenes.place(
        scenes.card_pixels(11, "chip_cccd_front"), scenes.gingham((1600, 1200)), corners
    )
    view = pipeline.geometry.view(photo)
    assert view.card_found and view.rotation == 0
    assert scenes.corner_error(view.card_quad, corners) < 6.0


def test_a_back_whose_barcode_leaves_its_last_third_bare_is_found(pipeline: Pipeline) -> None:
    # A CCCD 2016 back prints no line under its fingerprints, only a barcode; upside down,
    # its lines start half way down. Both are a card's print.
    surface = scenes.plain((1600, 1200), (60, 120, 80))
    for degrees in (4, 184):
        corners = scenes.tilted((800, 600), 900, degrees)
        photo = scenes.place(scenes.card_pixels(12, "cccd_2016_back"), surface, corners)
        view = pipeline.geometry.view(photo)
        assert view.card_found, degrees
        assert scenes.corner_error(view.card_quad, corners) < 15.0
