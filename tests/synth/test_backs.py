"""Card backs and the 12-digit CMND: fields, MRZ (checked by hand, not by the project's
parser alone), QR codes and the same holder on both sides of a card."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pytest

from id_card_scan.cards.id_number import check_id_number
from id_card_scan.cards.mrz import parse_td1
from id_card_scan.cards.qr import decode_qr, parse_can_cuoc_2024_payload, parse_cccd_payload
from id_card_scan.extraction.catalogue import CATALOGUE
from id_card_scan.synth import CARD_KINDS, render_card
from id_card_scan.synth.data import NO_EXPIRY

MRZ_KINDS = ("chip_cccd_back", "can_cuoc_2024_back")
BACKS = tuple(kind for kind in CARD_KINDS if kind.endswith("_back"))
SEEDS = range(10)
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def icao_check(data: str) -> str:
    """ICAO 9303 check digit, written again here so that the generator's is checked."""
    values = {str(d): d for d in range(10)} | {"<": 0}
    values |= {chr(ord("A") + i): 10 + i for i in range(26)}
    return str(sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(data)) % 10)


def _yymmdd(text: str) -> str:
    day, month, year = text.split("/")
    return f"{year[2:]}{month}{day}"


def test_check_digit_on_icao_specimen() -> None:
    line1, line2 = "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6"
    assert icao_check(line1[5:14]) == line1[14] == "7"
    assert icao_check(line2[0:6]) == line2[6] == "2"
    assert icao_check(line2[8:14]) == line2[14] == "9"
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    assert icao_check(composite) == line2[29] == "6"


def test_every_side_of_every_card_type() -> None:
    types = ("chip_cccd", "can_cuoc_2024", "cccd_2016", "cmnd_12", "cmnd_9")
    assert set(CARD_KINDS) == {f"{t}_{side}" for t in types for side in ("front", "back")}


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_field_keys_are_catalogue_keys_and_dates_as_printed(kind: str) -> None:
    keys = {entry.key for entry in CATALOGUE}
    for seed in range(4):
        fields = render_card(seed, kind).fields
        assert set(fields) <= keys
        for key, value in fields.items():
            if key.startswith("date_of_") and value != NO_EXPIRY:
                assert _DATE.fullmatch(value), (key, value)


@pytest.mark.parametrize("kind", BACKS)
def test_back_shows_the_front_holder(kind: str) -> None:
    front_kind = kind.replace("_back", "_front")
    for seed in range(4):
        front, back = render_card(seed, front_kind), render_card(seed, kind)
        if "place_of_residence" in back.fields:
            # The 2024 front does not print it; its QR and MRZ tie the sides together.
            assert back.mrz is not None and front.fields["id_number"] in back.mrz[0]
        if "ethnicity" in front.fields:
            assert "ethnicity" not in back.fields
        assert back.fields.keys().isdisjoint({"id_number", "full_name"})


@pytest.mark.parametrize("kind", MRZ_KINDS)
def test_mrz_is_valid_td1(kind: str) -> None:
    front_kind = kind.replace("_back", "_front")
    for seed in SEEDS:
        card, front = render_card(seed, kind), render_card(seed, front_kind)
        assert card.mrz is not None and len(card.mrz) == 3
        line1, line2, line3 = card.mrz
        for line in card.mrz:
            assert re.fullmatch(r"[A-Z0-9<]{30}", line), line
        number = front.fields["id_number"]
        assert line1[:5] == "IDVNM"
        assert line1[5:14] == number[3:]  # document number: the ID's last 9 digits
        assert line1[14] == icao_check(line1[5:14])
        assert line1[15:27] == number and line1[27:29] == "<<"
        assert line1[29] == icao_check(number)

        birth = front.fields["date_of_birth"]
        assert line2[0:6] == _yymmdd(birth) and line2[6] == icao_check(line2[0:6])
        assert line2[7] == {"Nam": "M", "Nữ": "F"}[front.fields["sex"]]
        expiry = card.fields.get("date_of_expiry") or front.fields["date_of_expiry"]
        if expiry == NO_EXPIRY:
            assert line2[8:15] == "<" * 7
        else:
            assert line2[8:14] == _yymmdd(expiry) and line2[14] == icao_check(line2[8:14])
        assert line2[15:18] == "VNM" and line2[18:29] == "<" * 11
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        assert line2[29] == icao_check(composite)

        surname, _, given = line3.rstrip("<").partition("<<")
        name = front.fields["full_name"]
        assert surname == _ascii(name.split(" ")[0])
        assert given.split("<") == [_ascii(part) for part in name.split(" ")[1:]]


def _ascii(word: str) -> str:
    bare = unicodedata.normalize("NFD", word.replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c))


@pytest.mark.parametrize("kind", MRZ_KINDS)
def test_mrz_is_drawn_and_parses(kind: str) -> None:
    for seed in SEEDS:
        card = render_card(seed, kind)
        assert card.mrz is not None
        drawn = [ln for ln in card.lines if ln.field == "mrz"]
        assert [ln.text for ln in drawn] == list(card.mrz)
        assert not any(ln.is_label for ln in drawn)
        # Top to bottom, in the lower part of the card.
        tops = [ln.quad[0][1] for ln in drawn]
        assert tops == sorted(tops) and tops[0] > card.image.height / 2

        result = parse_td1(list(card.mrz), repair=False, today=dt.date(2025, 7, 1))
        assert result.valid, result.checks
        number = card.mrz[0][15:27]
        assert result.document_number == number[3:]
        assert check_id_number(number).valid
        line2 = card.mrz[1]
        assert result.birth_date is not None
        assert result.birth_date.strftime("%y%m%d") == line2[0:6]
        assert result.sex == line2[7]
        if line2[8] == "<":
            assert result.expiry_date is None
        else:
            assert result.expiry_date is not None
            assert result.expiry_date.strftime("%y%m%d") == line2[8:14]


