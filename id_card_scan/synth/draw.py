"""Drawing primitives for cards: text with exact ground truth, emblem, photo, QR, stamps."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from id_card_scan.synth.portrait import draw_portrait
from id_card_scan.synth.rng import uniform
from id_card_scan.synth.types import TextLine

Color = tuple[int, int, int]

# Typed ink bleeds into a faint halo that is not ink a reader sees: a typed line's quad
# encloses what is inked more than this (of 255). Printed lines count every inked pixel.
_TYPED_SEEN = 40


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
        return self._ink(mask, box[:2], text, fill, is_label=is_label, field=field)

    def runs(
        self,
        xy: tuple[int, int],
        parts: Sequence[tuple[str, ImageFont.FreeTypeFont]],
        fill: Color,
        *,
        is_label: bool,
        field: str | None = None,
        tracking: float = 0.0,
    ) -> tuple[int, int, int, int]:
        """One line set in several faces (a bold label and its italic English, say), each
        part starting where the previous one ends plus ``tracking``; recorded as one line."""
        x, y = xy
        origins, pen = [], float(x)
        for text, font in parts:
            origins.append(pen)
            pen += font.getlength(text) + tracking
        boxes = [
            self.draw.textbbox((ox, y), text, font=font, anchor="ls")
            for ox, (text, font) in zip(origins, parts, strict=True)
        ]
        pad = 4
        box = (
            math.floor(min(b[0] for b in boxes)) - pad,
            math.floor(min(b[1] for b in boxes)) - pad,
            math.ceil(max(b[2] for b in boxes)) + pad,
            math.ceil(max(b[3] for b in boxes)) + pad,
        )
        mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        draw = ImageDraw.Draw(mask)
        for ox, (text, font) in zip(origins, parts, strict=True):
            draw.text((ox - box[0], y - box[1]), text, font=font, fill=255, anchor="ls")
        text = "".join(text for text, _ in parts)
        return self._ink(mask, box[:2], text, fill, is_label=is_label, field=field)

    def typed(
        self,
        xy: tuple[int, int],
        text: str,
        font: ImageFont.FreeTypeFont,
        fill: Color,
        rng: np.random.Generator,
        *,
        field: str | None = None,
    ) -> tuple[int, int, int, int]:
        """``text`` as a typewriter strikes it: each letter a little off the baseline and
        inked unevenly, the ribbon's ink worn in patches and bleeding slightly."""
        x, y = xy
        left, top, right, bottom = self.draw.textbbox((x, y), text, font=font, anchor="ls")
        pad = 6
        box = (left - pad, top - pad, right + pad, bottom + pad)
        width, height = box[2] - box[0], box[3] - box[1]
        mask = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(mask)
        pen = float(x)
        for char in text:
            dx = float(np.clip(rng.normal(0, 0.3), -0.8, 0.8))
            dy = float(np.clip(rng.normal(0, 0.5), -1.2, 1.2))
            if rng.random() < 0.07:  # a key that always struck high or low
                dy += 1.6 if rng.random() < 0.5 else -1.6
            level = float(np.clip(rng.normal(0.88, 0.08), 0.6, 1.0))
            origin = (pen + dx - box[0], y + dy - box[1])
            draw.text(origin, char, font=font, fill=round(255 * level), anchor="ls")
            pen += font.getlength(char)
        ink = np.asarray(mask, np.float32)
        # Patches where the ribbon gave less ink.
        worn = rng.random((height // 4 + 2, width // 4 + 2)).astype(np.float32)
        worn = cv2.resize(worn, (width, height), interpolation=cv2.INTER_LINEAR)
        ink *= 1.0 - np.clip((worn - 0.55) * 1.6, 0.0, 0.55)
        ink = cv2.GaussianBlur(ink, (0, 0), sigmaX=uniform(rng, 0.35, 0.6))
        inked = Image.fromarray(np.clip(ink + 0.5, 0, 255).astype(np.uint8), "L")
        return self._ink(
            inked, box[:2], text, fill, is_label=False, field=field, threshold=_TYPED_SEEN
        )

    def _ink(
        self,
        mask: Image.Image,
        origin: tuple[int, int],
        text: str,
        fill: Color,
        *,
        is_label: bool,
        field: str | None,
        threshold: int = 0,
    ) -> tuple[int, int, int, int]:
        """Paste ``fill`` through ``mask`` at ``origin`` and record the line's ink box: the
        pixels inked more than ``threshold`` (of 255)."""
        seen = mask if threshold == 0 else mask.point(lambda v: 255 if v > threshold else 0)
        ink = seen.getbbox()
        if ink is None:
            raise ValueError(f"nothing was drawn for {text!r}")
        self.image.paste(Image.new("RGB", mask.size, fill), origin, mask)
        x0, y0 = ink[0] + origin[0], ink[1] + origin[1]
        x1, y1 = ink[2] + origin[0], ink[3] + origin[1]
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        quad = tuple((float(cx), float(cy)) for cx, cy in corners)
        self.lines.append(TextLine(text=text, quad=quad, is_label=is_label, field=field))
        return x0, y0, x1, y1


def text_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Advance width of ``text``: where the next word would start."""
    return float(font.getlength(text))


def _star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        theta = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(theta), cy + radius * math.sin(theta)))
    return points


def _leaf(
    cx: float, cy: float, length: float, width: float, theta: float
) -> list[tuple[float, float]]:
    """A pointed grain of rice, ``length`` along the direction ``theta``."""
    points = []
    for i in range(16):
        t = 2 * math.pi * i / 16
        u, v = 0.5 * length * math.cos(t), 0.5 * width * math.sin(t) * abs(math.sin(t)) ** 0.3
        points.append(
            (
                cx + u * math.cos(theta) - v * math.sin(theta),
                cy + u * math.sin(theta) + v * math.cos(theta),
            )
        )
    return points


@functools.cache
def _emblem(radius: int) -> Image.Image:
    """The national emblem, simplified: a red disc with the yellow star, ringed by two
    sheaves of rice, a cogwheel at the foot and the red ribbon across it."""
    scale = 4  # drawn large and reduced, for smooth edges
    size = 2 * radius * scale
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    c = size / 2
    gold, dark_gold = (226, 182, 52, 255), (168, 120, 26, 255)
    red, yellow = (208, 30, 36, 255), (255, 222, 20, 255)
    draw.ellipse((0.04 * c, 0.04 * c, 1.96 * c, 1.96 * c), fill=gold)
    # Grains from the foot up both sides, two rows, meeting under the top.
    for side in (-1, 1):
        for i in range(15):
            t = i / 14
            theta = math.pi / 2 + side * (0.45 + 2.45 * t)
            for row, frac in enumerate((0.80, 0.91)):
                along = theta + side * 0.06 * row
                gx, gy = c + frac * c * math.cos(along), c + frac * c * math.sin(along)
                tangent = along + side * math.pi / 2 + side * 0.5
                draw.polygon(
                    _leaf(gx, gy, 0.17 * c, 0.08 * c, tangent),
                    fill=gold,
                    outline=dark_gold,
                    width=scale,
                )
    draw.ellipse((0.30 * c, 0.30 * c, 1.70 * c, 1.70 * c), fill=red)
    draw.polygon(_star(c, 0.86 * c, 0.46 * c, 0.18 * c), fill=yellow)
    # The cogwheel: teeth round a disc, its lower half under the ribbon.
    gx, gy, gr = c, 1.42 * c, 0.2 * c
    for i in range(12):
        theta = 2 * math.pi * i / 12
        tooth = [
            (gx + gr * 1.25 * math.cos(theta + d), gy + gr * 1.25 * math.sin(theta + d))
            for d in (-0.14, 0.14)
        ]
        draw.polygon([(gx, gy), *tooth], fill=gold)
    draw.ellipse((gx - gr, gy - gr, gx + gr, gy + gr), fill=gold)
    draw.ellipse((gx - 0.35 * gr, gy - 0.35 * gr, gx + 0.35 * gr, gy + 0.35 * gr), fill=red)
    ribbon = [
        (0.22 * c, 1.50 * c),
        (c, 1.66 * c),
        (1.78 * c, 1.50 * c),
        (1.74 * c, 1.68 * c),
        (c, 1.86 * c),
        (0.26 * c, 1.68 * c),
    ]
    draw.polygon(ribbon, fill=red, outline=dark_gold, width=scale)
    # Dashes for the lettering on the ribbon, which is too small to read.
    for i in range(22):
        t = 0.12 + 0.76 * i / 21
        x = 0.24 * c + t * 1.52 * c
        y = 1.59 * c + 0.17 * c * (1 - (2 * t - 1) ** 2)
        draw.line((x, y - 0.02 * c, x, y + 0.03 * c), fill=yellow, width=scale)
    return layer.resize((2 * radius, 2 * radius), Image.Resampling.LANCZOS)


def paste_emblem(image: Image.Image, center: tuple[int, int], radius: int) -> None:
    """The national emblem centred on ``center``."""
    emblem = _emblem(radius)
    image.paste(emblem, (center[0] - radius, center[1] - radius), emblem)


def paste_photo(
    image: Image.Image,
    box: tuple[int, int, int, int],
    rng: np.random.Generator,
    *,
    male: bool = True,
    faded: bool = False,
) -> None:
    """The holder's photo in ``box`` (see ``portrait``); ``faded`` for the old cards' prints."""
    x0, y0, x1, y1 = box
    photo = draw_portrait((x1 - x0, y1 - y0), rng, male=male, faded=faded)
    image.paste(photo, (x0, y0))
    ImageDraw.Draw(image).rectangle((x0, y0, x1 - 1, y1 - 1), outline=(150, 150, 150))


def paste_band(
    image: Image.Image, box: tuple[int, int, int, int], color: Color, rng: np.random.Generator
) -> None:
    """A printed colour band with soft ends, as under the old CMND's red number."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    ends = np.clip(np.minimum(xs, 1 - xs) * w / 12.0, 0, 1)
    sides = np.clip(np.minimum(ys, 1 - ys) * h / 3.0, 0, 1)
    alpha = (ends * sides * uniform(rng, 0.45, 0.7))[..., None]
    region = np.asarray(image.crop(box), np.float32)
    out = region * (1 - alpha) + np.array(color, np.float32) * alpha
    image.paste(Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "RGB"), (x0, y0))


def paste_seal_ring(image: Image.Image, center: tuple[int, int], radius: int) -> None:
    """The dry seal pressed over a corner of the old cards' photos: a raised double ring,
    seen as a light edge beside a dark one."""
    side = 2 * radius + 6
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    c = side / 2
    for offset, color in ((1, (255, 255, 255, 70)), (-1, (40, 40, 40, 60))):
        for r in (radius, radius * 0.72):
            draw.ellipse(
                (c - r + offset, c - r + offset, c + r + offset, c + r + offset),
                outline=color,
                width=2,
            )
    image.paste(layer, (center[0] - side // 2, center[1] - side // 2), layer)


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


def dotted_rule(canvas: Canvas, x0: int, x1: int, y: int, fill: Color, pitch: int = 6) -> None:
    """The dotted writing line the older CMND prints after each label."""
    for x in range(x0, x1, pitch):
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
