"""Fields whose labels real photos lose, found by the layout: order, column, value kind.

Hand-written OCR lines in the shapes real card photos give (guilloche and laminate make
the small labels unreadable while the large values read well); the values are invented.
"""

from __future__ import annotations

from id_card_scan.cards.card_type import detect_card
from id_card_scan.cards.labels import scan
from id_card_scan.extraction.rules import read_fields
from tests.extraction.test_rules import line, read

# A CMND 9 front as a phone photo reads it: typewritten values sit above their dotted
# lines, so a little higher than their labels; the labels are in one column at x=300.
CMND9 = [
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 340, 30),
    line("GIẤY CHỨNG MINH NHÂN DÂN", 360, 110),
    line("56 125634789", 400, 165, h=50),  # "Số" read as two digits
    line("NGUYỄN THỊ HẠNH", 460, 220, h=45),
    line("Họ tên:", 300, 232, 110),
    line("12-05-1985", 600, 330),
    line("Sinh ngày", 300, 342, 150),
    line("Xã Nghĩa Hưng", 610, 388, h=42),
    line("Nguyên quán:", 300, 400, 200),
    line("Huyện Lạng Giang, Bắc Giang", 420, 446, h=42),  # the second line, indented
    line("Nơi ĐKHK thường trú:", 300, 505, 320),
    line("Thôn Tân Sơn", 640, 496, h=42),
    line("Xã Nghĩa Hưng, Lạng Giang, Bắc Giang", 330, 550, h=42),
]


def test_a_cmnd9_photo_reads_every_field() -> None:
    assert read(CMND9) == {
        "id_number": "125634789",
        "full_name": "NGUYỄN THỊ HẠNH",
        "date_of_birth": "12/05/1985",
        "place_of_origin": "Xã Nghĩa Hưng, Huyện Lạng Giang, Bắc Giang",
        "place_of_residence": "Thôn Tân Sơn, Xã Nghĩa Hưng, Lạng Giang, Bắc Giang",
    }


def test_a_label_read_past_recognition_is_placed_by_its_column_and_order() -> None:
    # "Nơi ĐKHK thường trú" misread: the origin must not run into the residence, which
    # still comes from its place.
    lines = [*CMND9]
    lines[10] = line("Ns ĐKnk tưeng ru:", 300, 505, 320)
    got = read(lines)
    assert got["place_of_origin"] == "Xã Nghĩa Hưng, Huyện Lạng Giang, Bắc Giang"
    assert got["place_of_residence"] == "Thôn Tân Sơn, Xã Nghĩa Hưng, Lạng Giang, Bắc Giang"


def test_a_lost_label_gives_its_value_by_the_labels_around_it() -> None:
    lines = [item for item in CMND9 if item.text != "Họ tên:"]
    assert read(lines)["full_name"] == "NGUYỄN THỊ HẠNH"
    lines = [item for item in CMND9 if item.text != "Sinh ngày"]
    assert read(lines)["date_of_birth"] == "12/05/1985"


def test_an_address_ends_at_its_province() -> None:
    lines = [*CMND9]
    lines[7] = line("Xã Nghĩa Hưng, Lạng Giang, Bắc Giang", 610, 388, h=42)
    lines[9] = line("Thôn Tân Sơn", 640, 446, h=42)  # the residence's, its label lost below
    del lines[10]
    assert read(lines)["place_of_origin"] == "Xã Nghĩa Hưng, Lạng Giang, Bắc Giang"


def test_a_wrapped_line_cut_in_two_boxes_is_read_whole() -> None:
    lines = [*CMND9]
    lines[9:10] = [
        line("Huyện Lạng Giang,", 330, 446, 250, h=42),
        line("Bắc Giang", 680, 448, 150, h=42),
    ]
    assert read(lines)["place_of_origin"] == "Xã Nghĩa Hưng, Huyện Lạng Giang, Bắc Giang"


