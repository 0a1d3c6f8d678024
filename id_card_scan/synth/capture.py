"""Photographs of a rendered card: perspective, light, blur, noise and JPEG, with quads moved."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageDraw

from id_card_scan.synth.rng import choice, make_rng, uniform
from id_card_scan.synth.types import QuadPoints, SyntheticCard

CAPTURE_VARIANTS: tuple[str, ...] = ("flat", "camera", "phone", "lowres", "screen")
# Quarter turns a card may lie at in a photo, clockwise.
ROTATIONS: tuple[int, ...] = (0, 90, 180, 270)


@dataclass(frozen=True)
class _Shot:
    frame: tuple[int, int]
    card_width_fraction: tuple[float, float]
    max_angle: float
    corner_jitter: float  # fraction of the card width each corner may move (perspective)
    blur_sigma: tuple[float, float]
    noise_sigma: tuple[float, float]
    jpeg_quality: tuple[int, int]


_CAMERA = _Shot((1200, 800), (0.84, 0.93), 4.0, 0.02, (0.4, 0.9), (2.0, 5.0), (50, 70))
_PHONE = _Shot((2000, 1500), (0.35, 0.60), 15.0, 0.03, (0.5, 1.1), (2.5, 6.0), (55, 80))
# A small picture (an old phone, a messaging app's resize): the card 400-640 px wide.
_LOWRES = _Shot((800, 600), (0.50, 0.80), 5.0, 0.015, (0.3, 0.6), (1.5, 3.5), (60, 85))
# A phone photo of the card shown on a screen (sent as a picture, then shot again).
_SCREEN = _Shot((1600, 1200), (0.55, 0.80), 8.0, 0.025, (0.5, 1.0), (2.0, 5.0), (60, 85))

# Colour casts of the light a card is photographed in, as channel gains (R, G, B): indoor
# bulbs are warm, shade and screens cool, tubes greenish.
_CASTS: dict[str, tuple[float, float, float]] = {
    "daylight": (1.0, 1.0, 1.0),
    "tungsten": (1.10, 1.0, 0.80),
    "shade": (0.92, 1.0, 1.10),
    "fluorescent": (0.95, 1.05, 0.93),
}


def _background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A plain or textured surface (desk, wood, cloth, paper) as float32 RGB."""
    width, height = size
    style = choice(rng, ("plain", "wood", "cloth", "mottled"))
    base = np.array([uniform(rng, 60, 220) for _ in range(3)], np.float32)
    # Surfaces seldom have saturated colours; pull the channels toward their mean.
    base = 0.55 * base + 0.45 * base.mean()
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    if style == "plain":
        shade = np.zeros((height, width), np.float32)
    elif style == "wood":
        angle = uniform(rng, 0, math.pi)
        u = xs * math.cos(angle) + ys * math.sin(angle)
        v = -xs * math.sin(angle) + ys * math.cos(angle)
        warp = 12 * np.sin(v / uniform(rng, 80, 200) + uniform(rng, 0, 6))
        shade = 14 * np.sin((u + warp) / uniform(rng, 4, 9)) + 6 * np.sin(u / 37.0)
    elif style == "cloth":
        period = uniform(rng, 3, 6)
        shade = 9 * np.sin(xs / period) * np.sin(ys / period)
    else:
        small = rng.standard_normal((height // 64 + 2, width // 64 + 2)).astype(np.float32)
        shade = 12 * cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = rng.standard_normal((height, width), dtype=np.float32) * uniform(rng, 1, 4)
    return base[None, None, :] + (shade + grain)[..., None]


def _card_mask(size: tuple[int, int]) -> np.ndarray:
    # Rounded corners of ID-1 (3.18 mm radius): photos show the card's outline, not a box.
    width, height = size
    scale = 4
    mask = Image.new("L", (width * scale, height * scale), 0)
    radius = round(3.18 / 85.6 * width * scale)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, width * scale - 1, height * scale - 1), radius=radius, fill=255
    )
    small = mask.resize((width, height), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0


def _place(
    card_size: tuple[int, int], shot: _Shot, rng: np.random.Generator, rotation: int
) -> np.ndarray:
    """Where the card's corners land in the frame (4x2, pixel-edge coordinates)."""
    card_w, card_h = card_size
    frame_w, frame_h = shot.frame
    fraction = uniform(rng, *shot.card_width_fraction)
    tilt = uniform(rng, -shot.max_angle, shot.max_angle)
    angle = math.radians(rotation + tilt)
    jitter = rng.uniform(-1, 1, size=(4, 2)) * shot.corner_jitter * card_w
    # People aim at the card: keep it away from the very edges more often than not.
    u, v = 0.15 + 0.7 * rng.random(), 0.15 + 0.7 * rng.random()
    corners = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float64)
    corners -= (card_w / 2, card_h / 2)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    margin = 6.0
    # Shrink until the whole card fits; the card must be entirely in view so that every
    # ground-truth quad stays inside the image.
    for _ in range(60):
        scale = fraction * frame_w / card_w
        placed = (corners * scale) @ rotation.T + jitter * scale
        low, high = placed.min(axis=0), placed.max(axis=0)
        room = np.array([frame_w, frame_h]) - 2 * margin - (high - low)
        if (room >= 0).all():
            offset = margin - low + room * (u, v)
            return placed + offset
        fraction *= 0.97
    raise RuntimeError("could not fit the card in the frame")


