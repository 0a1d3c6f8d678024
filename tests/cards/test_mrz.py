from datetime import date

import pytest

from id_card_scan.cards.mrz import (
    WARNING_AMBIGUOUS_REPAIR,
    MrzError,
    check_digit,
    find_mrz,
    normalize_line,
    parse_mrz,
    parse_td1,
    parse_td2,
    parse_td3,
    read_mrz,
    vietnamese_id_number,
)

TODAY = date(2025, 6, 1)  # fixes the century windows of the dates


ICAO_TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


# --------------------------------------------------------------------------- check digits


def test_check_digit_weights_and_values() -> None:
    assert check_digit("D23145890") == 7
    assert check_digit("<") == 0
    assert check_digit("A") == 0  # 10 * 7
    assert check_digit("Z") == 5  # 35 * 7 = 245
    with pytest.raises(ValueError):
        check_digit("ABC?")


# --------------------------------------------------------------------------- ICAO specimen


def test_icao_td1_specimen_parses_valid_with_every_field() -> None:
    result = parse_td1(ICAO_TD1, today=TODAY)
    assert result.format == "TD1"
    assert result.valid and result.lenient_valid
    assert result.checks == {
        "document_number": True,
        "birth_date": True,
        "expiry_date": True,
        "composite": True,
    }
    assert result.check_digits == {
        "document_number": "7",
        "birth_date": "2",
        "expiry_date": "9",
        "composite": "6",
    }
    assert result.document_type == "I"
    assert result.issuing_state == "UTO"
    assert result.document_number == "D23145890"
    assert result.birth_date_raw == "740812"
    assert result.birth_date == date(1974, 8, 12)
    assert result.sex == "F"
    assert result.expiry_date_raw == "120415"
    assert result.expiry_date == date(2012, 4, 15)
    assert result.nationality == "UTO"
    assert result.optional_data_1 == ""
    assert result.optional_data_2 == ""
    assert result.surname == "ERIKSSON"
    assert result.given_names == "ANNA MARIA"
    assert result.corrections == [] and result.warnings == []
    assert result.lines == ICAO_TD1
    assert result.mrz_information == "D23145890774081221204159"
    assert vietnamese_id_number(result) is None


# --------------------------------------------------------------------------- external vectors

# Each source reports fields under its own names; this maps them onto MrzResult.


# --------------------------------------------------------------------------- document number


def test_document_number_letter_for_digit_is_repaired_by_its_check_digit() -> None:
    lines = [ICAO_TD1[0].replace("D23145890", "D2314589O"), *ICAO_TD1[1:]]
    result = parse_td1(lines, today=TODAY)
    assert result.valid
    assert result.document_number == "D23145890"
    assert result.corrections == ["document_number"]


def test_document_number_digit_for_letter_is_repaired_in_a_passport() -> None:
    lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    result = parse_td3(lines, today=TODAY)
    assert result.valid and result.document_number == "L898902C3"


def test_ambiguous_document_number_repair_is_refused() -> None:
    # D->0 and B->8 both restore the check digit (both move the sum by 9 mod 10).
    lines = [ICAO_TD1[0].replace("D23145890", "D23145B90"), *ICAO_TD1[1:]]
    result = parse_td1(lines, today=TODAY)
    assert not result.valid
    assert result.document_number == "D23145B90"
    assert WARNING_AMBIGUOUS_REPAIR in result.warnings
    assert "document_number" not in result.corrections


def test_bad_check_digit_without_lookalikes_stays_invalid() -> None:
    lines = [ICAO_TD1[0].replace("D231458907", "D231458903"), *ICAO_TD1[1:]]
    result = parse_td1(lines, today=TODAY)
    assert result.checks["document_number"] is False
    assert result.checks["composite"] is False
    assert not result.valid


# --------------------------------------------------------------------------- other formats


