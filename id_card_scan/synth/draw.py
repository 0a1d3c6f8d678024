"""Drawing primitives for cards: text with exact ground truth, background, emblem, photo, QR."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from id_card_scan.synth.rng import uniform
from id_card_scan.synth.types import TextLine

Color = tuple[int, int, int]


class Canvas:
    """A card image plus the text lines drawn on it so far."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.lines: list[TextLine] = []

    def text(
        self,
        xy: tuple[int, int],
        text: str,
        font: ImageFont.FreeTypeFont,
        fill: Color,
        *,
        is_label: bool,
        field: str | None = None,
        anchor: str = "ls",
    ) -> tuple[int, int, int, int]:
        """Draw ``text`` and record it; returns the ink box (x0, y0, x1, y1), x1/y1 exclusive."""
        x, y = xy
        left, top, right, bottom = self.draw.textbbox((x, y), text, font=font, anchor=anchor)
        pad = 4
        box = (left - pad, top - pad, right + pad, bottom + pad)
        # Drawing into a mask of its own gives the exact inked pixels, so the quad is tight
        # (font bounding boxes include side bearings and accent room).
        mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        ImageDraw.Draw(mask).text(
            (x - box[0], y - box[1]), text, font=font, fill=255, anchor=anchor
        )
        ink = mask.getbbox()
        if ink is None:
            raise ValueError(f"nothing was drawn for {text!r}")
        self.image.paste(Image.new("RGB", mask.size, fill), box[:2], mask)
        x0, y0, x1, y1 = ink[0] + box[0], ink[1] + box[1], ink[2] + box[0], ink[3] + box[1]
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        quad = tuple((float(cx), float(cy)) for cx, cy in corners)
        self.lines.append(TextLine(text=text, quad=quad, is_label=is_label, field=field))
        return x0, y0, x1, y1


def text_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Advance width of ``text``: where the next word would start."""
    return float(font.getlength(text))


def guilloche(
    size: tuple[int, int],
    rng: np.random.Generator,
    base: Color,
    ink: Color,
    *,
    strength: float = 0.35,
) -> Image.Image:
    """A security-print-like background: interleaved sine-wave lines and a rosette."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    lines = np.zeros((height, width), np.float32)

    def add(phase: np.ndarray, period: float, weight: float, line_px: float = 1.1) -> None:
        # Distance (in px) to the nearest line of the family, turned into a soft stroke.
        frac = (phase / period) % 1.0
        distance = np.minimum(frac, 1.0 - frac) * period
        stroke = np.clip(1.0 - distance / line_px, 0.0, 1.0)
        np.maximum(lines, stroke * weight, out=lines)

    for _ in range(2):
        wavelength = uniform(rng, 140, 320)
        amplitude = uniform(rng, 8, 22)
        shift = uniform(rng, 0, 2 * math.pi)
        period = uniform(rng, 7, 11)
        wave = amplitude * np.sin(2 * math.pi * xs / wavelength + shift)
        add(ys + wave, period, 1.0)
    cx, cy = uniform(rng, 0.45, 0.75) * width, uniform(rng, 0.4, 0.7) * height
    radius = np.hypot(xs - cx, ys - cy)
    angle = np.arctan2(ys - cy, xs - cx)
    petals = int(rng.integers(10, 24))
    add(radius + uniform(rng, 6, 14) * np.sin(petals * angle), uniform(rng, 9, 14), 0.8)

    # A broad, soft tint change keeps the card from looking like a flat fill.
    tint = 1.0 + 0.04 * np.sin(xs / width * math.pi * uniform(rng, 0.5, 1.5) + uniform(rng, 0, 3))
    base_arr = np.array(base, np.float32)[None, None, :] * tint[..., None]
    ink_arr = np.array(ink, np.float32)[None, None, :]
    alpha = (lines * strength)[..., None]
    pixels = base_arr * (1 - alpha) + ink_arr * alpha
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), "RGB")


def _star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        theta = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(theta), cy + radius * math.sin(theta)))
    return points


def paste_emblem(image: Image.Image, center: tuple[int, int], radius: int) -> None:
    """A simplified national emblem: gold ring and rice ears, red disc, yellow star."""
    scale = 4  # drawn large and reduced, for smooth edges
    size = 2 * radius * scale
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    c = size / 2
    gold = (214, 170, 40, 255)
    draw.ellipse((0, 0, size - 1, size - 1), fill=gold)
    # Rice ears: short strokes around the rim.
    for i in range(36):
        theta = math.pi * (0.15 + 1.7 * i / 35) + math.pi / 2
        r0, r1 = 0.78 * c, 0.97 * c
        x0, y0 = c + r0 * math.cos(theta), c + r0 * math.sin(theta)
        x1, y1 = c + r1 * math.cos(theta + 0.08), c + r1 * math.sin(theta + 0.08)
        draw.line((x0, y0, x1, y1), fill=(170, 120, 20, 255), width=scale * 2)
    inner = 0.74 * c
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), fill=(205, 32, 36, 255))
    draw.polygon(_star(c, c * 0.93, 0.55 * c, 0.22 * c), fill=(255, 221, 0, 255))
    small = layer.resize((2 * radius, 2 * radius), Image.Resampling.LANCZOS)
    image.paste(small, (center[0] - radius, center[1] - radius), small)