def test_a_card_without_expiry_fills_the_mrz_field() -> None:
    seen = 0
    for seed in range(40):
        card = render_card(seed, "can_cuoc_2024_back")
        if card.fields["date_of_expiry"] != NO_EXPIRY:
            continue
        seen += 1
        assert card.mrz is not None and card.mrz[1][8:15] == "<" * 7
        assert parse_td1(list(card.mrz), repair=False).valid
    assert seen  # holders over 60 occur among these seeds


def test_can_cuoc_2024_back_qr_decodes_and_parses() -> None:
    for seed in range(4):
        card = render_card(seed, "can_cuoc_2024_back")
        assert card.qr_payload is not None
        assert decode_qr(np.asarray(card.image)) == [card.qr_payload]
        parsed = parse_can_cuoc_2024_payload(card.qr_payload)
        assert parsed is not None and parsed.problems == []
        front = render_card(seed, "can_cuoc_2024_front")
        assert parsed.id_number == front.fields["id_number"]
        assert parsed.full_name is not None
        assert parsed.full_name.upper() == front.fields["full_name"]
        assert parsed.date_of_birth == front.fields["date_of_birth"]
        assert parsed.sex == front.fields["sex"]
        assert card.fields["place_of_residence"] in card.qr_payload.split("|")
        # A layout of its own: the chip card's reader does not take it for its own.
        assert parse_cccd_payload(card.qr_payload) is None


def test_chip_front_qr_decodes() -> None:
    card = render_card(2, "chip_cccd_front")
    assert card.qr_payload is not None
    assert decode_qr(np.asarray(card.image)) == [card.qr_payload]


def test_only_the_right_sides_carry_codes() -> None:
    for kind in CARD_KINDS:
        card = render_card(0, kind)
        assert (card.mrz is not None) == (kind in MRZ_KINDS), kind
        has_qr = kind in ("chip_cccd_front", "can_cuoc_2024_back")
        assert (card.qr_payload is not None) == has_qr, kind


def test_chip_back_labels() -> None:
    card = render_card(1, "chip_cccd_back")
    assert set(card.fields) == {"personal_identification", "date_of_issue", "place_of_issue"}
    texts = [line.text for line in card.lines]
    for expected in (
        "Đặc điểm nhân dạng / Personal identification:",
        "Ngày, tháng, năm / Date, month, year:",
        "Vân tay ngón trỏ trái",
        "Left index finger",
        "Vân tay ngón trỏ phải",
        "Right index finger",
        "DIRECTOR GENERAL OF THE POLICE DEPARTMENT",
    ):
        assert expected in texts
    assert card.fields["place_of_issue"] == (
        "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
    )


def test_can_cuoc_2024_back_labels() -> None:
    card = render_card(1, "can_cuoc_2024_back")
    assert set(card.fields) == {
        "place_of_residence", "place_of_birth_registration", "date_of_issue", "date_of_expiry",
        "place_of_issue",
    }  # fmt: skip
    texts = [line.text for line in card.lines]
    for expected in (
        "Nơi cư trú / Place of residence:",
        "Nơi đăng ký khai sinh / Place of birth registration:",
        "Ngày, tháng, năm cấp / Date of issue:",
        "Ngày, tháng, năm hết hạn / Date of expiry:",
        "BỘ CÔNG AN",
        "MINISTRY OF PUBLIC SECURITY",
    ):
        assert expected in texts
    # The ID number names the province where the birth was registered.
    number = card.mrz[0][15:27] if card.mrz else ""
    assert check_id_number(number).valid


@pytest.mark.parametrize("kind", ["cmnd_9_back", "cmnd_12_back", "cccd_2016_back"])
def test_worded_issue_date(kind: str) -> None:
    card = render_card(3, kind)
    words = [ln.text for ln in card.lines if ln.field == "date_of_issue" and ln.is_label]
    assert words == ["Ngày", "tháng", "năm"]
    numbers = [ln.text for ln in card.lines if ln.field == "date_of_issue" and not ln.is_label]
    assert "/".join(numbers) == card.fields["date_of_issue"]


def test_cmnd_backs() -> None:
    old = render_card(5, "cmnd_9_back")
    assert set(old.fields) == {
        "ethnicity", "religion", "personal_identification", "date_of_issue", "place_of_issue",
    }  # fmt: skip
    assert old.fields["place_of_issue"].startswith("GIÁM ĐỐC CA ")
    new = render_card(5, "cmnd_12_back")
    assert set(new.fields) == {
        "religion", "personal_identification", "date_of_issue", "place_of_issue",
    }  # fmt: skip
    front = render_card(5, "cmnd_12_front")
    assert {"ethnicity", "sex"} <= set(front.fields)
    assert "Dân tộc:" in [ln.text for ln in front.lines]


def test_cmnd_12_issue_dates() -> None:
    for seed in range(10):
        day, month, year = render_card(seed, "cmnd_12_back").fields["date_of_issue"].split("/")
        assert (
            dt.date(2012, 7, 1) <= dt.date(int(year), int(month), int(day)) <= dt.date(2016, 6, 30)
        )
