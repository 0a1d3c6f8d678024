"""Security-print backgrounds and the wear of old cards, drawn procedurally.

Every card generation has a design: a paper tint that deepens towards the edges, fine wavy
guilloche lines whose ink shifts hue across the card (iris print), and motifs printed
faintly under the text (the Đông Sơn drum face, the map of Viet Nam, a guilloche rosette).
The print does not depend on the seed: a few variants of each design are drawn once per
process and cached (about 2 MB each); a card picks one, cuts it a few pixels off and shifts
its inks, which keeps a card's background to a few milliseconds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from id_card_scan.synth.rng import make_rng, uniform

Color = tuple[int, int, int]
Placement = tuple[float, float, float]  # centre x, centre y (fractions of the card), size

# Cached layers are this much larger than the card, so that a card can be cut anywhere
# within them and no two seeds print the pattern at the same phase.
_PAD = 32
_VARIANTS = 3


@dataclass(frozen=True)
class Design:
    """How one card generation's side is printed.

    ``paper`` is the tint at the centre, ``edge`` the one it deepens to; ``lines`` the
    guilloche ink at the left and right edges; ``drum``, ``vn_map`` and ``rosette`` where
    those motifs sit (the size is the radius, the map's height or the rosette's radius, as
    a fraction of the card's height); ``band`` the colour of a wave band along the bottom.
    """

    paper: Color
    edge: Color
    lines: tuple[Color, Color]
    motif: Color
    waves: int = 3
    drum: Placement | None = None
    vn_map: Placement | None = None
    rosette: Placement | None = None
    band: Color | None = None
    quiet: tuple[float, float] | None = None


# Colours are what the printed cards look like in daylight; positions follow the card
# models (the drum and the map sit under the text on the chip card, the rosette in the
# middle of the old CMND).
DESIGNS: dict[str, Design] = {
    "chip_cccd_front": Design(
        (242, 242, 214), (150, 212, 206), ((120, 196, 200), (150, 200, 140)), (120, 178, 170),
        drum=(0.66, 0.56, 0.50), vn_map=(0.62, 0.55, 0.88),
    ),
    "chip_cccd_back": Design(
        (240, 244, 226), (165, 215, 212), ((130, 196, 205), (160, 205, 160)), (130, 185, 180),
        drum=(0.30, 0.40, 0.42), quiet=(0.74, 1.0),
    ),
    "can_cuoc_2024_front": Design(
        (242, 240, 232), (178, 206, 226), ((150, 182, 214), (214, 170, 170)), (150, 170, 200),
        drum=(0.64, 0.58, 0.52), vn_map=(0.70, 0.55, 0.86),
    ),
    "can_cuoc_2024_back": Design(
        (242, 242, 232), (186, 212, 226), ((150, 190, 214), (190, 200, 160)), (150, 175, 195),
        drum=(0.42, 0.52, 0.45), quiet=(0.74, 1.0),
    ),
    "cccd_2016_front": Design(
        (234, 243, 244), (160, 200, 222), ((130, 180, 214), (130, 196, 180)), (130, 170, 200),
        drum=(0.62, 0.58, 0.46), rosette=(0.62, 0.58, 0.30),
    ),
    "cccd_2016_back": Design(
        (234, 243, 244), (165, 202, 222), ((135, 180, 214), (135, 196, 184)), (135, 175, 200),
        rosette=(0.30, 0.52, 0.34),
    ),
    "cmnd_9_front": Design(
        (226, 241, 232), (176, 214, 200), ((140, 196, 176), (150, 196, 204)), (120, 176, 160),
        rosette=(0.60, 0.60, 0.40),
    ),
    "cmnd_9_back": Design(
        (228, 240, 232), (180, 214, 202), ((145, 196, 180), (150, 196, 204)), (125, 178, 164),
        rosette=(0.68, 0.52, 0.36),
    ),
    "cmnd_12_front": Design(
        (240, 244, 246), (190, 208, 228), ((160, 184, 220), (170, 200, 214)), (150, 172, 210),
        rosette=(0.62, 0.60, 0.34), band=(120, 160, 214),
    ),
    "cmnd_12_back": Design(
        (240, 244, 246), (194, 210, 228), ((160, 184, 220), (170, 200, 214)), (150, 172, 210),
        rosette=(0.70, 0.50, 0.34),
    ),
}  # fmt: skip

# The mainland's outline, (longitude, latitude) clockwise from Lũng Cú, coarse but with the
# country's shape: the northern hills, the S of the coast, the Mekong delta and Cà Mau.
_VIET_NAM = (
    (105.33, 23.39), (106.0, 22.95), (106.7, 22.85), (106.6, 22.3), (107.35, 21.6),
    (108.0, 21.55), (107.3, 21.0), (106.7, 20.7), (106.4, 20.2), (105.9, 19.6),
    (105.7, 18.9), (106.2, 18.2), (106.6, 17.5), (107.1, 16.8), (107.7, 16.4),
    (108.2, 16.1), (108.7, 15.4), (109.1, 14.5), (109.3, 13.4), (109.2, 12.3),
    (109.0, 11.5), (108.5, 11.0), (107.6, 10.6), (107.0, 10.3), (106.7, 9.8), (106.2, 9.3),
    (105.4, 8.7), (104.8, 8.6), (104.8, 9.3), (105.0, 10.0), (104.5, 10.4), (105.1, 10.9),
    (106.1, 11.1), (106.4, 11.7), (107.5, 12.3), (107.5, 13.0), (107.5, 14.2), (107.6, 14.7),
    (107.4, 15.5), (107.0, 16.0), (106.6, 16.5), (106.5, 17.0), (105.8, 17.6),
    (105.1, 18.4), (104.5, 18.9), (104.0, 19.3), (104.4, 19.7), (104.9, 20.3),
    (104.4, 20.6), (103.9, 20.8), (103.2, 20.8), (102.9, 21.2), (102.2, 22.1),
    (102.5, 22.7), (103.1, 22.6), (103.8, 22.5), (104.2, 22.8), (105.0, 23.2),
)  # fmt: skip
# Hoàng Sa and Trường Sa, which the card's map shows as clusters of dots.
_ISLANDS = ((112.0, 16.5), (114.0, 9.9))


def card_background(
    rng: np.random.Generator, design_name: str, size: tuple[int, int]
) -> Image.Image:
    """The printed background of one card side, coloured and placed by ``rng``."""
    width, height = size
    variant = int(rng.integers(_VARIANTS))
    base = _printed(design_name, variant, size)
    ox, oy = (int(v) for v in rng.integers(0, _PAD + 1, size=2))
    pixels = base[oy : oy + height, ox : ox + width]
    # This print's inks: the pattern a little stronger or paler, the tint shifted. A table
    # per channel does it in one pass.
    levels = np.arange(256, dtype=np.float32)[:, None]
    mean = np.array(DESIGNS[design_name].paper, np.float32)[None, :]
    contrast = np.array([uniform(rng, 0.8, 1.15)] * 3, np.float32)[None, :]
    shift = rng.integers(-6, 7, size=3).astype(np.float32)[None, :]
    table = np.clip(mean + (levels - mean) * contrast + shift + 0.5, 0, 255).astype(np.uint8)
    pixels = cv2.LUT(pixels, table.reshape(256, 1, 3))
    work = pixels.astype(np.float32)
    work += _mottle(rng, size)[..., None]
    return Image.fromarray(cv2.convertScaleAbs(work), "RGB")


@functools.cache
def _printed(design_name: str, variant: int, size: tuple[int, int]) -> np.ndarray:
    """One variant of a design printed in its nominal inks (uint8 RGB, padded)."""
    design = DESIGNS[design_name]
    width, height = size[0] + _PAD, size[1] + _PAD
    rng = make_rng(variant, "print", design_name)
    lines, motif = _layers(design_name, variant, size)
    pixels = _paper(rng, design, (width, height))
    if design.quiet is not None:
        top, bottom = (_PAD / 2 + f * size[1] for f in design.quiet)
        rows = np.arange(height, dtype=np.float32)
        quiet = np.clip(np.minimum(rows - top, bottom - rows) / 20.0, 0.0, 1.0)[:, None]
        lines *= 1.0 - 0.85 * quiet
        motif *= 1.0 - 0.9 * quiet
        paper = np.array(design.paper, np.float32)
        pixels += quiet[..., None] * 0.8 * (paper - pixels)
    ink = _iris(rng, design.lines, width)
    alpha = lines[..., None] * uniform(rng, 0.34, 0.42)
    pixels += alpha * (ink - pixels)
    motif_ink = _jitter(rng, design.motif, 4)[None, None, :]
    alpha = motif[..., None] * uniform(rng, 0.26, 0.32)
    pixels += alpha * (motif_ink - pixels)
    out = cv2.convertScaleAbs(pixels)
    out.flags.writeable = False
    return out


def _jitter(rng: np.random.Generator, color: Color, spread: int) -> np.ndarray:
    shift = rng.integers(-spread, spread + 1, size=3)
    return (np.array(color, np.float32) + shift).astype(np.float32)


def _paper(rng: np.random.Generator, design: Design, size: tuple[int, int]) -> np.ndarray:
    """The paper tint: lightest around a point near the middle, deeper towards the edges."""
    width, height = size
    small_w, small_h = width // 8, height // 8
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    cx, cy = uniform(rng, 0.4, 0.6) * small_w, uniform(rng, 0.4, 0.6) * small_h
    r = np.hypot((xs - cx) / (0.62 * small_w), (ys - cy) / (0.62 * small_h))
    weight = (np.clip(r, 0, 1) ** uniform(rng, 1.6, 2.6)).astype(np.float32)[..., None]
    paper, edge = _jitter(rng, design.paper, 3), _jitter(rng, design.edge, 6)
    small = paper[None, None, :] + weight * (edge - paper)[None, None, :]
    # The tint is smooth, so it is computed small and enlarged.
    return cv2.resize(small, size, interpolation=cv2.INTER_LINEAR)


def _iris(rng: np.random.Generator, inks: tuple[Color, Color], width: int) -> np.ndarray:
    """A row of ink colours that shifts from one ink to the other across the card."""
    left, right = _jitter(rng, inks[0], 6), _jitter(rng, inks[1], 6)
    t = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    t = 0.5 - 0.5 * np.cos(np.float32(math.pi) * t)
    return left[None, None, :] + t * (right - left)[None, None, :]


def _mottle(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Uneven print density, a few grey levels over a few dozen pixels. (No per-pixel
    grain: a photo's sensor noise is capture's to add, and grain on the flat card alone
    costs Tesseract a third of its MRZ reads.)"""
    width, height = size
    low = rng.standard_normal((height // 40 + 2, width // 40 + 2)).astype(np.float32)
    mottle = cv2.resize(low, size, interpolation=cv2.INTER_CUBIC)
    mottle *= uniform(rng, 1.0, 2.5)
    return mottle


def _layers(design_name: str, variant: int, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The guilloche lines and the motifs (alpha 0-1) of one variant of a design."""
    design = DESIGNS[design_name]
    width, height = size[0] + _PAD, size[1] + _PAD
    rng = make_rng(variant, "guilloche", design_name)
    lines = _wave_lines((width, height), rng, design.waves)
    if design.band is not None:
        lines = np.maximum(lines, _wave_band((width, height), rng))
    motif = np.zeros((height, width), np.float32)
    # Motif placements refer to the card, which sits at (_PAD / 2, _PAD / 2) in the layer.
    half = _PAD / 2
    if design.drum is not None:
        cx, cy, radius = design.drum
        centre = (half + cx * size[0], half + cy * size[1])
        np.maximum(motif, _drum((width, height), centre, radius * size[1]), out=motif)
    if design.vn_map is not None:
        cx, cy, tall = design.vn_map
        centre = (half + cx * size[0], half + cy * size[1])
        np.maximum(motif, 0.8 * _map((width, height), centre, tall * size[1]), out=motif)
    if design.rosette is not None:
        cx, cy, radius = design.rosette
        centre = (half + cx * size[0], half + cy * size[1])
        np.maximum(motif, _rosette((width, height), centre, radius * size[1], rng), out=motif)
    return lines, motif


def _stroke(phase: np.ndarray, period: float, line_px: float) -> np.ndarray:
    """Soft lines where ``phase`` crosses a multiple of ``period`` (``phase`` in px)."""
    frac = (phase / period) % 1.0
    distance = np.minimum(frac, 1.0 - frac) * period
    return np.clip(1.0 - distance / line_px, 0.0, 1.0)


def _wave_lines(size: tuple[int, int], rng: np.random.Generator, families: int) -> np.ndarray:
    """Families of fine, closely spaced wavy lines at slight angles; where two families
    cross they weave the moiré of security print. Each family fades in and out across the
    card, as the printed pattern does."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    out = np.zeros((height, width), np.float32)
    for index in range(families):
        # The last family runs steeper, so that it crosses the others at a clear angle.
        steep = index == families - 1 and families > 1
        angle = math.radians(
            uniform(rng, 18, 30) * (1 if rng.random() < 0.5 else -1)
            if steep
            else uniform(rng, -8, 8)
        )
        u = xs * math.cos(angle) + ys * math.sin(angle)
        v = -xs * math.sin(angle) + ys * math.cos(angle)
        wave = uniform(rng, 5, 14) * np.sin(
            2 * math.pi * u / uniform(rng, 90, 260) + uniform(rng, 0, 6)
        )
        wave += uniform(rng, 1, 4) * np.sin(2 * math.pi * u / uniform(rng, 25, 60))
        lines = _stroke(v + wave, uniform(rng, 4.5, 7.5), uniform(rng, 0.7, 1.0))
        fade = 0.55 + 0.45 * np.sin(
            2 * math.pi * (xs / width) * uniform(rng, 0.6, 1.6) + uniform(rng, 0, 6)
        )
        np.maximum(out, lines * fade, out=out)
    return out


def _wave_band(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A band of denser wavy lines along the bottom edge (the CMND 12's blue border)."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    top = height - uniform(rng, 50, 70)
    wave = 6 * np.sin(2 * math.pi * xs / uniform(rng, 60, 120))
    lines = _stroke(ys + wave, 3.0, 1.1)
    inside = np.clip((ys - top - wave) / 6.0, 0.0, 1.0)
    return lines * inside


def _supersampled(
    size: tuple[int, int], scale: int, draw: Callable[[ImageDraw.ImageDraw, int], None]
) -> np.ndarray:
    """An alpha layer drawn ``scale`` times larger with ``draw(ImageDraw, scale)`` and reduced."""
    width, height = size
    layer = Image.new("L", (width * scale, height * scale), 0)
    draw(ImageDraw.Draw(layer), scale)
    small = layer.resize((width, height), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0


def _drum(size: tuple[int, int], centre: tuple[float, float], radius: float) -> np.ndarray:
    """The face of a Đông Sơn bronze drum: a many-rayed star in rings of ticks, circles,
    chevrons and zigzags."""
    cx, cy = centre

    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        x, y, r = cx * s, cy * s, radius * s

        def ring(frac: float, width: int = 2) -> None:
            d.ellipse(
                (x - r * frac, y - r * frac, x + r * frac, y + r * frac),
                outline=255,
                width=width * s // 2,
            )

        def polar(frac: float, theta: float) -> tuple[float, float]:
            return (x + r * frac * math.cos(theta), y + r * frac * math.sin(theta))

        rays = 14
        star = []
        for i in range(2 * rays):
            theta = math.pi * i / rays
            star.append(polar(0.16 if i % 2 == 0 else 0.05, theta))
        d.polygon(star, fill=210)
        for frac in (0.19, 0.22, 0.33, 0.36, 0.50, 0.53, 0.70, 0.73, 0.88, 0.91, 1.0):
            ring(frac)
        for i in range(30):  # circles with a dot, between the first rings
            px, py = polar(0.275, 2 * math.pi * i / 30)
            rr = 0.035 * r
            d.ellipse((px - rr, py - rr, px + rr, py + rr), outline=255, width=s)
            d.ellipse((px - rr / 3, py - rr / 3, px + rr / 3, py + rr / 3), fill=255)
        for i in range(120):  # ticks
            theta = 2 * math.pi * i / 120
            d.line((*polar(0.37, theta), *polar(0.49, theta)), fill=255, width=s)
        for i in range(18):  # chevrons standing for the flying birds
            theta = 2 * math.pi * i / 18
            d.line(
                (*polar(0.56, theta - 0.08), *polar(0.66, theta), *polar(0.56, theta + 0.08)),
                fill=255,
                width=s,
            )
        zigzag = [polar(0.74 if i % 2 == 0 else 0.87, 2 * math.pi * i / 96) for i in range(97)]
        d.line(zigzag, fill=255, width=s)
        for i in range(180):
            theta = 2 * math.pi * i / 180
            d.line((*polar(0.92, theta), *polar(0.99, theta)), fill=255, width=s)

    return _supersampled(size, 2, draw)


def _map(size: tuple[int, int], centre: tuple[float, float], tall: float) -> np.ndarray:
    """The map of Viet Nam, a faint fill with a firmer coast, and its island groups."""
    lat_top, lat_bottom = 23.4, 8.5
    lon_mid, lat_mid = 106.2, (lat_top + lat_bottom) / 2
    scale = tall / (lat_top - lat_bottom)
    squeeze = math.cos(math.radians(lat_mid))

    def project(lon: float, lat: float, s: int) -> tuple[float, float]:
        return (
            (centre[0] + (lon - lon_mid) * squeeze * scale) * s,
            (centre[1] - (lat - lat_mid) * scale) * s,
        )

    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        outline = [project(lon, lat, s) for lon, lat in _VIET_NAM]
        d.polygon(outline, fill=90)
        d.line([*outline, outline[0]], fill=255, width=2 * s, joint="curve")
        dots = make_rng(0, "islands")
        for lon, lat in _ISLANDS:
            for _ in range(9):
                px, py = project(lon + uniform(dots, -0.7, 0.7), lat + uniform(dots, -0.7, 0.7), s)
                rr = 1.6 * s
                d.ellipse((px - rr, py - rr, px + rr, py + rr), fill=230)

    return _supersampled(size, 2, draw)


def _rosette(
    size: tuple[int, int], centre: tuple[float, float], radius: float, rng: np.random.Generator
) -> np.ndarray:
    """A guilloche rosette: bands of closed curves r(θ) = r0 + a·sin(nθ + φ) + b·sin(mθ),
    each band a dozen copies turned by a fraction of a petal, so that the lines interlace."""
    width, height = size
    layer = np.zeros((height, width), np.uint8)
    theta = np.linspace(0, 2 * math.pi, 1600, dtype=np.float64)
    cx, cy = centre
    shift = 4  # sub-pixel coordinates for cv2's anti-aliased lines
    for band, (inner, outer) in enumerate(((0.15, 0.42), (0.40, 0.72), (0.70, 1.0))):
        petals = int(rng.integers(6, 11)) * (band + 1)
        ripple = petals * int(rng.integers(3, 5))
        r0 = radius * (inner + outer) / 2
        amp = radius * (outer - inner) / 2
        copies = int(rng.integers(9, 14))
        for k in range(copies):
            phase = 2 * math.pi * k / copies
            r = r0 + amp * (0.8 * np.sin(petals * theta + phase) + 0.2 * np.sin(ripple * theta))
            pts = np.stack([cx + r * np.cos(theta), cy + r * np.sin(theta)], axis=1)
            pts = np.round(pts * (1 << shift)).astype(np.int32)
            cv2.polylines(layer, [pts], True, 255, 1, cv2.LINE_AA, shift)
    return layer.astype(np.float32) / 255.0 * 0.85


def wear(image: Image.Image, rng: np.random.Generator, amount: float) -> Image.Image:
    """Years in a wallet, by ``amount`` (0: new, 1: an old CMND): the laminate yellowed in
    patches, the print faded, fine scratches, a few specks; and the print's softness."""
    pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    if amount > 0.02:
        # Yellowing (blue lost most) and fading (towards the card's mean) as one smooth
        # per-channel gain and offset, computed small and enlarged.
        field = rng.random((height // 60 + 2, width // 60 + 2)).astype(np.float32)
        yellow = field * (amount * uniform(rng, 0.03, 0.07)) + amount * uniform(rng, 0.02, 0.05)
        fade = amount * uniform(rng, 0.08, 0.22)
        gain = np.stack([np.ones_like(yellow), 1.0 - 0.5 * yellow, 1.0 - 2.0 * yellow], axis=-1)
        gain = cv2.resize(gain * (1.0 - fade), (width, height), interpolation=cv2.INTER_CUBIC)
        mean = pixels[::8, ::8].reshape(-1, 3).mean(axis=0).astype(np.float32)
        work = pixels.astype(np.float32)
        work *= gain
        work += mean * fade
        _scratch(work, rng, amount)
        pixels = cv2.convertScaleAbs(work)
    # Today's cards are printed crisply; the old ones less so, and their laminate blurs.
    soft = uniform(rng, 0.2, 0.3) + 0.3 * amount
    pixels = cv2.GaussianBlur(pixels, (0, 0), sigmaX=soft)
    return Image.fromarray(pixels, "RGB")


def _scratch(pixels: np.ndarray, rng: np.random.Generator, amount: float) -> None:
    """Thin light scratches in the laminate (straight and curved) and dark specks of dust."""
    height, width = pixels.shape[:2]
    marks = np.zeros((height, width), np.uint8)
    shift = 2
    for _ in range(int(amount * rng.integers(8, 36))):
        x, y = uniform(rng, 0, width), uniform(rng, 0, height)
        angle, length = uniform(rng, 0, 2 * math.pi), uniform(rng, 30, 380)
        bend = uniform(rng, -0.002, 0.002)
        t = np.linspace(0, length, 24)
        heading = angle + bend * t
        pts = np.stack(
            [
                x + np.cumsum(np.cos(heading)) * length / 24,
                y + np.cumsum(np.sin(heading)) * length / 24,
            ],
            axis=1,
        )
        pts = np.round(pts * (1 << shift)).astype(np.int32)
        cv2.polylines(marks, [pts], False, int(rng.integers(90, 230)), 1, cv2.LINE_AA, shift)
    ys, xs = np.nonzero(marks)  # few pixels: lighten only those
    lighten = marks[ys, xs].astype(np.float32)[:, None] * (0.9 / 255.0)
    pixels[ys, xs] += lighten * (255.0 - pixels[ys, xs])
    for _ in range(int(amount * rng.integers(4, 20))):
        x, y = int(rng.integers(0, width - 2)), int(rng.integers(0, height - 2))
        pixels[y : y + 2, x : x + 2] *= uniform(rng, 0.55, 0.8)