def paste_photo(
    image: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator
) -> None:
    """A grey head-and-shoulders silhouette standing in for the holder's photo."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    scale = 2
    backdrop = (int(rng.integers(215, 240)), int(rng.integers(225, 245)), 250)
    photo = Image.new("RGB", (w * scale, h * scale), backdrop)
    draw = ImageDraw.Draw(photo)
    W, H = w * scale, h * scale
    grey = int(rng.integers(95, 140))
    body = (grey, grey, grey + 5)
    head_w, head_h = uniform(rng, 0.40, 0.48) * W, uniform(rng, 0.40, 0.46) * H
    head_cx, head_cy = W / 2 + uniform(rng, -0.03, 0.03) * W, uniform(rng, 0.36, 0.42) * H
    draw.ellipse((0.05 * W, 0.68 * H, 0.95 * W, 1.45 * H), fill=body)
    draw.rectangle((W / 2 - 0.11 * W, head_cy, W / 2 + 0.11 * W, 0.78 * H), fill=body)
    draw.ellipse(
        (head_cx - head_w / 2, head_cy - head_h / 2, head_cx + head_w / 2, head_cy + head_h / 2),
        fill=(grey + 25, grey + 25, grey + 28),
    )
    # Hair: a darker cap over the top of the head.
    draw.chord(
        (
            head_cx - head_w / 2,
            head_cy - head_h / 2 - 4,
            head_cx + head_w / 2,
            head_cy + head_h / 3,
        ),
        180,
        360,
        fill=(40, 38, 40),
    )
    photo = photo.filter(ImageFilter.GaussianBlur(1.2 * scale)).resize(
        (w, h), Image.Resampling.LANCZOS
    )
    image.paste(photo, (x0, y0))
    ImageDraw.Draw(image).rectangle((x0, y0, x1 - 1, y1 - 1), outline=(150, 150, 150))


def paste_qr(image: Image.Image, payload: str, box: tuple[int, int, int]) -> None:
    """A real, decodable QR code of ``payload`` at (x, y) with the given side length."""
    x, y, side = box
    modules = cv2.QRCodeEncoder.create().encode(payload)
    if modules is None or modules.size == 0:
        raise ValueError("the QR encoder returned nothing")
    quiet = 3  # modules of white margin; the card is light around it, which makes up the rest
    modules = cv2.copyMakeBorder(
        modules, quiet, quiet, quiet, quiet, cv2.BORDER_CONSTANT, value=255
    )
    cells = modules.shape[0]
    # Whole pixels per module keep the code decodable after the card is photographed.
    pitch = max(1, side // cells)
    qr = cv2.resize(modules, (cells * pitch, cells * pitch), interpolation=cv2.INTER_NEAREST)
    tile = Image.fromarray(qr, "L").convert("RGB")
    offset = (side - tile.width) // 2
    image.paste(tile, (x + offset, y + offset))


def underline(canvas: Canvas, ink: tuple[int, int, int, int], fill: Color, gap: int = 4) -> None:
    """A rule under an ink box, as under the national motto."""
    x0, _, x1, y1 = ink
    canvas.draw.line((x0, y1 + gap, x1 - 1, y1 + gap), fill=fill, width=2)


def dotted_rule(canvas: Canvas, x0: int, x1: int, y: int, fill: Color) -> None:
    """The dotted writing line the older CMND prints after each label."""
    for x in range(x0, x1, 6):
        canvas.draw.rectangle((x, y, x + 1, y + 1), fill=fill)


def paste_chip(
    image: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator
) -> None:
    """A contact chip: a gold plate split into pads by thin dark grooves."""
    x0, y0, x1, y1 = box
    scale = 3
    w, h = (x1 - x0) * scale, (y1 - y0) * scale
    gold = (int(rng.integers(196, 222)), int(rng.integers(160, 186)), int(rng.integers(70, 100)))
    plate = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(plate)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 7, fill=(*gold, 255))
    groove = (120, 95, 45, 255)
    line = max(2, scale * 2)
    cx, cy = w / 2, h / 2
    # Six pads around a central one, as on ISO 7816 contacts.
    draw.rounded_rectangle(
        (cx - w * 0.17, cy - h * 0.25, cx + w * 0.17, cy + h * 0.25),
        radius=h // 12,
        outline=groove,
        width=line,
    )
    for frac in (1 / 3, 2 / 3):
        draw.line((0, h * frac, cx - w * 0.17, h * frac), fill=groove, width=line)
        draw.line((cx + w * 0.17, h * frac, w, h * frac), fill=groove, width=line)
    small = plate.resize((x1 - x0, y1 - y0), Image.Resampling.LANCZOS)
    image.paste(small, (x0, y0), small)


def paste_fingerprint(
    image: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator
) -> None:
    """A framed fingerprint box: grey ridges in a whorl that fades towards the edges."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w * uniform(rng, 0.42, 0.58), h * uniform(rng, 0.42, 0.55)
    rx, ry = w * uniform(rng, 0.30, 0.36), h * uniform(rng, 0.32, 0.40)
    r = np.hypot((xs - cx) / rx, (ys - cy) / ry)
    angle = np.arctan2(ys - cy, xs - cx)
    period = uniform(rng, 0.075, 0.095)
    wobble = 0.03 * np.sin(3 * angle + uniform(rng, 0, 6)) + 0.02 * np.sin(7 * angle)
    ridges = 0.5 + 0.5 * np.cos(2 * math.pi * (r + wobble) / period)
    fade = np.clip((1.15 - r) / 0.3, 0, 1)
    alpha = (ridges * fade * uniform(rng, 0.45, 0.65))[..., None]
    region = np.asarray(image.crop(box), np.float32)
    ink = np.array((70, 70, 78), np.float32)
    out = region * (1 - alpha) + ink * alpha
    image.paste(Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "RGB"), (x0, y0))
    ImageDraw.Draw(image).rectangle((x0, y0, x1 - 1, y1 - 1), outline=(120, 120, 125), width=2)


