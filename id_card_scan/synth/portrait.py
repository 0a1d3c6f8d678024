"""The holder's photo: a drawn head and shoulders in colour, as ID photos are taken.

Nobody's likeness: shapes in skin, hair and clothing tones on the blue or white backdrop of
an ID photo, with the shading, features and softness that make a recognizer and a card
detector see a photo there rather than a flat box.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from id_card_scan.synth.rng import choice, uniform

Color = tuple[int, int, int]

# Light to deep skin tones; a holder's tone is drawn between two neighbours.
_SKIN = ((241, 208, 182), (228, 188, 156), (212, 166, 132), (190, 140, 106), (160, 112, 82))
_CLOTHES = (
    (238, 238, 236),
    (214, 226, 240),
    (40, 46, 64),
    (24, 24, 28),
    (92, 96, 104),
    (60, 78, 60),
    (150, 40, 48),
)
_BACKDROPS = ("blue", "blue", "white")


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _shade(color: Color, factor: float) -> Color:
    return tuple(max(0, min(255, round(c * factor))) for c in color)  # type: ignore[return-value]


def _backdrop(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """A studio backdrop, lighter towards the top as the flash lights it."""
    width, height = size
    if choice(rng, _BACKDROPS) == "blue":
        top = (
            int(rng.integers(150, 200)),
            int(rng.integers(190, 220)),
            int(rng.integers(232, 252)),
        )
    else:
        grey = int(rng.integers(226, 248))
        top = (grey, grey, min(255, grey + 4))
    bottom = _shade(top, uniform(rng, 0.86, 0.95))
    column = Image.new("RGB", (1, 2))
    column.putpixel((0, 0), top)
    column.putpixel((0, 1), bottom)
    return column.resize((width, height), Image.Resampling.BILINEAR)


def draw_portrait(
    size: tuple[int, int], rng: np.random.Generator, *, male: bool = True, faded: bool = False
) -> Image.Image:
    """A ``size`` photo of an invented holder; ``faded``: an old print, greyish and flat."""
    scale = 2  # drawn large and reduced, for smooth edges
    w, h = size[0] * scale, size[1] * scale
    photo = _backdrop((w, h), rng)
    draw = ImageDraw.Draw(photo)

    low = int(rng.integers(len(_SKIN) - 1))
    skin = _mix(_SKIN[low], _SKIN[low + 1], uniform(rng, 0, 1))
    hair = (int(rng.integers(18, 40)), int(rng.integers(14, 30)), int(rng.integers(12, 26)))
    clothes = choice(rng, _CLOTHES)

    head_w, head_h = uniform(rng, 0.48, 0.55) * w, uniform(rng, 0.44, 0.50) * h
    cx, cy = w / 2 + uniform(rng, -0.03, 0.03) * w, uniform(rng, 0.40, 0.45) * h
    head = (cx - head_w / 2, cy - head_h / 2, cx + head_w / 2, cy + head_h / 2)
    long_hair = not male and rng.random() < 0.75

    if long_hair:  # behind the head, down to the shoulders
        draw.rounded_rectangle(
            (
                head[0] - 0.08 * head_w,
                head[1] - 0.06 * head_h,
                head[2] + 0.08 * head_w,
                cy + 0.95 * head_h,
            ),
            radius=round(0.4 * head_w),
            fill=hair,
        )
    _shoulders(draw, (w, h), (cx, cy), head_w, head_h, clothes, skin, rng)
    # Ears at eye level, then the face, lit from one side.
    ear_y = cy + 0.02 * head_h
    for side in (-1, 1):
        ex = cx + side * head_w * 0.49
        draw.ellipse(
            (ex - 0.07 * head_w, ear_y - 0.12 * head_h, ex + 0.07 * head_w, ear_y + 0.1 * head_h),
            fill=_shade(skin, 0.9),
        )
    draw.ellipse(head, fill=_shade(skin, 0.88))
    light = 1 if rng.random() < 0.5 else -1
    inset = 0.07 * head_w
    draw.ellipse(
        (
            head[0] + inset * (1 + light) / 2 * 1.2,
            head[1] + 0.02 * head_h,
            head[2] - inset * (1 - light) / 2 * 1.2,
            head[3] - 0.03 * head_h,
        ),
        fill=skin,
    )
    _features(draw, (cx, cy), head_w, head_h, skin, hair, rng)
    _hair(draw, head, head_w, head_h, hair, long_hair=long_hair, rng=rng)

    photo = photo.filter(ImageFilter.GaussianBlur(0.9 * scale))
    photo = photo.resize(size, Image.Resampling.LANCZOS)
    if faded:
        photo = _faded(photo, rng)
    return photo


def _shoulders(
    draw: ImageDraw.ImageDraw,
    size: tuple[int, int],
    head_centre: tuple[float, float],
    head_w: float,
    head_h: float,
    clothes: Color,
    skin: Color,
    rng: np.random.Generator,
) -> None:
    w, h = size
    cx, cy = head_centre
    neck_w = 0.42 * head_w
    draw.rectangle(
        (cx - neck_w / 2, cy + 0.2 * head_h, cx + neck_w / 2, cy + 0.85 * head_h),
        fill=_shade(skin, 0.8),
    )
    top = cy + uniform(rng, 0.68, 0.78) * head_h
    draw.ellipse((cx - 0.62 * w, top, cx + 0.62 * w, top + 1.3 * h), fill=clothes)
    # The neckline: a V of skin, and a collar of a lighter shade on dark clothes.
    depth = uniform(rng, 0.28, 0.5) * head_h
    draw.polygon(
        ((cx - neck_w / 2, top), (cx + neck_w / 2, top), (cx, top + depth)), fill=_shade(skin, 0.8)
    )
    collar = (236, 236, 234) if sum(clothes) < 300 else _shade(clothes, 0.9)
    for side in (-1, 1):
        draw.polygon(
            (
                (cx + side * neck_w / 2, top - 2),
                (cx + side * neck_w * 1.3, top + 4),
                (cx + side * 0.05 * head_w, top + depth + 4),
            ),
            fill=collar,
        )


def _features(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    head_w: float,
    head_h: float,
    skin: Color,
    hair: Color,
    rng: np.random.Generator,
) -> None:
    cx, cy = centre
    eye_y = cy + uniform(rng, -0.02, 0.04) * head_h
    gap = uniform(rng, 0.19, 0.23) * head_w
    eye_w, eye_h = 0.12 * head_w, 0.045 * head_h
    brow = _mix(hair, skin, 0.3)
    for side in (-1, 1):
        ex = cx + side * gap
        draw.ellipse(
            (ex - eye_w / 2, eye_y - eye_h / 2, ex + eye_w / 2, eye_y + eye_h / 2),
            fill=(236, 232, 228),
        )
        iris = 0.38 * eye_w
        draw.ellipse(
            (ex - iris, eye_y - eye_h / 2, ex + iris, eye_y + eye_h / 2), fill=(40, 30, 26)
        )
        by = eye_y - uniform(rng, 0.08, 0.11) * head_h
        draw.line(
            (ex - 0.6 * eye_w, by + 3, ex, by - 2, ex + 0.6 * eye_w, by + 2),
            fill=brow,
            width=max(2, round(0.025 * head_h)),
            joint="curve",
        )
    nose_y = eye_y + uniform(rng, 0.17, 0.21) * head_h
    shadow = _shade(skin, 0.78)
    draw.line(
        (cx + 0.02 * head_w, eye_y + 0.06 * head_h, cx + 0.04 * head_w, nose_y),
        fill=shadow,
        width=max(2, round(0.015 * head_w)),
    )
    draw.ellipse(
        (cx - 0.07 * head_w, nose_y - 0.02 * head_h, cx + 0.07 * head_w, nose_y + 0.03 * head_h),
        fill=shadow,
    )
    mouth_y = nose_y + uniform(rng, 0.1, 0.13) * head_h
    lips = _mix(skin, (170, 70, 70), uniform(rng, 0.35, 0.6))
    half = uniform(rng, 0.11, 0.15) * head_w
    draw.chord(
        (cx - half, mouth_y - 0.035 * head_h, cx + half, mouth_y + 0.035 * head_h),
        0,
        180,
        fill=lips,
    )
    draw.line((cx - half, mouth_y, cx + half, mouth_y), fill=_shade(lips, 0.7), width=2)


def _hair(
    draw: ImageDraw.ImageDraw,
    head: tuple[float, float, float, float],
    head_w: float,
    head_h: float,
    hair: Color,
    *,
    long_hair: bool,
    rng: np.random.Generator,
) -> None:
    x0, y0, x1, _ = head
    lift = uniform(rng, 0.04, 0.1) * head_h
    line = y0 + uniform(rng, 0.24, 0.34) * head_h  # where the hair meets the forehead
    draw.chord(
        (x0 - 0.03 * head_w, y0 - lift, x1 + 0.03 * head_w, 2 * line - y0 + lift),
        180,
        360,
        fill=hair,
    )
    # A parting or a fringe: a lighter wedge of forehead cut out of the hairline.
    part = x0 + uniform(rng, 0.3, 0.7) * head_w
    sweep = math.copysign(uniform(rng, 0.1, 0.25) * head_w, part - (x0 + x1) / 2)
    draw.polygon(
        (
            (part, line - 0.02 * head_h),
            (part + sweep, line + 0.02 * head_h),
            (part - sweep * 0.3, line + 0.02 * head_h),
        ),
        fill=hair,
    )
    side_w = (0.14 if long_hair else 0.07) * head_w
    side_h = (0.65 if long_hair else 0.42) * head_h
    for left in (True, False):
        sx0 = x0 - 0.02 * head_w if left else x1 - side_w + 0.02 * head_w
        draw.rounded_rectangle(
            (sx0, line - 0.1 * head_h, sx0 + side_w, y0 + side_h),
            radius=round(side_w / 2),
            fill=hair,
        )


def _faded(photo: Image.Image, rng: np.random.Generator) -> Image.Image:
    """An old photo print: colour drained (or black and white), warm and low in contrast."""
    pixels = np.asarray(photo, np.float32)
    grey = pixels @ np.array([0.299, 0.587, 0.114], np.float32)
    keep = 0.0 if rng.random() < 0.5 else uniform(rng, 0.3, 0.6)
    pixels = grey[..., None] + keep * (pixels - grey[..., None])
    pixels = 128 + (pixels - 128) * uniform(rng, 0.7, 0.85)
    pixels *= np.array([1.0, uniform(rng, 0.95, 0.99), uniform(rng, 0.85, 0.93)], np.float32)
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), "RGB")
