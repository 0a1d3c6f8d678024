"""Reading values out of the text real photos give: captions, label scraps, numbers."""

from __future__ import annotations

import pytest

from id_card_scan.extraction.rules.values import (
    LABEL_SCRAP,
    UNCHECKED_TEXT,
    Read,
    drop_leading_scraps,
    read_address,
    read_id,
    read_name,
    read_nationality,
    read_sex,
    strip_english,
)


@pytest.mark.parametrize(
    ("text", "caption", "value"),
    [
        ("Ptuce ofmesdence 12 Ngõ 5", "Place of residence", "12 Ngõ 5"),
        ("i Ptace ofmssueocw 77 Hàng Bồ", "Place of residence", "77 Hàng Bồ"),
        ("Piace ofi An Bình, Nam Sách", "Place of origin", "An Bình, Nam Sách"),
        ("Natinoaty. Việt Nam", "Nationality", "Việt Nam"),
        ("Date ofbirth: 12/02/1990", "Date of birth", "12/02/1990"),
        ("An Bình, Nam Sách", "Place of origin", "An Bình, Nam Sách"),  # a value: kept
        ("Khu pho 5", "Place of residence", "Khu pho 5"),
    ],
)
def test_a_misread_english_caption_is_cut_from_the_value(
    text: str, caption: str, value: str
) -> None:
    assert strip_english(text, caption) == value


@pytest.mark.parametrize(
    ("text", "digits", "number"),
    [
        ("56048213579", 9, "048213579"),  # "Số" read as "56"
        ("509213457689", 9, "213457689"),
        ("86001090012345", 12, "001090012345"),
    ],
)
def test_a_number_behind_a_label_read_as_digits(text: str, digits: int, number: str) -> None:
    got = read_id(text, digits)
    assert got is not None and got.value == number and LABEL_SCRAP in got.problems[0]


def test_a_longer_run_that_is_no_plausible_number_is_not_cut() -> None:
    # The last 12 digits name no province (digits 1-3 "990"): only flagged.
    got = read_id("8699012345678", 12)
    assert got is not None and got.value == "8699012345678"
    assert got.problems[0].startswith("ID_LENGTH")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("nsooxmuengru Xuân Lương, Yên Thế", "Xuân Lương, Yên Thế"),
        ("ax Quỳnh Bảng", "Quỳnh Bảng"),
        ("Sihhrsa Nguyanquog Bình Thủy", "Bình Thủy"),
        ("Số 5 Lê Lợi", "Số 5 Lê Lợi"),
        ("12/3 Khu phố 4", "12/3 Khu phố 4"),
        ("X.Liên Minh, H.Võ Nhai", "X.Liên Minh, H.Võ Nhai"),
        ("TBanh Hóa", "TBanh Hóa"),  # a short misread word is the value's
    ],
)
def test_label_scraps_before_an_address_are_dropped(text: str, kept: str) -> None:
    assert drop_leading_scraps(text) == kept


def test_an_address_is_no_date_and_loses_dots_read_for_spaces() -> None:
    assert read_address("02/03/2030") is None
    got = read_address("Xã Ngọc Khê Huyện.Ngọc Lặc, TP.Thanh Hoá")
    assert got is not None and got.value == "Xã Ngọc Khê Huyện Ngọc Lặc, TP.Thanh Hoá"


def test_a_name_is_capitals_not_a_caption() -> None:
    assert read_name("Full name:") is None
    assert read_name("khai sinh") is None
    got = read_name("và vé DƯƠNG THỊNGỌC")
    assert got is not None and got.value == "DƯƠNG THỊ NGỌC"


def test_nationality_found_in_a_caption_scrap() -> None:
    got = read_nationality("Nmonalty Viet Nam")
    assert got is not None and got.value == "Việt Nam"


def test_the_nationality_beside_the_sex_is_not_read_as_it() -> None:
    assert read_sex("Việt Nam") is None
    assert read_sex("Narn_") == Read("Nam")
    assert read_sex("Nam Quốc tịch: Việt Nam") == Read("Nam")


def test_the_nationality_labels_first_word_is_no_value() -> None:
    assert read_nationality("Quốc") is None
    assert read_nationality("Việt Nam") == Read("Việt Nam")


def test_a_label_scrap_glued_to_the_name_is_cut_off() -> None:
    assert read_name("HotenPHAN MINH ĐỨC") == Read("PHAN MINH ĐỨC", factor=UNCHECKED_TEXT)
    assert read_name("HovàtênNGUYỄN THỊ HẠNH").value == "NGUYỄN THỊ HẠNH"
