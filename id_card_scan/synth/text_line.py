"""Single rendered text lines, the input a recognizer sees after detection has cropped a line."""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np
from PIL import Image, ImageDraw

from id_card_scan.synth.fonts import FontCache, font_pool
from id_card_scan.synth.rng import choice, make_rng, uniform


def render_text_line(text: str, seed: int, height: int = 48) -> Image.Image:
    """Black-ish ``text`` on a light, slightly textured background; exactly ``height`` px tall."""
    if height < 8:
        raise ValueError(f"height must be at least 8 px, not {height}")
    # Precomposed letters are what the fonts' Vietnamese check covers.
    text = unicodedata.normalize("NFC", text)
    rng = make_rng(seed, "text_line")
    family = choice(rng, font_pool())
    path = family.bold if rng.random() < 0.35 else family.regular
    fonts = FontCache()

    # Size from the font's line metrics, not this text's ink, so a given font has one scale
    # whatever the words; stacked accents on capitals may need a step down.
    fill = uniform(rng, 0.62, 0.78)
    size = max(4, round(height * fill / _line_height_per_point(fonts, path)))
    margin = max(1, height // 16)
    while True:
        font = fonts.get(path, size)
        ascent, descent = font.getmetrics()
        top = (height - (ascent + descent)) // 2
        box = font.getbbox(text, anchor="la") if text else (0, 0, 0, 0)
        if size <= 4 or (top + box[1] >= margin and top + box[3] <= height - margin):
            break
        if top + box[3] - (top + box[1]) <= height - 2 * margin:
            # It fits once moved: centre the ink instead of the metrics box.
            top = (height - (box[3] - box[1])) // 2 - box[1]
            break
        size -= 1

    pad_left = round(uniform(rng, 0.1, 0.5) * height)
    pad_right = round(uniform(rng, 0.1, 0.5) * height)
    width = max(height // 2, pad_left + round(font.getlength(text)) + pad_right)

    paper = uniform(rng, 215, 250)
    tint = np.array([uniform(rng, -6, 6) for _ in range(3)], np.float32)
    low = rng.standard_normal((height // 8 + 2, width // 8 + 2)).astype(np.float32)
    texture = cv2.resize(low, (width, height), interpolation=cv2.INTER_CUBIC) * uniform(rng, 2, 6)
    grain = rng.standard_normal((height, width), dtype=np.float32) * uniform(rng, 1, 4)
    background = paper + tint[None, None, :] + (texture + grain)[..., None]

    mask = Image.new("L", (width, height), 0)
    if text:
        ImageDraw.Draw(mask).text((pad_left, top), text, font=font, fill=255, anchor="la")
    alpha = np.asarray(mask, np.float32)[..., None] / 255.0
    ink = np.array([uniform(rng, 0, 50)] * 3, np.float32) + tint * 0.5
    pixels = background * (1 - alpha) + ink[None, None, :] * alpha
    if rng.random() < 0.5:
        pixels = cv2.GaussianBlur(pixels, (0, 0), sigmaX=uniform(rng, 0.3, 0.8))
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), "RGB")


def _line_height_per_point(fonts: FontCache, path: str) -> float:
    ascent, descent = fonts.get(path, 100).getmetrics()
    return (ascent + descent) / 100.0