def _visa_line2(number: str, nationality: str, birth: str, sex: str, expiry: str) -> str:
    return (
        f"{number}{check_digit(number)}{nationality}{birth}{check_digit(birth)}"
        f"{sex}{expiry}{check_digit(expiry)}"
    )


def test_mrv_b_visa_built_here() -> None:
    line1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
    line2 = _visa_line2("L8988901C", "XXX", "400907", "F", "961210").ljust(36, "<")
    result = parse_td2([line1, line2], today=TODAY)
    assert result.format == "MRVB"
    assert result.valid and set(result.checks) == {"document_number", "birth_date", "expiry_date"}
    assert result.birth_date == date(1940, 9, 7)
    assert result.expiry_date == date(1996, 12, 10)
    assert result.nationality == "XXX"


def test_wrong_shapes_are_refused() -> None:
    with pytest.raises(MrzError):
        parse_td1(ICAO_TD1[:2])
    with pytest.raises(MrzError):
        parse_td1([*ICAO_TD1[:2], "ERIKSSON<<ANNA"])
    with pytest.raises(MrzError):
        parse_mrz(["ABC", "DEF"])


def test_date_century_windows() -> None:
    lines = [ICAO_TD1[0], ICAO_TD1[1], ICAO_TD1[2]]
    assert parse_td1(lines, today=date(2011, 1, 1)).birth_date == date(1974, 8, 12)
    # A birth date never lies in the future; an expiry date may.
    birth, expiry = "200101", "300101"
    start = f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}UTO"
    composite = ICAO_TD1[0][5:30] + start[0:7] + start[8:15] + "<" * 11
    born_2020 = f"{start}{'<' * 11}{check_digit(composite)}"
    result = parse_td1([ICAO_TD1[0], born_2020, ICAO_TD1[2]], today=TODAY)
    assert result.valid
    assert result.birth_date == date(2020, 1, 1)
    assert result.expiry_date == date(2030, 1, 1)
    earlier = parse_td1([ICAO_TD1[0], born_2020, ICAO_TD1[2]], today=date(2019, 1, 1))
    assert earlier.birth_date == date(1920, 1, 1)


# --------------------------------------------------------------------------- Vietnam

VN_ID = "079095001017"  # made up: HCMC, male born 1995 (digit 4 = 0), random 001017


def _vn_td1(
    id12: str = VN_ID,
    birth: str = "950308",
    sex: str = "M",
    expiry: str = "350308",
    names: str = "NGUYEN<<VAN<AN",
) -> list[str]:
    document = id12[3:]
    line1 = f"IDVNM{document}{check_digit(document)}{id12}<<{check_digit(id12)}"
    start = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}VNM"
    composite = line1[5:30] + start[0:7] + start[8:15] + "<" * 11
    line2 = f"{start}{'<' * 11}{check_digit(composite)}"
    return [line1, line2, names.ljust(30, "<")]


def test_vietnamese_td1_gives_the_12_digit_id() -> None:
    lines = _vn_td1()
    assert [len(line) for line in lines] == [30, 30, 30]
    result = parse_td1(lines, today=TODAY)
    assert result.valid and result.corrections == []
    assert result.document_type == "ID" and result.issuing_state == "VNM"
    assert result.document_number == VN_ID[3:]
    assert result.optional_data_1.startswith(VN_ID)
    assert result.birth_date == date(1995, 3, 8)
    assert result.expiry_date == date(2035, 3, 8)
    assert (result.surname, result.given_names) == ("NGUYEN", "VAN AN")
    assert vietnamese_id_number(result) == VN_ID


