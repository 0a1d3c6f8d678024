"""Reading card QR codes: decoding photos of generated cards and parsing payloads defensively."""

from __future__ import annotations

import functools

import cv2
import numpy as np
import pytest
import zxingcpp

from id_card_scan.cards.qr import (
    CanCuoc2024Qr,
    CccdQr,
    decode_qr,
    parse_can_cuoc_2024_payload,
    parse_cccd_payload,
    payload_text,
    read_card_qr,
    repair_mojibake,
)
from id_card_scan.synth import SyntheticCard, capture, render_card

# Measured with zxing-cpp 3.1.1 over seeds 0-19: flat 20/20, camera 20/20, phone 19/20
# (over seeds 0-39: 40/40, 40/40, 35/40). The floors leave a little room for library and
# OpenCV updates that shift pixels; OpenCV's own detector read about 1 in 12 camera/phone shots.
RATE_SEEDS = range(20)
RATE_FLOORS = {"flat": 20, "camera": 18, "phone": 16}
FIELDS = ("id_number", "full_name", "date_of_birth", "sex", "place_of_residence")


@functools.cache
def _card(seed: int) -> SyntheticCard:
    return render_card(seed, "chip_cccd_front")


@functools.cache
def _shot(seed: int, variant: str) -> np.ndarray:
    return np.asarray(capture(_card(seed), seed, variant).image)


def _qr_image(content: str | bytes, *, scale: int = 4, margin: int = 40) -> np.ndarray:
    """An RGB image of one QR code of ``content`` (bytes are written as they are)."""
    barcode = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode)
    modules = np.asarray(barcode.to_image(scale=scale))
    padded = cv2.copyMakeBorder(modules, margin, margin, margin, margin, cv2.BORDER_CONSTANT, 255)
    return np.ascontiguousarray(np.stack([padded] * 3, axis=-1))


