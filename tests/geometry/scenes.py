"""Generated cards placed in harder scenes than the capture variants: busy or pale surfaces,
a thumb over a side, borders around a crop, a photocopy, a small picture."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from id_card_scan.synth import render_card


def card_pixels(seed: int, kind: str) -> np.ndarray:
    return np.asarray(render_card(seed, kind).image.convert("RGB"))


def gingham(size: tuple[int, int], period: int = 18) -> np.ndarray:
    """A red and white checked tablecloth, the kind that defeats colour segmentation."""
    width, height = size
    xs = (np.arange(width)[None, :] // period) % 2
    ys = (np.arange(height)[:, None] // period) % 2
    red = np.array([200, 40, 50], np.float32)
    white = np.array([235, 230, 225], np.float32)
    pink = 0.5 * (red + white)
    cloth = np.where(
        (xs & ys)[..., None] == 1, red, np.where((xs | ys)[..., None] == 1, pink, white)
    )
    return cloth.astype(np.float32)


def plain(size: tuple[int, int], colour: tuple[float, float, float]) -> np.ndarray:
    """A plain surface with a gentle light gradient across it."""
    width, height = size
    gain = 1.0 + 0.06 * (np.arange(width, dtype=np.float32)[None, :] / width - 0.5)
    surface = np.broadcast_to(np.array(colour, np.float32), (height, width, 3)) * gain[..., None]
    return np.ascontiguousarray(surface)


def place(
    card: np.ndarray,
    surface: np.ndarray,
    corners: np.ndarray,
    *,
    seed: int = 0,
    shadow: float = 0.25,
    blur: float = 0.8,
    noise: float = 3.0,
) -> np.ndarray:
    """``card`` warped onto ``surface`` at ``corners`` (clockwise from its top-left)."""
    height, width = surface.shape[:2]
    card_h, card_w = card.shape[:2]
    source = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    homography = cv2.getPerspectiveTransform(source, np.asarray(corners, np.float32))
    warped = cv2.warpPerspective(card.astype(np.float32), homography, (width, height))
    mask = np.zeros((card_h, card_w), np.float32)
    radius = round(3.18 / 85.6 * card_w)  # ID-1's rounded corners
    cv2.rectangle(mask, (radius, 0), (card_w - radius, card_h), 1.0, -1)
    cv2.rectangle(mask, (0, radius), (card_w, card_h - radius), 1.0, -1)
    for x, y in ((radius, radius), (card_w - radius, radius), (radius, card_h - radius)):
        cv2.circle(mask, (x, y), radius, 1.0, -1)
    cv2.circle(mask, (card_w - radius, card_h - radius), radius, 1.0, -1)
    mask = cv2.warpPerspective(mask, homography, (width, height))
    under = np.roll(cv2.GaussianBlur(mask, (0, 0), 6), (6, 4), axis=(0, 1))[..., None]
    mask = mask[..., None]
    frame = surface * (1.0 - shadow * under)
    frame = frame * (1.0 - mask) + warped * mask
    return finish(frame, seed=seed, blur=blur, noise=noise)


def finish(
    frame: np.ndarray, *, seed: int = 0, blur: float = 0.8, noise: float = 3.0
) -> np.ndarray:
    """Camera blur, sensor noise and a JPEG round trip."""
    rng = np.random.default_rng(seed)
    if blur > 0:
        frame = cv2.GaussianBlur(frame.astype(np.float32), (0, 0), blur)
    frame = frame + rng.normal(0, noise, frame.shape).astype(np.float32)
    image = Image.fromarray(np.clip(frame + 0.5, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return np.asarray(decoded.convert("RGB"))


def tilted(centre: tuple[float, float], width: float, degrees: float) -> np.ndarray:
    """Corners of a card ``width`` px wide centred on ``centre``, turned ``degrees``."""
    height = width * 53.98 / 85.6
    corners = np.array(
        [
            [-width / 2, -height / 2],
            [width / 2, -height / 2],
            [width / 2, height / 2],
            [-width / 2, height / 2],
        ]
    )
    angle = np.radians(degrees)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return (corners @ turn.T + np.array(centre)).astype(np.float32)


def corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    """Largest corner distance, whichever corner each outline starts at."""
    return min(float(np.abs(np.roll(found, -i, axis=0) - truth).max()) for i in range(4))