def test_a_name_in_capitals_is_not_a_label() -> None:
    # "NGUYỄN QUỐC" folds close to "Nguyên quán": in capitals it is the name.
    lines = [*CMND9]
    lines[3] = line("PHAN QUỐC VỸ", 460, 220, h=45)
    got = read(lines)
    assert got["full_name"] == "PHAN QUỐC VỸ"
    assert got["place_of_origin"].startswith("Xã Nghĩa Hưng")


# A chip CCCD front as real photos read it: the small italic English captions misread,
# the expiry's label under the photo lost.
CHIP = [
    line("CĂN CƯỚC CÔNG DÂN", 290, 170),
    line("Citizen Identity Card", 285, 220),
    line("86001090012345", 285, 280, h=50),  # "Số / No." read as two digits
    line("Họ và tên / Full name:", 287, 325),
    line("LÊĐÌNH KHOA", 292, 365, h=45),  # letter spacing lost
    line("Ngày sinh / Date ofbirth: 02/03/1990", 289, 404),
    line("Giới tính / Sex: Nam   Quốc tịch / Natinoaty. Việt Nam", 288, 447),
    line("Quê quán / Place of origin:", 291, 489),
    line("Phước Long, Nha Trang, Khánh Hòa", 291, 524),
    line("Nơi thường trú / Ptuce ofmesdence 12 Ngõ 5", 286, 558),
    line("Cog giá 0i - 02/03/2030", 21, 573),
    line("Phước Long, Nha Trang, Khánh Hòa", 292, 599),
]


def test_a_chip_photo_with_misread_captions_reads_every_field() -> None:
    assert read(CHIP) == {
        "id_number": "001090012345",
        "full_name": "LÊ ĐÌNH KHOA",
        "date_of_birth": "02/03/1990",
        "sex": "Nam",
        "nationality": "Việt Nam",
        "place_of_origin": "Phước Long, Nha Trang, Khánh Hòa",
        "place_of_residence": "12 Ngõ 5, Phước Long, Nha Trang, Khánh Hòa",
        "date_of_expiry": "02/03/2030",
    }


def test_a_citizen_cards_expiry_is_the_holders_birthday() -> None:
    # The expiry under the photo read as garbage around its year: the card is valid until
    # the holder's 40th birthday, the rule for citizen identity cards.
    lines = [*CHIP]
    lines[10] = line("ce ga i dle-207/2030", 21, 573)
    assert read(lines)["date_of_expiry"] == "02/03/2030"
    # A year that is no renewal age leaves the reading alone.
    lines[10] = line("Có giá trị đến: 05/06/2031", 21, 573)
    assert read(lines)["date_of_expiry"] == "05/06/2031"


def test_a_nationality_whose_label_is_lost_is_the_country_its_row_ends_with() -> None:
    lines = [*CHIP]
    lines[6] = line("Gới tnh/ Sx Nam Quốc tcnNationaty Việt Nam", 288, 447)
    got = read(lines)
    assert (got["sex"], got["nationality"]) == ("Nam", "Việt Nam")
    # The national title's VIỆT NAM is no nationality.
    lines[6] = line("Gới tnh/ Sx Nam", 288, 447)
    lines.insert(0, line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 60))
    assert "nationality" not in read(lines)


def test_a_sex_and_nationality_row_gives_each_its_own() -> None:
    # The label glued to a misread sex ("Narn_Quốc tịch"), the country on a box apart.
    lines = [*CHIP]
    lines[6] = line("Giới tính/Sex: Narn_Quốc tịch/Nationaly:", 288, 447, 500)
    lines.insert(7, line("Việt Nam", 800, 444))
    texts = [item.text for item in lines]
    hits = scan(texts)
    got = read_fields(lines, hits, detect_card(texts, hits))
    assert (got["sex"].value, got["nationality"].value) == ("Nam", "Việt Nam")
    assert not got["nationality"].problems  # read beside its label, not guessed


def test_a_value_placed_without_its_label_continues_on_a_line_from_the_margin() -> None:
    lines = [*CMND9]
    lines[8] = line("Ngyuanqoun", 300, 400, 200)  # the origin's label misread
    assert read(lines)["place_of_origin"] == "Xã Nghĩa Hưng, Huyện Lạng Giang, Bắc Giang"
