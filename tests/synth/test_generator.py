"""The synthetic card generator: determinism, valid data, exact and consistent ground truth."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import cv2
import numpy as np
import pytest
from PIL import Image

from id_card_scan.synth import (
    CARD_KINDS,
    SyntheticCard,
    TextLine,
    capture,
    data,
    fonts,
    render_card,
    render_text_line,
)

SEEDS = range(12)
TWELVE_DIGIT_KINDS = ("chip_cccd_front", "can_cuoc_2024_front", "cccd_2016_front", "cmnd_12_front")
# The older backs print the issue date in words ("Ngày 15 tháng 08 năm 2010"): the numbers
# are its value lines, the field holds the date as DD/MM/YYYY.
WORDED_DATE_KINDS = ("cccd_2016_back", "cmnd_9_back", "cmnd_12_back")
# The old CMND's birth date was typed as 05-03-1980; the field holds it as DD/MM/YYYY.
DASHED_DATES = {("cmnd_9_front", "date_of_birth")}
# The signer's title is the place of issue: no label announces it.
UNLABELLED = ("place_of_issue",)


def _bytes(card: SyntheticCard) -> bytes:
    return card.image.tobytes()


def _signed_area(quad: tuple[tuple[float, float], ...]) -> float:
    # Positive for clockwise order on screen (y grows downward).
    pts = np.array(quad)
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _date(text: str) -> dt.date:
    day, month, year = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


def test_required_kinds_exist() -> None:
    assert {"chip_cccd_front", "can_cuoc_2024_front"} <= set(CARD_KINDS)


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_same_seed_same_bytes_and_other_seed_differs(kind: str) -> None:
    first, again, other = render_card(7, kind), render_card(7, kind), render_card(8, kind)
    assert _bytes(first) == _bytes(again)
    assert first.lines == again.lines and first.fields == again.fields
    assert _bytes(first) != _bytes(other)
    assert first.fields != other.fields


@pytest.mark.parametrize("variant", ["camera", "phone"])
def test_capture_is_deterministic(variant: str) -> None:
    card = render_card(3)
    first, again, other = (
        capture(card, 5, variant),
        capture(card, 5, variant),
        capture(card, 6, variant),
    )
    assert _bytes(first) == _bytes(again)
    assert first.lines == again.lines
    assert _bytes(first) != _bytes(other)


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_card_image_shape(kind: str) -> None:
    card = render_card(0, kind)
    assert card.kind == kind
    assert card.image.mode == "RGB"
    width, height = card.image.size
    assert 950 <= width <= 1050
    assert abs(width / height - 85.6 / 54) < 0.01


@pytest.mark.parametrize("kind", TWELVE_DIGIT_KINDS)
def test_id_number_is_valid(kind: str) -> None:
    centuries = set()
    for seed in range(25):
        fields = render_card(seed, kind).fields
        number, birth = fields["id_number"], _date(fields["date_of_birth"])
        assert len(number) == 12 and number.isdigit()
        assert number[:3] in data.PROVINCES
        assert number.startswith("0")  # every province code has a leading zero
        male = {"Nam": True, "Nữ": False}[fields["sex"]]
        expected = 2 * (birth.year // 100 - 19) + (0 if male else 1)
        assert int(number[3]) == expected, (number, fields)
        assert number[4:6] == f"{birth.year % 100:02d}"
        centuries.add(birth.year // 100)
    if kind == "can_cuoc_2024_front":
        assert centuries == {19, 20}  # both digit pairs 0/1 and 2/3 are exercised


def test_cmnd_number_has_nine_digits() -> None:
    for seed in SEEDS:
        number = render_card(seed, "cmnd_9_front").fields["id_number"]
        assert len(number) == 9 and number.isdigit()


@pytest.mark.parametrize("kind", ["chip_cccd_front", "cccd_2016_front"])
def test_expiry_follows_the_age_rule(kind: str) -> None:
    for seed in range(30):
        fields = render_card(seed, kind).fields
        birth = _date(fields["date_of_birth"])
        if fields["date_of_expiry"] == data.NO_EXPIRY:
            continue
        expiry = _date(fields["date_of_expiry"])
        assert (expiry.day, expiry.month) == (birth.day, birth.month)
        assert expiry.year - birth.year in (25, 40, 60)


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_every_field_is_printed_as_lines(kind: str) -> None:
    for seed in SEEDS:
        card = render_card(seed, kind)
        texts = {line.text for line in card.lines}
        assert card.fields, kind
        for key, value in card.fields.items():
            assert value, key
            assert unicodedata.is_normalized("NFC", value)
            value_lines = [ln for ln in card.lines if ln.field == key and not ln.is_label]
            printed = value
            if (kind, key) in DASHED_DATES:
                printed = value.replace("/", "-")
                assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", card.field_text(key))
            if key == "date_of_issue" and kind in WORDED_DATE_KINDS:
                assert "/".join(ln.text for ln in value_lines) == value
            else:
                assert card.field_text(key) == printed, (key, value)
            if len(value_lines) == 1:
                assert printed in texts
            labels = [ln for ln in card.lines if ln.field == key and ln.is_label]
            assert labels or key in UNLABELLED, f"no label for {key}"


def test_chip_card_fields_and_labels() -> None:
    card = render_card(1)
    assert set(card.fields) == {
        "id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
        "place_of_residence", "date_of_expiry",
    }  # fmt: skip
    texts = [line.text for line in card.lines]
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "CĂN CƯỚC CÔNG DÂN",
        "Citizen Identity Card",
        "Số / No.:",
        "Họ và tên / Full name:",
        "Ngày sinh / Date of birth:",
        "Giới tính / Sex:",
        "Quốc tịch / Nationality:",
        "Quê quán / Place of origin:",
        "Nơi thường trú / Place of residence:",
        "Có giá trị đến:",
        "Date of expiry",
    ):
        assert expected in texts
    assert card.fields["full_name"] == card.fields["full_name"].upper()
    assert card.fields["nationality"] == "Việt Nam"
    assert card.qr_payload is not None and card.qr_payload.split("|")[0] == card.fields["id_number"]


def test_2024_card_labels() -> None:
    card = render_card(1, "can_cuoc_2024_front")
    assert set(card.fields) == {"id_number", "full_name", "date_of_birth", "sex", "nationality"}
    texts = [line.text for line in card.lines]
    for expected in (
        "CĂN CƯỚC",
        "IDENTITY CARD",
        "Số định danh cá nhân / Personal identification number:",
        "Họ, chữ đệm và tên khai sinh / Full name:",
        "Ngày, tháng, năm sinh / Date of birth:",
    ):
        assert expected in texts


def _check_quads(lines: list[TextLine], size: tuple[int, int]) -> None:
    width, height = size
    for line in lines:
        assert len(line.quad) == 4
        for x, y in line.quad:
            assert 0 <= x <= width and 0 <= y <= height, (line.text, line.quad)
        assert _signed_area(line.quad) > 10, line.text  # clockwise and not degenerate


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_quads_inside_image_and_disjoint(kind: str) -> None:
    for seed in SEEDS:
        card = render_card(seed, kind)
        _check_quads(card.lines, card.image.size)
        boxes = [(ln.quad[0][0], ln.quad[0][1], ln.quad[2][0], ln.quad[2][1]) for ln in card.lines]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap = min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
                assert not overlap, (seed, card.lines[i].text, a, b)


def test_flat_quads_are_tight() -> None:
    card = render_card(4)
    grey = np.asarray(card.image.convert("L"), np.int16)
    for line in card.lines:
        (x0, y0), _, (x1, y1), _ = line.quad
        x0, y0, x1, y1 = int(x0), int(y0), int(x1), int(y1)
        inside = grey[y0:y1, x0:x1]
        paper = float(np.percentile(grey[y0 - 6 : y0 - 2, x0:x1], 50))
        # Each edge row/column of a tight box holds (anti-aliased) ink ...
        for edge in (inside[0], inside[-1], inside[:, 0], inside[:, -1]):
            assert edge.min() < paper - 8, line.text
        # ... and two pixels further out there is none, only the faint background pattern.
        above, below = grey[y0 - 3, x0:x1], grey[y1 + 2, x0:x1]
        left, right = grey[y0:y1, x0 - 3], grey[y0:y1, x1 + 2]
        for outside in (above, below, left, right):
            assert outside.min() > paper - 60, line.text


def _ink_contrast(image: Image.Image, quad: tuple[tuple[float, float], ...]) -> float:
    """Mean grey in a thin ring around the quad minus mean grey inside it (text is dark)."""
    grey = np.asarray(image.convert("L"), np.float32)
    poly = np.round(np.array(quad) * 4).astype(np.int32)
    inside = np.zeros(grey.shape, np.uint8)
    cv2.fillPoly(inside, [poly], 1, shift=2)
    ring = cv2.dilate(inside, np.ones((7, 7), np.uint8)) - inside
    return float(grey[ring > 0].mean() - grey[inside > 0].mean())


def _area(quad: tuple[tuple[float, float], ...]) -> float:
    return abs(_signed_area(quad))


@pytest.mark.parametrize("variant", ["camera", "phone"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_capture_moves_quads_consistently(variant: str, seed: int) -> None:
    kind = CARD_KINDS[seed % len(CARD_KINDS)]
    flat = render_card(seed, kind)
    photo = capture(flat, seed, variant)
    assert photo.fields == flat.fields and photo.kind == flat.kind
    assert [ln.text for ln in photo.lines] == [ln.text for ln in flat.lines]
    assert [ln.is_label for ln in photo.lines] == [ln.is_label for ln in flat.lines]
    _check_quads(photo.lines, photo.image.size)

    # One homography maps every flat corner onto its captured corner.
    src = np.array([p for ln in flat.lines for p in ln.quad], np.float64)
    dst = np.array([p for ln in photo.lines for p in ln.quad], np.float64)
    homography, _ = cv2.findHomography(src, dst, 0)
    reprojected = cv2.perspectiveTransform(src.reshape(-1, 1, 2), homography).reshape(-1, 2)
    assert np.abs(reprojected - dst).max() < 0.05

    ratios = np.array(
        [_area(b.quad) / _area(a.quad) for a, b in zip(flat.lines, photo.lines, strict=True)]
    )
    assert np.all((ratios > 0.5 * np.median(ratios)) & (ratios < 2 * np.median(ratios)))
    if variant == "phone":
        card_width = np.median(ratios) ** 0.5 * flat.image.width
        assert 0.3 * photo.image.width <= card_width <= 0.65 * photo.image.width

    # The quads sit on the text in the photo: darker inside than just around.
    contrasts = [_ink_contrast(photo.image, ln.quad) for ln in photo.lines]
    assert sum(c > 5 for c in contrasts) >= 0.9 * len(contrasts), contrasts
    values = [
        c for c, ln in zip(contrasts, photo.lines, strict=True) if ln.field and not ln.is_label
    ]
    assert min(values) > 5, values


def test_capture_shifted_quads_lose_contrast() -> None:
    # Guards the contrast check above: a quad moved off its text by one line height fails.
    flat = render_card(2)
    photo = capture(flat, 2, "camera")
    line = next(ln for ln in photo.lines if ln.field == "full_name" and not ln.is_label)
    height = line.quad[3][1] - line.quad[0][1]
    moved = tuple((x, y + 1.4 * height) for x, y in line.quad)
    assert _ink_contrast(photo.image, line.quad) > _ink_contrast(photo.image, moved) + 10


def test_capture_sizes_and_jpeg_like() -> None:
    card = render_card(9)
    camera = capture(card, 9, "camera")
    assert camera.image.mode == "RGB" and camera.image.size == (1200, 800)
    phone = capture(card, 9, "phone")
    assert phone.image.mode == "RGB" and max(phone.image.size) == 2000


def test_flat_capture_is_a_copy() -> None:
    card = render_card(5)
    flat = capture(card, 1, "flat")
    assert flat.image is not card.image
    assert _bytes(flat) == _bytes(card)
    assert flat.lines == card.lines and flat.fields == card.fields


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        render_card(1, "passport")
    with pytest.raises(ValueError):
        capture(render_card(1), 1, "scanner")
    with pytest.raises(ValueError):
        render_text_line("x", 1, height=4)


@pytest.mark.parametrize("height", [16, 32, 48, 64])
def test_render_text_line_height(height: int) -> None:
    text = "Nơi thường trú: Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
    image = render_text_line(text, 3, height=height)
    assert image.mode == "RGB"
    assert image.height == height
    assert image.width > 5 * height
    grey = np.asarray(image.convert("L"))
    assert grey.min() < 100 and np.median(grey) > 180  # dark text on light paper


def test_render_text_line_is_deterministic() -> None:
    a = render_text_line("Nguyễn Thị Phượng", 11)
    assert a.tobytes() == render_text_line("Nguyễn Thị Phượng", 11).tobytes()
    assert a.tobytes() != render_text_line("Nguyễn Thị Phượng", 12).tobytes()
    assert render_text_line("", 1).height == 48


def test_tall_stacked_accents_fit() -> None:
    for seed in range(8):
        image = render_text_line("ỖẪỄỠỮẰẲẴ ỹỷ", seed, height=24)
        grey = np.asarray(image.convert("L"))
        # No ink in the first and last rows: nothing was clipped.
        assert grey[0].min() > 100 and grey[-1].min() > 100


def test_font_pool_renders_vietnamese() -> None:
    pool = fonts.font_pool()
    assert pool
    for family in pool:
        assert fonts.renders_vietnamese(family.regular)
        assert fonts.renders_vietnamese(family.bold)


def test_missing_fonts_name_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", ("/nonexistent",))
    fonts.font_pool.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="fonts-dejavu-core"):
            fonts.font_pool()
    finally:
        monkeypatch.undo()
        fonts.font_pool.cache_clear()


def test_data_lists() -> None:
    assert len(data.WARDS) >= 25
    assert all(code in data.PROVINCES for _, _, code in data.WARDS)
    names = data.SURNAMES + data.GIVEN_MALE + data.GIVEN_FEMALE + data.MIDDLE_FEMALE
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    # All five tone marks occur (acute, grave, hook, tilde, dot below).
    marks = {c for name in names for c in unicodedata.normalize("NFD", name)}
    assert {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"} <= marks
