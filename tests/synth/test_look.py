"""The generated cards look like printed, worn and photographed ones: security print,
colour portraits, typed old CMNDs, italic English labels, glare and colour casts."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from id_card_scan.synth import CARD_KINDS, SyntheticCard, capture, fonts, render_card
from id_card_scan.synth.draw import Canvas
from id_card_scan.synth.rng import make_rng
from id_card_scan.synth.textures import DESIGNS, card_background, wear

SIZE = (1000, 631)
# The photo's box on each front, less the few pixels a print may be offset by.
PHOTOS = {
    "chip_cccd_front": (48, 222, 224, 458),
    "can_cuoc_2024_front": (48, 220, 228, 462),
    "cccd_2016_front": (48, 208, 224, 444),
    "cmnd_9_front": (52, 258, 212, 472),
    "cmnd_12_front": (52, 258, 212, 472),
}


def _clear_patches(card: SyntheticCard, size: int = 16, margin: int = 10) -> list[np.ndarray]:
    """Square patches of the card that no text line comes within ``margin`` px of."""
    pixels = np.asarray(card.image, np.float32)
    covered = np.zeros(pixels.shape[:2], bool)
    for line in card.lines:
        (x0, y0), _, (x1, y1), _ = (tuple(int(v) for v in p) for p in line.quad)
        covered[max(0, y0 - margin) : y1 + margin, max(0, x0 - margin) : x1 + margin] = True
    height, width = covered.shape
    patches = []
    for y in range(0, height - size, size):
        for x in range(0, width - size, size):
            if not covered[y : y + size, x : x + size].any():
                patches.append(pixels[y : y + size, x : x + size])
    return patches


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_background_is_security_print_not_a_flat_fill(design: str) -> None:
    image = np.asarray(card_background(make_rng(3, design), design, SIZE), np.float32)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    # Fine lines: detail a few pixels across, everywhere on the card.
    detail = grey - cv2.GaussianBlur(grey, (0, 0), 3)
    assert detail.std() > 2.0, detail.std()
    # The tint deepens towards the edges: the border is darker than the middle (the bottom
    # is left out: the sides with an MRZ keep it light).
    middle = grey[200:430, 300:700].mean()
    border = np.concatenate([grey[:30].ravel(), grey[:, :30].ravel(), grey[:, -30:].ravel()])
    border = border.mean()
    assert middle - border > 8, (middle, border)


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_background_between_the_text_is_patterned(kind: str) -> None:
    patches = _clear_patches(render_card(2, kind))
    assert len(patches) > 100
    texture = [float(cv2.cvtColor(p, cv2.COLOR_RGB2GRAY).std()) for p in patches]
    assert np.median(texture) > 2.0, np.median(texture)
    means = np.array([p.reshape(-1, 3).mean(axis=0) for p in patches])
    assert (means.max(axis=0) - means.min(axis=0)).max() > 20


@pytest.mark.parametrize("kind", sorted(PHOTOS))
def test_portrait_is_a_colour_photo_with_skin_tones(kind: str) -> None:
    for seed in range(3):
        x0, y0, x1, y1 = PHOTOS[kind]
        photo = np.asarray(render_card(seed, kind).image, np.int16)[y0:y1, x0:x1]
        assert cv2.cvtColor(photo.astype(np.uint8), cv2.COLOR_RGB2GRAY).std() > 20
        if kind == "cmnd_9_front":
            continue  # an old print, often black and white
        r, g, b = photo[..., 0], photo[..., 1], photo[..., 2]
        skin = (r > 120) & (r > g) & (g > b) & (r - b > 25)
        assert skin.mean() > 0.03, (seed, skin.mean())


def _ink(card: SyntheticCard, field: str) -> np.ndarray:
    """The darkest fifth of the pixels in the first value line of ``field`` (its ink)."""
    line = next(ln for ln in card.lines if ln.field == field and not ln.is_label)
    (x0, y0), _, (x1, y1), _ = line.quad
    region = np.asarray(card.image, np.float32)[int(y0) : int(y1), int(x0) : int(x1)]
    pixels = region.reshape(-1, 3)
    grey = pixels.mean(axis=1)
    return pixels[grey <= np.percentile(grey, 20)]


def test_cmnd_9_number_is_red_on_a_pink_band() -> None:
    for seed in range(6):
        card = render_card(seed, "cmnd_9_front")
        r, g, b = _ink(card, "id_number").mean(axis=0)
        assert r > g + 80 and r > b + 30, (seed, r, g, b)
        line = next(ln for ln in card.lines if ln.field == "id_number" and not ln.is_label)
        (x0, y0), _, (x1, y1), _ = line.quad
        pixels = np.asarray(card.image, np.float32)
        band = pixels[int(y0) - 2 : int(y0), int(x0) : int(x1)].reshape(-1, 3).mean(axis=0)
        below = pixels[int(y1) + 14 : int(y1) + 18, int(x0) : int(x1)].reshape(-1, 3).mean(axis=0)
        assert band[0] - band[1] > below[0] - below[1] + 15, (seed, band, below)


def test_chip_number_is_black() -> None:
    r, g, b = _ink(render_card(1, "chip_cccd_front"), "id_number").mean(axis=0)
    assert max(r, g, b) < 110 and max(r, g, b) - min(r, g, b) < 30


def _faces_drawn(monkeypatch: pytest.MonkeyPatch, kind: str) -> list[tuple[str, str, int]]:
    """(text, font file, size) of everything drawn while rendering one card of ``kind``."""
    drawn: list[tuple[str, str, int]] = []
    original = ImageDraw.ImageDraw.text

    def spy(self: ImageDraw.ImageDraw, xy: object, text: str, *args: object, **kwargs: object):
        font = kwargs.get("font")
        if isinstance(font, ImageFont.FreeTypeFont):
            drawn.append((text, str(font.path), int(font.size)))
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    render_card(4, kind)
    monkeypatch.undo()
    return drawn


def test_cmnd_9_values_are_typed_in_a_monospace(monkeypatch: pytest.MonkeyPatch) -> None:
    typewriter = fonts.typewriter_family()
    drawn = _faces_drawn(monkeypatch, "cmnd_9_front")
    card = render_card(4, "cmnd_9_front")
    typed = {
        ln.text for ln in card.lines if not ln.is_label and ln.field not in (None, "id_number")
    }
    # Typed letter by letter, every letter in the typewriter's face.
    letters = {text for text, path, _ in drawn if path == typewriter.bold}
    assert {c for text in typed for c in text} <= letters
    face = ImageFont.truetype(typewriter.bold, 40)
    assert face.getlength("i") == face.getlength("M") == face.getlength("Ư")
    # Printed cards are not typed.
    assert not any(p == typewriter.bold for _, p, _ in _faces_drawn(monkeypatch, "chip_cccd_front"))


def _letter_bottoms(canvas: Canvas, font: ImageFont.FreeTypeFont, count: int) -> list[int]:
    """The lowest inked row under each of ``count`` letters set from x = 20 at one pitch."""
    ink = np.asarray(canvas.image.convert("L")) < 128
    advance = font.getlength("H")
    bottoms = []
    for index in range(count):
        left = round(20 + index * advance + 4)
        columns = ink[:, left : round(left + advance - 8)]
        bottoms.append(int(np.nonzero(columns.any(axis=1))[0].max()))
    return bottoms


def test_typed_letters_sit_unevenly_on_the_baseline() -> None:
    font = ImageFont.truetype(fonts.typewriter_family().bold, 40)
    bottoms: set[int] = set()
    for seed in range(3):
        canvas = Canvas(Image.new("RGB", (900, 120), (255, 255, 255)))
        canvas.typed((20, 80), "H" * 12, font, (0, 0, 0), make_rng(seed, "typing"))
        bottoms.update(_letter_bottoms(canvas, font, 12))
    assert max(bottoms) - min(bottoms) >= 2, bottoms
    # Printed text stands on one line.
    canvas = Canvas(Image.new("RGB", (900, 120), (255, 255, 255)))
    canvas.text((20, 80), "H" * 12, font, (0, 0, 0), is_label=False)
    assert len(set(_letter_bottoms(canvas, font, 12))) == 1


def test_cmnd_9_values_stand_on_dotted_lines() -> None:
    for seed in range(3):
        card = render_card(seed, "cmnd_9_front")
        grey = cv2.cvtColor(np.asarray(card.image), cv2.COLOR_RGB2GRAY).astype(np.float32)
        dotted = 0
        values = [ln for ln in card.lines if not ln.is_label and ln.field != "id_number"]
        for line in values:
            (_, y0), (x1, _), (_, y1), _ = line.quad
            start, end = int(x1) + 8, 930
            if end - start < 60:
                continue
            band = grey[int(y0) : int(y1) + 8, start:end]
            background = np.median(band)
            # The row of the dotted line: dark dots at a steady pitch.
            row = band[np.argmin(band.min(axis=1) + band.mean(axis=1))]
            dots = np.count_nonzero((row[1:-1] < background - 25) & (row[1:-1] <= row[:-2]))
            if dots >= 0.5 * (end - start) / 6:
                dotted += 1
        assert dotted >= 2, (seed, dotted)


def test_bilingual_labels_set_the_english_in_smaller_italic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = _faces_drawn(monkeypatch, "chip_cccd_front")
    native = next(d for d in drawn if d[0] == "Họ và tên")
    english = next(d for d in drawn if d[0] == " / Full name:")
    assert "Italic" in english[1] or "Oblique" in english[1], english
    assert english[2] < native[2]
    card = render_card(4, "chip_cccd_front")
    assert "Họ và tên / Full name:" in [ln.text for ln in card.lines if ln.is_label]


def test_old_laminate_yellows_fades_and_scratches() -> None:
    flat = Image.new("RGB", SIZE, (200, 200, 200))
    new = np.asarray(wear(flat, make_rng(1, "wear"), 0.0), np.float32)
    old = np.asarray(wear(flat, make_rng(1, "wear"), 1.0), np.float32)
    assert np.abs(new.reshape(-1, 3).mean(axis=0) - 200).max() < 1
    r, g, b = old.reshape(-1, 3).mean(axis=0)
    assert r - b > 8 and r > g > b  # yellowed: blue lost most
    # Scratches: thin lines lighter than the laminate around them.
    lighter = old.mean(axis=2) - cv2.medianBlur(old.astype(np.uint8), 5).mean(axis=2)
    assert np.count_nonzero(lighter > 12) > 100


def _card_pixels(photo: SyntheticCard) -> np.ndarray:
    mask = np.zeros(photo.image.size[::-1], np.uint8)
    assert photo.card_quad is not None
    cv2.fillPoly(mask, [np.round(np.array(photo.card_quad)).astype(np.int32)], 1)
    mask = cv2.erode(mask, np.ones((9, 9), np.uint8))
    return np.asarray(photo.image)[mask > 0]


def test_photos_have_glare_spots_and_colour_casts() -> None:
    card = render_card(6, "cccd_2016_front")
    glared, balance = 0, []
    for seed in range(10):
        pixels = _card_pixels(capture(card, seed, "lowres")).astype(np.float32)
        # A blown-out spot: white in every channel, which the card never prints.
        if np.count_nonzero(pixels.min(axis=1) > 245) > 0.0005 * len(pixels):
            glared += 1
        r, _, b = pixels.mean(axis=0)
        balance.append(r / b)
    assert 1 <= glared <= 8, glared
    assert max(balance) - min(balance) > 0.12, balance


def test_some_photos_are_small() -> None:
    card = render_card(1, "cmnd_9_front")
    widths = []
    for seed in range(8):
        photo = capture(card, seed, "lowres")
        assert photo.card_quad is not None
        (x0, _), (x1, _), _, _ = photo.card_quad
        widths.append(x1 - x0)
    assert min(widths) < 480 and max(widths) < 660, widths


def test_screen_photo_keeps_the_ground_truth() -> None:
    flat = render_card(3, "chip_cccd_front")
    photo = capture(flat, 3, "screen")
    again = capture(flat, 3, "screen")
    assert photo.image.tobytes() == again.image.tobytes()
    assert photo.fields == flat.fields
    src = np.array([p for ln in flat.lines for p in ln.quad], np.float64)
    dst = np.array([p for ln in photo.lines for p in ln.quad], np.float64)
    homography, _ = cv2.findHomography(src, dst, 0)
    moved = cv2.perspectiveTransform(src.reshape(-1, 1, 2), homography).reshape(-1, 2)
    assert np.abs(moved - dst).max() < 0.05
    # The screen's raised black level: even the ink is not black.
    grey = _card_pixels(photo).mean(axis=1)
    assert np.percentile(grey, 0.5) > 12


@pytest.mark.parametrize("design", ["chip_cccd_back", "can_cuoc_2024_back"])
def test_machine_readable_zone_stands_on_a_quiet_background(design: str) -> None:
    image = np.asarray(card_background(make_rng(5, design), design, SIZE), np.float32)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    detail = np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 3))
    assert detail[500:610].mean() < 0.4 * detail[100:400].mean()


@pytest.mark.parametrize(
    ("pool", "package"),
    [
        (fonts.typewriter_family, "fonts-freefont-ttf"),
        (fonts.card_sans_pool, "fonts-liberation2"),
        (fonts.card_serif_pool, "fonts-liberation2"),
    ],
)
def test_missing_card_fonts_name_the_package(
    monkeypatch: pytest.MonkeyPatch, pool: object, package: str
) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", ("/nonexistent",))
    pool.cache_clear()  # type: ignore[attr-defined]
    try:
        with pytest.raises(RuntimeError, match=package):
            pool()  # type: ignore[operator]
    finally:
        monkeypatch.undo()
        pool.cache_clear()  # type: ignore[attr-defined]
