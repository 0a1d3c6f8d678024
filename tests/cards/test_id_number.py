from datetime import date

import pytest

from id_card_scan.cards.id_number import (
    BIRTH_YEAR_IN_FUTURE,
    BIRTH_YEAR_MISMATCH,
    CENTURY_MISMATCH,
    NOT_9_DIGITS,
    NOT_12_DIGITS,
    SEX_MISMATCH,
    UNKNOWN_PROVINCE_CODE,
    check_cmnd9,
    check_id_number,
    normalize_sex,
)
from id_card_scan.cards.provinces import PROVINCES, province_name

TODAY = date(2025, 6, 1)


def _number(province: str, sex_century: int, year: int, rest: str = "001234") -> str:
    """A made-up number built by the rules: province + sex/century digit + 2 year digits."""
    return f"{province}{sex_century}{year % 100:02d}{rest}"


@pytest.mark.parametrize(
    ("province", "digit", "birth_year", "sex", "century"),
    [
        ("079", 0, 1995, "Nam", 1900),  # TP. Hồ Chí Minh
        ("001", 1, 1962, "Nữ", 1900),  # Hà Nội
        ("031", 2, 2003, "Nam", 2000),  # Hải Phòng
        ("048", 3, 2010, "Nữ", 2000),  # Đà Nẵng
        ("096", 2, 2024, "Nam", 2000),  # Cà Mau
    ],
)
def test_valid_numbers_built_by_the_rules(
    province: str, digit: int, birth_year: int, sex: str, century: int
) -> None:
    number = _number(province, digit, birth_year)
    result = check_id_number(number, birth_year=birth_year, sex=sex, today=TODAY)
    assert result.valid and result.problems == []
    assert result.number == number
    assert result.province_code == province
    assert result.province_name == PROVINCES[province]
    assert result.sex == sex
    assert result.century == century
    assert result.birth_year_2digits == birth_year % 100
    assert result.birth_year == birth_year


def test_decoding_without_card_fields() -> None:
    result = check_id_number("079 095 001017", today=TODAY)
    assert result.valid
    assert result.number == "079095001017"
    assert (result.province_name, result.sex, result.birth_year) == ("TP. Hồ Chí Minh", "Nam", 1995)


@pytest.mark.parametrize(
    "number",
    [
        "07909500101",
        "0790950010170",
        "07909500101A",
        "",
        "079O95001017",
        "０７９０９５００１０１７",
    ],
)
def test_not_12_digits(number: str) -> None:
    result = check_id_number(number)
    assert not result.valid
    assert result.problems == [NOT_12_DIGITS]
    assert result.province_code is None and result.sex is None


def test_unknown_province_code_is_a_warning_not_invalid() -> None:
    result = check_id_number(_number("003", 0, 1990), today=TODAY)
    assert result.valid
    assert result.problems == [UNKNOWN_PROVINCE_CODE]
    assert result.warnings == [UNKNOWN_PROVINCE_CODE]
    assert result.province_code == "003" and result.province_name is None


def test_sex_mismatch() -> None:
    result = check_id_number(_number("079", 0, 1995), sex="Nữ", today=TODAY)
    assert not result.valid and result.problems == [SEX_MISMATCH]
    assert check_id_number(_number("079", 1, 1995), sex="F", today=TODAY).valid
    assert check_id_number(_number("079", 1, 1995), sex="M", today=TODAY).problems == [SEX_MISMATCH]


def test_century_mismatch() -> None:
    # Digit 4 says born in the 1900s, the card says 2005: same two digits, other century.
    result = check_id_number(_number("079", 0, 2005), birth_year=2005, today=TODAY)
    assert not result.valid and result.problems == [CENTURY_MISMATCH]


def test_birth_year_mismatch() -> None:
    result = check_id_number(_number("079", 0, 1995), birth_year=1996, today=TODAY)
    assert not result.valid and result.problems == [BIRTH_YEAR_MISMATCH]


def test_both_year_problems_and_sex_together() -> None:
    result = check_id_number(_number("079", 2, 2001), birth_year=1987, sex="Nữ", today=TODAY)
    assert result.problems == [SEX_MISMATCH, CENTURY_MISMATCH, BIRTH_YEAR_MISMATCH]


def test_birth_year_in_the_future() -> None:
    result = check_id_number(_number("079", 4, 2105), today=TODAY)
    assert result.century == 2100
    assert not result.valid and result.problems == [BIRTH_YEAR_IN_FUTURE]
    assert check_id_number(_number("079", 2, 2026), today=TODAY).problems == [BIRTH_YEAR_IN_FUTURE]


@pytest.mark.parametrize(
    ("digit", "sex", "century"),
    [
        (0, "Nam", 1900),
        (1, "Nữ", 1900),
        (2, "Nam", 2000),
        (3, "Nữ", 2000),
        (4, "Nam", 2100),
        (5, "Nữ", 2100),
        (6, "Nam", 2200),
        (7, "Nữ", 2200),
        (8, "Nam", 2300),
        (9, "Nữ", 2300),
    ],
)
def test_sex_and_century_digit(digit: int, sex: str, century: int) -> None:
    result = check_id_number(_number("001", digit, 0))
    assert (result.sex, result.century, result.birth_year) == (sex, century, century)


def test_normalize_sex() -> None:
    assert normalize_sex(" nam ") == "Nam"
    assert normalize_sex("NỮ") == "Nữ"
    assert normalize_sex("Nu") == "Nữ"
    with pytest.raises(ValueError):
        normalize_sex("?")


def test_province_table() -> None:
    assert len(PROVINCES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCES)
    assert min(PROVINCES) == "001" and max(PROVINCES) == "096"
    # The codes the reference file gives.
    assert province_name("001") == "Hà Nội"
    assert province_name("031") == "Hải Phòng"
    assert province_name("048") == "Đà Nẵng"
    assert province_name("079") == "TP. Hồ Chí Minh"
    assert province_name("000") is None


def test_cmnd9() -> None:
    assert check_cmnd9("025 123 456").valid
    assert check_cmnd9("025123456").problems == []
    for bad in ("02512345", "0251234567", "02512345X", ""):
        result = check_cmnd9(bad)
        assert not result.valid and result.problems == [NOT_9_DIGITS]
