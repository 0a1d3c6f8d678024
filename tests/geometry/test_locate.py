"""Finding and rectifying the card: a known homography is undone within a few pixels."""

import cv2
import numpy as np
import pytest

from id_card_scan.geometry import find_card
from id_card_scan.geometry.rectify import card_size, landscape_order, warp_card
from id_card_scan.synth import capture, render_card


def _corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    # Orientation is not this stage's business: compare under the best corner rotation.
    return min(float(np.abs(np.roll(found, -i, axis=0) - truth).max()) for i in range(4))


@pytest.mark.parametrize(
    ("seed", "kind", "variant"),
    [
        (1, "chip_cccd_front", "phone"),
        (2, "cmnd_9_front", "lowres"),
        (3, "cccd_2016_front", "camera"),
    ],
)
def test_photo_outline_matches_the_true_card_quad(seed: int, kind: str, variant: str) -> None:
    photo = capture(render_card(seed, kind), seed, variant, rotation=0)
    outline = find_card(np.asarray(photo.image))
    assert outline is not None
    assert _corner_error(outline.quad, np.array(photo.card_quad, np.float32)) < 3.0


def test_rectified_photo_looks_like_the_flat_card() -> None:
    flat = render_card(4, "can_cuoc_2024_front")
    photo = capture(flat, 4, "phone", rotation=0)
    outline = find_card(np.asarray(photo.image))
    assert outline is not None
    size = card_size()
    warped, to_original = warp_card(np.asarray(photo.image), landscape_order(outline.quad), size)
    reference = cv2.resize(
        np.asarray(flat.image.convert("RGB")), size, interpolation=cv2.INTER_AREA
    )

    def grey(image: np.ndarray) -> np.ndarray:
        # Compare shapes, not the photo's light: blur, then normalise.
        g = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32), (0, 0), 2)
        return (g - g.mean()) / g.std()

    correlation = float(np.mean(grey(warped) * grey(reference)))
    shifted = float(np.mean(grey(np.roll(warped, 12, axis=1)) * grey(reference)))
    assert correlation > 0.85 and correlation > shifted + 0.1
    # The homography takes the view's corners back onto the outline.
    corners = np.array([[0, 0], [size[0], 0]], np.float64).reshape(-1, 1, 2)
    back = cv2.perspectiveTransform(corners, to_original).reshape(-1, 2)
    assert np.abs(back - landscape_order(outline.quad)[:2]).max() < 1e-3


def test_flat_scan_and_plain_texture_have_no_outline() -> None:
    assert find_card(np.asarray(render_card(5, "chip_cccd_front").image.convert("RGB"))) is None
    rng = np.random.default_rng(0)
    noise = cv2.GaussianBlur(rng.normal(128, 30, (600, 800, 3)).astype(np.float32), (0, 0), 3)
    assert find_card(np.clip(noise, 0, 255).astype(np.uint8)) is None
