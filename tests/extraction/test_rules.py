"""The rules source on hand-written OCR lines: labels, merged lines, noise, geometry."""

from __future__ import annotations

import numpy as np
import pytest

from id_card_scan.cards.card_type import detect_card
from id_card_scan.cards.labels import scan
from id_card_scan.extraction.rules import read_fields
from id_card_scan.ocr.types import Line


def line(
    text: str,
    x: float,
    y: float,
    width: float | None = None,
    *,
    h: float = 30,
    confidence: float = 0.95,
    slant: float = 0.0,
) -> Line:
    """A line box at (x, y), ``slant`` radians turned about the page origin."""
    width = width if width is not None else 12.0 * len(text)
    quad = np.array([[x, y], [x + width, y], [x + width, y + h], [x, y + h]], dtype=np.float64)
    turn = np.array([[np.cos(slant), -np.sin(slant)], [np.sin(slant), np.cos(slant)]])
    return Line(text, confidence, (quad @ turn.T).astype(np.float32))  # fmt: skip


def read(lines: list[Line]) -> dict[str, str | None]:
    texts = [item.text for item in lines]
    hits = scan(texts)
    fields = read_fields(lines, hits, detect_card(texts, hits))
    return {key: value.value for key, value in fields.items()}


CHIP_FRONT = [
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 230, 15),
    line("CĂN CƯỚC CÔNG DÂN", 320, 130),
    line("Citizen Identity Card", 430, 170),
    line("sø/xo: O79O90395928", 256, 205),  # label misread, O for 0
    line("Họ và tên / Eull narne:", 260, 260),  # English part misread
    line("TRƯƠNG THANH HỮU THẮNG", 258, 292),
    line("Ngày sinh / Date of birth: 28-01-1990", 258, 338),
    line("Giới tính /Sex: Nam", 260, 380, 240),
    line("Quốc tịch / Natlonaey: Việt Nam", 560, 378),  # the colon ends the English part
    line("Quê quán / Place of origin: Phường Bến Thành,", 260, 414),
    line("Quận 1, TP. Hồ Chí Minh", 259, 449),
    line("Có giá trị đến:", 36, 476),  # under the photo: another column
    line("Date of expiry", 34, 503),
    line("Nơi thường trú / Place of residence:", 259, 491),
    line("28/01/2030", 35, 534),
    line("Số 342 Nguyễn Thị Minh Khai,", 259, 523),  # not the ID number's label
    line("Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", 259, 561),
]

CHIP_FRONT_TRUTH = {
    "id_number": "079090395928",
    "full_name": "TRƯƠNG THANH HỮU THẮNG",
    "date_of_birth": "28/01/1990",
    "sex": "Nam",
    "nationality": "Việt Nam",
    "place_of_origin": "Phường Bến Thành, Quận 1, TP. Hồ Chí Minh",
    "place_of_residence": "Số 342 Nguyễn Thị Minh Khai, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
    "date_of_expiry": "28/01/2030",
}


def test_chip_front_every_field_despite_noise_and_interleaved_columns() -> None:
    assert read(CHIP_FRONT) == CHIP_FRONT_TRUTH


def test_a_slanted_photo_reads_like_a_scan() -> None:
    slanted = [line(i.text, *i.quad[0], float(i.quad[1][0] - i.quad[0][0]), slant=0.06)
               for i in CHIP_FRONT]  # fmt: skip
    assert read(slanted) == CHIP_FRONT_TRUTH


def test_lines_in_any_order_give_the_same_fields() -> None:
    assert read(list(reversed(CHIP_FRONT))) == CHIP_FRONT_TRUTH


def test_merged_labels_and_values_on_one_line() -> None:
    lines = [
        line("CĂN CƯỚC CÔNG DÂN", 320, 130),
        line("Số: 079187846551", 390, 170),
        line("Họ và tê: HÀ BẢO MẠNH", 255, 219),  # "tê" + "H" must not read as "tên"
        line("Ngày, tháng, năm sinh: 26/08/1987", 257, 271),
        line("Giới tính: Nữ.  Quốc tịch: Việt Nam", 259, 310),  # two boxes merged
        line("Quê quán: Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", 257, 343),
        line("Nơi thường trú: Tổ 3; Phường Lộc Thọ,", 257, 382),
        line("Thành phố Nha Trang, Khánh Hòa", 259, 419),
        line("Có giá trị đến:", 34, 464),
        line("Không thời hạn", 34, 501),
    ]
    assert read(lines) == {
        "id_number": "079187846551",
        "full_name": "HÀ BẢO MẠNH",
        "date_of_birth": "26/08/1987",
        "sex": "Nữ",
        "nationality": "Việt Nam",
        "place_of_origin": "Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
        "place_of_residence": "Tổ 3, Phường Lộc Thọ, Thành phố Nha Trang, Khánh Hòa",
        "date_of_expiry": "Không thời hạn",
    }


def test_value_in_its_own_box_right_of_the_label() -> None:
    lines = [
        line("CĂN CƯỚC CÔNG DÂN", 320, 130),
        line("Citizen Identity Card", 430, 170),
        line("Số/No.:", 258, 225, 95),
        line("001041640513", 357, 215, 360, h=38),
        line("Họ và tên / Full name:", 258, 267),
        line("CHÂU QUANG TRÍ", 259, 299),
    ]
    got = read(lines)
    assert got["id_number"] == "001041640513" and got["full_name"] == "CHÂU QUANG TRÍ"