def _as_windows_1252(data: bytes) -> str:
    """Bytes read as Windows-1252, its five undefined bytes kept as C1 controls (as editors do)."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in data)


def _assert_matches_card(card: SyntheticCard, image: np.ndarray) -> None:
    result = read_card_qr(image)
    assert result is not None
    assert result.layout == "chip_cccd"
    assert isinstance(result.payload, CccdQr)
    assert result.text == card.qr_payload
    assert result.payload.problems == []
    fields = result.fields
    for key in FIELDS:
        if key == "full_name":
            # The QR writes the name in mixed case; the card prints it in capitals.
            assert fields[key].upper() == card.fields[key]
            assert card.qr_payload is not None
            assert fields[key] == card.qr_payload.split("|")[2]
        else:
            assert fields[key] == card.fields[key], key


# --- Generated cards -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_flat_card_qr_gives_the_card_fields(seed: int) -> None:
    card = _card(seed)
    _assert_matches_card(card, _shot(seed, "flat"))
    payload = read_card_qr(_shot(seed, "flat"))
    assert payload is not None
    assert isinstance(payload.payload, CccdQr)
    expected = card.qr_payload.split("|") if card.qr_payload else []
    assert payload.payload.old_id_number == (expected[1] or None)
    assert payload.payload.date_of_issue is not None


@pytest.mark.parametrize("seed", range(3))
def test_camera_capture_qr_gives_the_card_fields(seed: int) -> None:
    _assert_matches_card(_card(seed), _shot(seed, "camera"))


@pytest.mark.parametrize("variant", ["flat", "camera", "phone"])
def test_decode_rate_per_capture_variant(variant: str) -> None:
    decoded = 0
    for seed in RATE_SEEDS:
        result = read_card_qr(_shot(seed, variant))
        if result is not None:
            # A decode is only counted right: a wrong read would be worse than none.
            assert result.text == _card(seed).qr_payload
            decoded += 1
    assert decoded >= RATE_FLOORS[variant], f"{variant}: {decoded}/{len(RATE_SEEDS)}"


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_rotated_card_is_read(turns: int) -> None:
    card = _card(0)
    _assert_matches_card(card, np.ascontiguousarray(np.rot90(_shot(0, "camera"), turns)))


def test_large_photo_is_downscaled_and_read() -> None:
    card = _card(1)
    big = cv2.resize(_shot(1, "flat"), None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
    assert max(big.shape) > 3000
    _assert_matches_card(card, big)


def test_other_card_kinds_have_no_qr() -> None:
    for kind in ("can_cuoc_2024_front", "cccd_2016_front", "cmnd_9_front"):
        image = np.asarray(render_card(0, kind).image)
        assert read_card_qr(image) is None


# --- Odd images --------------------------------------------------------------------------------


def test_image_without_qr_gives_none() -> None:
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(300, 400, 3), dtype=np.uint8)
    assert decode_qr(noise) == []
    assert read_card_qr(noise) is None
    assert read_card_qr(np.full((200, 200, 3), 255, np.uint8)) is None


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((1, 1, 3), np.uint8),
        np.zeros((5, 3), np.uint8),
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((100,), np.uint8),
        np.zeros((50, 50, 7), np.uint8),
        np.full((60, 60, 3), np.nan, np.float32),
        np.zeros((60, 60, 3), object),
    ],
    ids=["1x1", "tiny-grey", "empty", "1d", "7-channels", "nan-float", "object"],
)
def test_weird_images_do_not_raise(image: np.ndarray) -> None:
    assert decode_qr(image) == []
    assert read_card_qr(image) is None


def test_other_pixel_formats_are_read() -> None:
    payload = "079201012345||Nguyễn Văn An|01012001|Nam|Hà Nội|15062021"
    rgb = _qr_image(payload)
    assert decode_qr(rgb[..., 0]) == [payload]  # greyscale
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    assert decode_qr(rgba) == [payload]
    assert decode_qr(rgb.astype(np.float32) / 255.0) == [payload]


# --- Payload text ---------------------------------------------------------------------------


def test_mojibake_is_repaired() -> None:
    mangled = "Nguyễn Thị Hằng".encode().decode("cp1252")
    assert mangled == "Nguyá»…n Thá»‹ Háº±ng"
    assert repair_mojibake(mangled) == "Nguyễn Thị Hằng"
    # Correct text and ASCII are left alone.
    assert repair_mojibake("Nguyễn Thị Hằng") == "Nguyễn Thị Hằng"
    assert repair_mojibake("Thái Quỳnh") == "Thái Quỳnh"
    assert repair_mojibake("plain") == "plain"
    # Latin-1 decoding leaves C1 controls where Windows-1252 has letters (… for 0x85).
    assert repair_mojibake("Nguyễn".encode().decode("latin-1")) == "Nguyễn"


def test_payload_bytes() -> None:
    assert payload_text("Nguyễn".encode()) == "Nguyễn"
    assert payload_text("Nguyễn".encode().decode("cp1252").encode()) == "Nguyễn"
    assert payload_text(b"Nguy\xe1n \xff\xfe") is None  # not UTF-8: not trusted


def test_mojibake_qr_is_repaired_end_to_end() -> None:
    good = "079201012345|012345678|Nguyễn Thị Hằng|01012001|Nữ|Phường Bến Nghé, Quận 1|15062021"
    mangled = _as_windows_1252(good.encode())
    assert "Nghé" not in mangled
    result = read_card_qr(_qr_image(mangled))
    assert result is not None
    assert isinstance(result.payload, CccdQr)
    assert result.text == good
    assert result.payload.full_name == "Nguyễn Thị Hằng"
    assert result.payload.place_of_residence == "Phường Bến Nghé, Quận 1"


def test_non_utf8_qr_is_skipped() -> None:
    image = _qr_image(b"079201012345||Nguy\xe1n|01012001|N\xfe|H\xe0 N\xf4i|15062021")
    assert decode_qr(image) == []
    assert read_card_qr(image) is None


# --- Chip CCCD payloads ---------------------------------------------------------------------


def test_full_payload() -> None:
    parsed = parse_cccd_payload(
        "  079201012345|012345678|Nguyễn Văn An|01012001|Nam|Số 1, Phường X, Hà Nội|15062021|\n"
    )
    assert parsed is not None
    assert parsed.id_number == "079201012345"
    assert parsed.old_id_number == "012345678"
    assert parsed.full_name == "Nguyễn Văn An"
    assert parsed.date_of_birth == "01/01/2001"
    assert parsed.sex == "Nam"
    assert parsed.place_of_residence == "Số 1, Phường X, Hà Nội"
    assert parsed.date_of_issue == "15/06/2021"
    assert len(parsed.raw_fields) == 7
    assert parsed.problems == []


def test_empty_old_id() -> None:
    parsed = parse_cccd_payload("079301012345||Trần Thị Bình|02022001|Nữ|Hà Nội|15062021")
    assert parsed is not None
    assert parsed.old_id_number is None
    assert parsed.full_name == "Trần Thị Bình"
    assert parsed.problems == []


def test_six_fields_without_issue_date() -> None:
    parsed = parse_cccd_payload("079201012345|012345678|Nguyễn Văn An|01012001|Nam|Hà Nội")
    assert parsed is not None
    assert parsed.old_id_number == "012345678"
    assert parsed.place_of_residence == "Hà Nội"
    assert parsed.date_of_issue is None
    assert parsed.problems == ["date of issue is missing"]


def test_six_fields_without_old_id_field() -> None:
    parsed = parse_cccd_payload("079201012345|Nguyễn Văn An|01012001|Nam|Hà Nội|15062021")
    assert parsed is not None
    assert parsed.old_id_number is None
    assert parsed.full_name == "Nguyễn Văn An"
    assert parsed.date_of_birth == "01/01/2001"
    assert parsed.sex == "Nam"
    assert parsed.place_of_residence == "Hà Nội"
    assert parsed.date_of_issue == "15/06/2021"
    assert len(parsed.problems) == 1


def test_extra_fields_are_kept_and_noted() -> None:
    parsed = parse_cccd_payload("079201012345||Nguyễn Văn An|01012001|Nam|Hà Nội|15062021|X|Y")
    assert parsed is not None
    assert parsed.date_of_issue == "15/06/2021"
    assert parsed.raw_fields[-2:] == ("X", "Y")
    assert parsed.problems == ["2 extra field(s) after the date of issue"]


@pytest.mark.parametrize(
    ("written", "expected"), [("Nam", "Nam"), ("NAM", "Nam"), ("Nữ", "Nữ"), ("nữ", "Nữ"),
                              ("NỮ", "Nữ"), ("Nu", "Nữ"), ("NU", "Nữ"), ("nu", "Nữ")],
)  # fmt: skip
def test_sex_is_normalised(written: str, expected: str) -> None:
    digit = "2" if expected == "Nam" else "3"
    parsed = parse_cccd_payload(f"079{digit}01012345||A B|01012001|{written}|Hà Nội|15062021")
    assert parsed is not None
    assert parsed.sex == expected
    assert parsed.problems == []


def test_name_is_nfc_normalised() -> None:
    decomposed = "Nguye\u0302\u0303n Văn An"
    parsed = parse_cccd_payload(f"079201012345||{decomposed}|01012001|Nam|Hà Nội|15062021")
    assert parsed is not None
    assert parsed.full_name == "Nguyễn Văn An"


def test_invalid_dates_are_none_with_a_problem() -> None:
    parsed = parse_cccd_payload("079201012345||Nguyễn Văn An|31022001|Nam|Hà Nội|1506202")
    assert parsed is not None
    assert parsed.date_of_birth is None
    assert parsed.date_of_issue is None
    assert any("date of birth" in p for p in parsed.problems)
    assert any("date of issue" in p for p in parsed.problems)


def test_inconsistent_values_are_noted() -> None:
    parsed = parse_cccd_payload("079301012345|12345|Nguyễn Văn An|01011990|Nam|Hà Nội|15062021")
    assert parsed is not None
    assert parsed.old_id_number is None
    assert parsed.sex == "Nam"
    assert any("old ID" in p for p in parsed.problems)
    assert any("does not match sex" in p for p in parsed.problems)
    assert any("birth year" in p for p in parsed.problems)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "|||",
        "hello world",
        "https://example.com/?a=1|b",
        "07920101234|x|y|01012001|Nam|a|b",  # 11 digits
        "079201012345",
        "079201012345|foo|bar",
        "079201012345|a|b|c|d|e|f",  # a 12-digit number, but nothing else fits
        "\x00\udcff|💥",
    ],
)
def test_garbage_is_not_a_cccd_payload(text: str) -> None:
    assert parse_cccd_payload(text) is None


# --- 2024 payloads ----------------------------------------------------------------------------


def test_2024_payload_with_unknown_fields() -> None:
    text = (
        "079201012345|Nguyễn Văn An|01012001|Nam|Số 1, Phường X, Hà Nội|15072024|012345678"
        "|Nguyễn Văn Bố|Trần Thị Mẹ|ZX-42|"
    )
    assert parse_cccd_payload(text) is None  # the chip CCCD's order does not fit
    parsed = parse_can_cuoc_2024_payload(text)
    assert isinstance(parsed, CanCuoc2024Qr)
    assert parsed.id_number == "079201012345"
    assert parsed.old_id_number == "012345678"
    assert parsed.full_name == "Nguyễn Văn An"
    assert parsed.date_of_birth == "01/01/2001"
    assert parsed.other_dates == ["15/07/2024"]
    assert parsed.sex == "Nam"
    assert "Số 1, Phường X, Hà Nội" in parsed.unknown_fields
    assert "ZX-42" in parsed.unknown_fields
    assert "Trần Thị Mẹ" in parsed.unknown_fields

    result = read_card_qr(_qr_image(text))
    assert result is not None
    assert result.layout == "can_cuoc_2024"
    assert result.fields == {
        "id_number": "079201012345",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "01/01/2001",
        "sex": "Nam",
    }


def test_2024_parser_reports_only_what_is_certain() -> None:
    parsed = parse_can_cuoc_2024_payload("xx|079201012345|Nam|Nữ|99999999")
    assert parsed is not None
    assert parsed.id_number == "079201012345"
    assert parsed.sex is None
    assert parsed.full_name is None
    assert parsed.date_of_birth is None
    assert parsed.problems


@pytest.mark.parametrize("text", ["", "|", "hello", "12345|Nam", "\udcff"])
def test_2024_parser_without_an_id_gives_none(text: str) -> None:
    assert parse_can_cuoc_2024_payload(text) is None


def test_qr_that_is_no_card_payload_gives_none() -> None:
    image = _qr_image("https://example.com/not-a-card")
    assert decode_qr(image) == ["https://example.com/not-a-card"]
    assert read_card_qr(image) is None