def paste_seal(image: Image.Image, center: tuple[int, int], radius: int) -> None:
    """The issuer's red round stamp: two rings, a dotted band and a star, half transparent."""
    scale = 3
    size = 2 * radius * scale
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (205, 40, 45, 150)
    c = size / 2
    width = max(2, scale * 2)
    for frac in (0.98, 0.70):
        r = c * frac
        draw.ellipse((c - r, c - r, c + r, c + r), outline=red, width=width)
    # Dashes stand in for the curved lettering of the stamp, which is not readable text.
    for i in range(44):
        theta = 2 * math.pi * i / 44
        r0, r1 = c * 0.76, c * 0.90
        start = (c + r0 * math.cos(theta), c + r0 * math.sin(theta))
        end = (c + r1 * math.cos(theta), c + r1 * math.sin(theta))
        draw.line((*start, *end), fill=red, width=width)
    draw.polygon(_star(c, c, 0.4 * c, 0.16 * c), fill=red)
    small = layer.resize((2 * radius, 2 * radius), Image.Resampling.LANCZOS)
    image.paste(small, (center[0] - radius, center[1] - radius), small)


def signature(image: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator) -> None:
    """A handwritten-looking flourish: loops of varying size along a rising stroke, then a
    long underline sweep back, in ballpoint blue."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    t = np.linspace(0, 1, 220)
    loops = uniform(rng, 2.5, 4.5)
    size = 0.5 + 0.5 * np.sin(math.pi * t + uniform(rng, -0.5, 0.5))
    xs = x0 + w * (0.85 * t + 0.07 * size * np.sin(2 * math.pi * loops * t))
    ys = y0 + h * (0.65 - 0.3 * t - 0.3 * size * np.cos(2 * math.pi * loops * t) * t**0.3)
    sweep_t = np.linspace(0, 1, 60)
    sweep_x = xs[-1] - w * 0.9 * sweep_t
    sweep_y = ys[-1] + h * (0.25 * np.sin(math.pi * sweep_t) + 0.2 * sweep_t)
    ink = (int(rng.integers(10, 40)), int(rng.integers(20, 50)), int(rng.integers(90, 140)))
    points = list(zip(np.r_[xs, sweep_x].tolist(), np.r_[ys, sweep_y].tolist(), strict=True))
    ImageDraw.Draw(image).line(points, fill=ink, width=2, joint="curve")


def paste_barcode(
    image: Image.Image, box: tuple[int, int, int, int], rng: np.random.Generator
) -> None:
    """A linear barcode's look: bars of 1-4 modules. What the real one encodes is not
    published, so this one is not meant to decode."""
    x0, y0, x1, y1 = box
    draw = ImageDraw.Draw(image)
    module = 2
    x = x0
    dark = True
    while x < x1:
        width = module * int(rng.integers(1, 5))
        if dark:
            draw.rectangle((x, y0, min(x + width, x1) - 1, y1 - 1), fill=(20, 20, 20))
        x += width
        dark = not dark