def test_a_wrapped_value_ends_at_the_next_label() -> None:
    lines = [
        line("GIẤY CHỨNG MINH NHÂN DÂN", 450, 140),
        line("Số 025123456", 450, 190),
        line("Họ tên: LÊ VĂN BA", 250, 250),
        line("Sinh ngày: 01/01/1970", 250, 290),
        line("Nguyên quán: Xã Điện Quang, Thị xã Điện Bàn,", 250, 330),
        line("Tỉnh Quảng Nam", 250, 366),
        line("Nơi ĐKHK thường trú: 132/1 Phạm Ngũ Lão,", 250, 402),
        line("Phường Phạm Ngũ Lão, Quận 1, TP. Hồ Chí Minh", 250, 438),
    ]
    got = read(lines)
    assert got["place_of_origin"] == "Xã Điện Quang, Thị xã Điện Bàn, Tỉnh Quảng Nam"
    assert got["place_of_residence"].startswith("132/1 Phạm Ngũ Lão, Phường Phạm Ngũ Lão")
    assert got["id_number"] == "025123456"


def test_the_id_number_is_checked_against_sex_and_birth_year() -> None:
    lines = [
        line("CĂN CƯỚC", 440, 100),
        line("IDENTITY CARD", 460, 155),
        line("Số định danh cá nhân / Personal identification number:", 261, 210),
        line("075183037046", 262, 242),  # digit 4 = 1: a woman born in the 1900s
        line("Họ, chữ đệm và tên khai sinh / Full name:", 261, 294),
        line("NGUYỄN MỸ ÁNH", 260, 326),
        line("Ngày, tháng, năm sinh / Date of birth: 21/05/1984", 260, 376),
        line("Giới tính / Sex: Nam", 262, 415, 220),
    ]
    texts = [item.text for item in lines]
    hits = scan(texts)
    fields = read_fields(lines, hits, detect_card(texts, hits))
    number = fields["id_number"]
    assert number.value == "075183037046"
    assert any(p.startswith("ID_CHECK") and "SEX_MISMATCH" in p for p in number.problems)
    assert any("BIRTH_YEAR_MISMATCH" in p for p in number.problems)
    assert number.confidence < 0.7


def test_sex_missing_from_the_print_is_told_by_the_id_number() -> None:
    lines = [
        line("CĂN CƯỚC", 440, 100),
        line("IDENTITY CARD", 460, 155),
        line("Số định danh cá nhân / Personal identification number:", 261, 210),
        line("075183037046", 262, 242),
        line("Ngày, tháng, năm sinh / Date of birth: 21/05/1983", 260, 376),
    ]
    texts = [item.text for item in lines]
    hits = scan(texts)
    sex = read_fields(lines, hits, detect_card(texts, hits))["sex"]
    assert sex.value == "Nữ" and sex.problems[0].startswith("FROM_ID_NUMBER")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("Giới tính / Sex: Nừ", "Nữ"), ("Giới tính: Narn", "Nam"), ("Giới tính / y Nữ.", "Nữ")],
)
def test_sex_is_nam_or_nu(printed: str, expected: str) -> None:
    lines = [line("CĂN CƯỚC CÔNG DÂN", 320, 130), line("Họ và tên: AN", 250, 200),
             line(printed, 250, 250)]  # fmt: skip
    assert read(lines)["sex"] == expected


def test_backs_issue_date_authority_and_marks() -> None:
    chip_back = [
        line("Vân tay ngón trỏ trái", 40, 20),
        line("Left index finger", 40, 50),
        line("Đặc điểm nhân dạng / Personal identification:", 420, 100),
        line("Sẹo chấm cách 1,5cm dưới trước mép", 420, 135),
        line("trái", 420, 170),
        line("Ngày, tháng, năm / Date, month, year: 30/08/2023", 420, 220),
        line("CỤC TRƯỞNG CỤC CẢNH SÁT", 480, 270),
        line("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XẢ HỘI", 440, 305),
        line("DIRECTOR GENERAL OF THE POLICE DEPARTMENT", 420, 340),
    ]
    assert read(chip_back) == {
        "personal_identification": "Sẹo chấm cách 1,5cm dưới trước mép trái",
        "date_of_issue": "30/08/2023",
        "place_of_issue": "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
    }
    cmnd_back = [
        line("NGÓN TRỎ TRÁI", 40, 100),
        line("DÂN TỘC Kinh", 480, 110, 200),
        line("TÔN GIÁO Không", 720, 110, 200),
        line("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 480, 160),
        line("Sẹo chấm cách 2cm trên", 480, 196),
        line("Ngày 10 tháng 08 năm 2006", 540, 280),
        line("GIÁM ĐỐC CA", 600, 330),
        line("TP. HỒ CHÍ MINH", 590, 366),
    ]
    got = read(cmnd_back)
    assert got["ethnicity"] == "Kinh" and got["religion"] == "Không"
    assert got["date_of_issue"] == "10/08/2006"
    assert got["place_of_issue"] == "GIÁM ĐỐC CA TP. HỒ CHÍ MINH"
    assert got["personal_identification"] == "Sẹo chấm cách 2cm trên"


def test_nothing_card_like_reads_nothing() -> None:
    assert read([line("Hello world", 10, 10), line("Total 12.000", 10, 50)]) == {}