def _light(size: tuple[int, int], rng: np.random.Generator, glare: float) -> np.ndarray:
    """A smooth gain field: a gradient across the frame, vignetting and a soft highlight."""
    width, height = size
    nx = np.arange(width, dtype=np.float32)[None, :] / width - 0.5
    ny = np.arange(height, dtype=np.float32)[:, None] / height - 0.5
    direction = uniform(rng, 0, 2 * math.pi)
    gain = 1.0 + uniform(rng, 0.08, 0.2) * (nx * math.cos(direction) + ny * math.sin(direction)) * 2
    gain -= uniform(rng, 0.05, 0.2) * (nx**2 + ny**2) * 2
    if glare > 0:
        gx, gy, spread = uniform(rng, -0.3, 0.3), uniform(rng, -0.3, 0.3), uniform(rng, 0.1, 0.25)
        gain += glare * np.exp(-((nx - gx) ** 2 + (ny - gy) ** 2) / (2 * spread**2))
    brightness = uniform(rng, 0.85, 1.05)
    return np.broadcast_to(gain * brightness, (height, width)).astype(np.float32)


def _hot_spot(
    size: tuple[int, int], rng: np.random.Generator, corners: np.ndarray, peak: float
) -> np.ndarray:
    """The reflection of a lamp or a window in the laminate: a bright core in a soft halo,
    round or drawn out into a streak, somewhere on the card (corners: where it lies)."""
    width, height = size
    small = 4  # smooth enough to compute at a quarter of the size
    weights = rng.dirichlet(np.ones(4))
    cx, cy = (weights @ corners) / small
    card_w = float(np.linalg.norm(corners[1] - corners[0])) / small
    rx = card_w * uniform(rng, 0.05, 0.16)
    ry = rx * uniform(rng, 0.25, 1.0)
    angle = uniform(rng, 0, math.pi)
    ys, xs = np.mgrid[0 : height // small + 1, 0 : width // small + 1].astype(np.float32)
    u = (xs - cx) * math.cos(angle) + (ys - cy) * math.sin(angle)
    v = -(xs - cx) * math.sin(angle) + (ys - cy) * math.cos(angle)
    d2 = (u / rx) ** 2 + (v / ry) ** 2
    halo = 0.45 * np.exp(-0.25 * d2)
    core = np.clip(1.4 * (1.0 - np.sqrt(d2) / 1.1), 0.0, 1.0) ** 2
    spot = np.minimum(np.maximum(halo * peak, core * (peak + 0.4)), 1.0)
    return cv2.resize(spot, size, interpolation=cv2.INTER_LINEAR)


def _colour_cast(rng: np.random.Generator) -> np.ndarray:
    """Channel gains: a light's cast (partly corrected by the camera) and a little jitter."""
    name = choice(rng, ("daylight", "daylight", "tungsten", "shade", "fluorescent"))
    cast = np.array(_CASTS[name], np.float32)
    cast = 1.0 + (cast - 1.0) * uniform(rng, 0.3, 1.0)
    jitter = np.array([uniform(rng, 0.95, 1.05) for _ in range(3)], np.float32)
    return cast * jitter


def _screen_moire(
    size: tuple[int, int], rng: np.random.Generator
) -> tuple[np.ndarray, float, float]:
    """A screen between camera and card: the gain of the interference between the screen's
    pixel grid and the camera's (rings and bands), its raised black level and glow."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    gain = np.ones((height, width), np.float32)
    for _ in range(2):
        angle = uniform(rng, 0, math.pi)
        u = xs * math.cos(angle) + ys * math.sin(angle)
        bend = uniform(rng, -3e-5, 3e-5) * (xs - width / 2) ** 2
        gain += uniform(rng, 0.04, 0.1) * np.sin(2 * math.pi * (u + bend) / uniform(rng, 9, 40))
    return gain, uniform(rng, 12, 30), uniform(rng, 0.95, 1.15)


def _edge_to_centre(homography: np.ndarray) -> np.ndarray:
    # cv2 maps pixel centres (integer coordinates); quads use pixel edges (centre = i + 0.5).
    shift = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], np.float64)
    return np.linalg.inv(shift) @ homography @ shift


def _transform_quad(quad: QuadPoints, homography: np.ndarray) -> QuadPoints:
    points = np.array(quad, np.float64).reshape(-1, 1, 2)
    moved = cv2.perspectiveTransform(points, homography).reshape(-1, 2)
    return tuple((float(x), float(y)) for x, y in moved)


def _shoot(
    card: SyntheticCard,
    shot: _Shot,
    rng: np.random.Generator,
    glare: float,
    rotation: int,
    *,
    screen: bool = False,
) -> SyntheticCard:
    image = card.image.convert("RGB")
    card_w, card_h = image.size
    corners = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    placed = _place((card_w, card_h), shot, rng, rotation).astype(np.float32)
    homography = cv2.getPerspectiveTransform(corners, placed).astype(np.float64)

    # Reduce first when the card shrinks a lot: warpPerspective samples without
    # averaging, which would alias thin strokes into broken text.
    edge_lengths = np.linalg.norm(placed - np.roll(placed, -1, axis=0), axis=1)
    scale = float(edge_lengths[0] + edge_lengths[2]) / (2 * card_w)
    source = image
    if scale < 0.9:
        reduced = (max(1, round(card_w * scale * 1.1)), max(1, round(card_h * scale * 1.1)))
        source = image.resize(reduced, Image.Resampling.LANCZOS)
    src_w, src_h = source.size
    from_source = homography @ np.diag([card_w / src_w, card_h / src_h, 1.0])

    warp = _edge_to_centre(from_source)
    pixels = np.asarray(source, np.float32)
    flags = cv2.INTER_LINEAR
    warped = cv2.warpPerspective(
        pixels, warp, shot.frame, flags=flags, borderMode=cv2.BORDER_CONSTANT
    )
    mask = cv2.warpPerspective(_card_mask((src_w, src_h)), warp, shot.frame, flags=flags)[..., None]

    frame = _background(shot.frame, rng)
    if screen:  # the screen around the shown card is dark
        frame *= uniform(rng, 0.12, 0.3)
    # A soft shadow under the card, as if lit from the top left.
    shadow = cv2.GaussianBlur(mask, (0, 0), sigmaX=max(2.0, 8 * scale))
    shift = np.float32([[1, 0, uniform(rng, 2, 8) * scale], [0, 1, uniform(rng, 4, 10) * scale]])
    shadow = cv2.warpAffine(shadow, shift, shot.frame)[..., None]
    frame *= 1.0 - uniform(rng, 0.2, 0.45) * shadow
    frame = frame * (1.0 - mask) + warped * mask

    frame *= _light(shot.frame, rng, glare)[..., None]
    frame *= _colour_cast(rng)[None, None, :]
    # A hot spot in the laminate now and then, where the light source is reflected.
    if not screen and rng.random() < 0.4:
        spot = _hot_spot(shot.frame, rng, placed.astype(np.float64), uniform(rng, 0.5, 0.85))
        spot *= mask[..., 0]
        frame += spot[..., None] * (255.0 - np.clip(frame, 0, 255))
    if screen:
        gain, black, glow = _screen_moire(shot.frame, rng)
        frame = black + frame * (glow * (1.0 - black / 255.0)) * gain[..., None]
        frame *= np.array([0.94, 1.0, 1.08], np.float32)[None, None, :]
    frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=uniform(rng, *shot.blur_sigma))
    frame += rng.standard_normal(frame.shape, dtype=np.float32) * uniform(rng, *shot.noise_sigma)
    out = Image.fromarray(np.clip(frame + 0.5, 0, 255).astype(np.uint8), "RGB")

    quality = int(rng.integers(shot.jpeg_quality[0], shot.jpeg_quality[1] + 1))
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        photo = decoded.convert("RGB")

    lines = [replace(line, quad=_transform_quad(line.quad, homography)) for line in card.lines]
    return replace(
        card,
        image=photo,
        lines=lines,
        fields=dict(card.fields),
        card_quad=_transform_quad(_border(card_w, card_h), homography),
    )


def _border(width: int, height: int) -> QuadPoints:
    return ((0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height)))


def _turn_flat(card: SyntheticCard, rotation: int) -> SyntheticCard:
    """The scan itself turned by ``rotation`` degrees clockwise: exact, no resampling."""
    width, height = card.image.size
    if rotation == 0:
        return replace(
            card,
            image=card.image.copy(),
            lines=list(card.lines),
            fields=dict(card.fields),
            card_quad=_border(width, height),
        )

    def turn(point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        w, h = width, height
        for _ in range(rotation // 90):
            # A clockwise quarter turn of a w x h image: the left edge becomes the top.
            x, y, w, h = h - y, x, h, w
        return (x, y)

    # PIL's transpose angles are counter-clockwise.
    transposes = {
        90: Image.Transpose.ROTATE_270,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_90,
    }
    return replace(
        card,
        image=card.image.transpose(transposes[rotation]),
        lines=[replace(line, quad=tuple(turn(p) for p in line.quad)) for line in card.lines],
        fields=dict(card.fields),
        card_quad=tuple(turn(p) for p in _border(width, height)),
    )


def capture(
    card: SyntheticCard, seed: int, variant: str, *, rotation: int | None = None
) -> SyntheticCard:
    """A photo of ``card``: "flat" (a copy), "camera" (close-up), "phone" (card in a scene,
    at any angle), "lowres" (a small photo, the card 400-640 px wide) or "screen" (a phone
    photo of the card shown on a screen: moiré, raised blacks, a cool glow).

    Every photo but "flat" has a colour cast (warm bulbs, cool shade, green tubes) and
    JPEG artefacts; cards photographed directly sometimes a hot spot of glare.

    ``rotation`` (0, 90, 180 or 270 degrees clockwise) turns the card in the picture before
    the variant's small tilt; by default the phone variant draws it (people photograph
    cards every way up) and the others keep the card upright. The lines keep their text;
    their quads and the card's outline (``card_quad``) are moved into the photo's
    coordinates.
    """
    if variant not in CAPTURE_VARIANTS:
        raise ValueError(
            f"unknown variant {variant!r}; expected one of {', '.join(CAPTURE_VARIANTS)}"
        )
    if rotation is not None and rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, not {rotation!r}")
    if rotation is None:
        # Its own stream, so that every other draw (and rotation 0's pictures) stays put.
        drawn = choice(make_rng(seed, "capture", variant, card.kind, "rotation"), ROTATIONS)
        rotation = drawn if variant == "phone" else 0
    if variant == "flat":
        return _turn_flat(card, rotation)
    rng = make_rng(seed, "capture", variant, card.kind)
    if variant == "camera":
        return _shoot(card, _CAMERA, rng, glare=uniform(rng, 0.0, 0.12), rotation=rotation)
    if variant == "lowres":
        return _shoot(card, _LOWRES, rng, glare=uniform(rng, 0.0, 0.1), rotation=rotation)
    if variant == "screen":
        return _shoot(card, _SCREEN, rng, glare=0.0, rotation=rotation, screen=True)
    shot = _PHONE
    if rng.random() < 0.3:
        shot = replace(shot, frame=(shot.frame[1], shot.frame[0]))  # held upright
    return _shoot(card, shot, rng, glare=uniform(rng, 0.0, 0.15), rotation=rotation)