def test_vietnamese_id_without_its_own_check_digit_is_accepted_when_the_number_agrees() -> None:
    line1, line2, line3 = _vn_td1()
    wrong_digit = str((int(line1[29]) + 1) % 10)
    line1 = line1[:29] + wrong_digit
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 = line2[:29] + str(check_digit(composite))
    result = parse_td1([line1, line2, line3], today=TODAY)
    assert result.valid
    assert vietnamese_id_number(result) == VN_ID
    # An ID that neither checks nor agrees with the document number is not returned.
    other = parse_td1(_vn_td1(), today=TODAY)
    bad_id = "079095001018"  # last 9 digits differ from the document number
    bad_digit = str((check_digit(bad_id) + 1) % 10)
    bad_line1 = other.lines[0][:15] + bad_id + other.lines[0][27:29] + bad_digit
    assert vietnamese_id_number(parse_td1([bad_line1, *other.lines[1:]], today=TODAY)) is None


def test_vietnamese_td1_with_o_and_i_confusions_is_repaired() -> None:
    clean = _vn_td1()
    noisy = [
        # document number and the 12-digit ID: 0 read as O, 1 read as I
        clean[0][:5] + clean[0][5:15].replace("0", "O").replace("1", "I") + clean[0][15:],
        clean[1][:6].replace("0", "O") + clean[1][6:],
        clean[2],
    ]
    noisy[0] = noisy[0][:15] + noisy[0][15:27].replace("0", "O").replace("1", "I") + noisy[0][27:]
    assert noisy != clean
    assert not parse_td1(noisy, repair=False).valid
    result = parse_td1(noisy, today=TODAY)
    assert result.valid
    assert result.lines == clean
    assert {"document_number", "optional_data_1", "birth_date"} <= set(result.corrections)
    assert vietnamese_id_number(result) == VN_ID


def test_vietnamese_document_number_restored_from_the_checked_id() -> None:
    clean = _vn_td1()
    # A digit misread as another digit: no look-alike can fix it, the ID can.
    broken = clean[0][:6] + "8" + clean[0][7:]
    result = parse_td1([broken, *clean[1:]], today=TODAY)
    assert result.valid
    assert result.document_number == VN_ID[3:]
    assert "document_number" in result.corrections


# --------------------------------------------------------------------------- finding


CARD_BACK = [
    "Đặc điểm nhân dạng / Personal identification",
    "Nốt ruồi C:1cm trên sau mép trái",
    "Ngày, tháng, năm / Date, month, year: 08/03/2021",
    "CỤC TRƯỞNG CỤC CẢNH SÁT",
    "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
    "Nguyễn Văn B",
]


def test_find_mrz_picks_the_zone_out_of_card_lines() -> None:
    lines = _vn_td1()
    found = find_mrz([*CARD_BACK, *lines, "Vân tay ngón trỏ phải"])
    assert found == lines


def test_find_mrz_normalizes_spaces_case_and_filler_lookalikes() -> None:
    lines = _vn_td1()
    messy = [
        lines[0].lower(),
        lines[1][:20].replace("<", "‹") + " " + lines[1][20:].replace("<", "["),
        lines[2].replace("<<", "«", 1).replace("<", "(", 2),
    ]
    assert normalize_line(messy[1]) == lines[1]
    assert find_mrz([*CARD_BACK[:2], *messy, CARD_BACK[2]]) == lines


def test_find_mrz_accepts_any_order() -> None:
    lines = _vn_td1()
    shuffled = [CARD_BACK[0], lines[2], CARD_BACK[1], lines[0], lines[1]]
    assert find_mrz(shuffled) == lines


def test_find_mrz_pads_a_line_short_of_filler_only_when_checks_pass() -> None:
    lines = _vn_td1()
    short = [lines[0], lines[1], lines[2][:-2]]
    assert find_mrz(short) == lines
    # Line 1 lost its last character, the ID's check digit: padding it with "<" breaks
    # the composite check, so the padded zone is refused.
    cut = [lines[0][:-1], lines[1], lines[2]]
    assert find_mrz(cut) is None


def test_find_mrz_returns_none_without_a_zone() -> None:
    assert find_mrz(CARD_BACK) is None
    assert find_mrz([]) is None
    assert read_mrz(CARD_BACK) is None
