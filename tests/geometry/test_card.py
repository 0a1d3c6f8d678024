"""CardView end to end: upright, rectified, and mapped back to the uploaded image."""

import io

import numpy as np
import pytest

from id_card_scan.geometry import CardGeometry
from id_card_scan.pipeline import Pipeline
from id_card_scan.synth import capture, render_card


def test_flat_card_passes_through_unchanged_without_models() -> None:
    pixels = np.asarray(render_card(6, "chip_cccd_front").image.convert("RGB"))
    view = CardGeometry(None, None).view(pixels)
    assert not view.card_found and view.rotation == 0
    assert view.pixels is pixels
    assert np.allclose(view.to_original, np.eye(3))


def test_no_card_means_the_whole_image_flagged() -> None:
    rng = np.random.default_rng(1)
    pixels = rng.integers(90, 160, (480, 640, 3), dtype=np.uint8)
    view = CardGeometry(None, None).view(pixels)
    assert not view.card_found
    assert view.pixels.shape == pixels.shape and np.allclose(view.to_original, np.eye(3))


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_turned_scan_comes_back_upright(pipeline: Pipeline, rotation: int) -> None:
    flat = render_card(7, "chip_cccd_front")
    turned = capture(flat, 7, "flat", rotation=rotation)
    view = pipeline.geometry.view(np.asarray(turned.image))
    assert not view.card_found and view.rotation == rotation
    assert np.array_equal(view.pixels, np.asarray(flat.image.convert("RGB")))
    assert np.allclose(view.card_quad, np.array(turned.card_quad), atol=1e-3)


def test_rotated_phone_photo_is_found_upright(pipeline: Pipeline) -> None:
    photo = capture(render_card(8, "cccd_2016_front"), 8, "phone", rotation=270)
    view = pipeline.geometry.view(np.asarray(photo.image))
    assert view.card_found and view.rotation == 270
    # Printed order: the found top-left corner is the card's own top-left.
    assert np.abs(view.card_quad - np.array(photo.card_quad)).max() < 3.0
    assert view.width > view.height


def test_pipeline_reads_a_rotated_photo_with_boxes_on_the_photo(pipeline: Pipeline) -> None:
    card = render_card(9, "chip_cccd_front")
    photo = capture(card, 9, "phone", rotation=180)
    buffer = io.BytesIO()
    photo.image.save(buffer, "JPEG", quality=90)
    scanned = pipeline.scan(buffer.getvalue())
    assert scanned.view.card_found and scanned.view.rotation == 180
    result = pipeline.read(buffer.getvalue())
    assert "geometry_ms" in result.timings_ms

    truth = next(ln for ln in photo.lines if ln.field == "id_number" and not ln.is_label)
    assert truth.text in " ".join(line.text for line in scanned.lines)
    read = next(line for line in result.lines if truth.text in line.text.replace(" ", ""))
    quad = np.array(truth.quad, np.float32)
    # The box lies on the printed number in the photo, and starts at the text's top-left
    # (the lower right of the photo, the card being upside down).
    centre = read.quad.mean(axis=0)
    assert np.linalg.norm(centre - quad.mean(axis=0)) < 0.5 * np.linalg.norm(quad[3] - quad[0])
    assert np.linalg.norm(read.quad[0] - quad[0]) < np.linalg.norm(read.quad[2] - quad[0])
