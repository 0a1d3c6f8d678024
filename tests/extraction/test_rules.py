"""The rules source on hand-written OCR lines: labels, merged lines, noise, geometry."""

from __future__ import annotations

import numpy as np
import pytest

from id_card_scan.cards.card_type import CardGuess, detect_card
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


def test_a_wrong_guess_between_look_alike_cards_keeps_the_fields() -> None:
    # A CMND 12 front whose number was not read, taken for a CMND 9: the 12's own labels
    # ("Họ và tên", "Giới tính", "Dân tộc", "Quê quán") still give their values.
    lines = [
        line("CHỨNG MINH NHÂN DÂN", 450, 140),
        line("Họ và tên: DƯƠNG THỊ NGỌC", 250, 250),
        line("Ngày, tháng, năm sinh: 15/05/1993", 250, 290),
        line("Giới tính: Nữ", 250, 330, 150),
        line("Dân tộc: Kinh", 450, 330, 150),
        line("Quê quán: Phường Trung Dũng,", 250, 370),
        line("Thành phố Biên Hòa, Đồng Nai", 250, 406),
    ]
    texts = [item.text for item in lines]
    hits = scan(texts)
    fields = read_fields(lines, hits, CardGuess("cmnd_9", "front", 0.6))
    got = {key: value.value for key, value in fields.items()}
    assert got["full_name"] == "DƯƠNG THỊ NGỌC" and got["date_of_birth"] == "15/05/1993"
    assert got["sex"] == "Nữ" and got["ethnicity"] == "Kinh"
    assert got["place_of_origin"] == "Phường Trung Dũng, Thành phố Biên Hòa, Đồng Nai"


def test_marks_keep_the_abbreviated_distance_and_their_words() -> None:
    # "C:" (cách) at a wrapped line's end, its colon dropped or read as a comma; a mark
    # word whose bare letters two words share is the nearer one ("đưới": dưới).
    for first, second in (("Nốt ruồi C:", "1,5cm đưới sau đầu mắt phải"),
                          ("Nốt ruồi C", "1,5cm dưới sau đầu mắt phải"),
                          ("Nốt ruồi C, 1,5cm dưới sau", "đầu mắt phải")):  # fmt: skip
        lines = [
            line("DÂN TỘC Kinh", 470, 79, 190),
            line("TÔN GIÁO Không", 709, 77, 226),
            line(f"DẤU VẾT RIÊNG VÀ DỊ HÌNH {first}", 470, 114),
            line(second, 473, 155),
            line("Ngày 28 tháng 12 năm 1995", 531, 200),
            line("GIÁM ĐỐC CA TỈNH QUẢNG NAM", 508, 246),
        ]
        assert read(lines)["personal_identification"] == "Nốt ruồi C: 1,5cm dưới sau đầu mắt phải"


def test_issuers_are_completed_and_their_province_snapped() -> None:
    chip_back = [
        line("Đặc điểm nhân dạng / Personal identification:", 281, 726),
        line("Nốt ruồi C: 1cm dưới sau vành tai phải", 280, 760),
        line("Ngày, tháng, năm / Date, month, year: 18/01/2022", 289, 798),
        line("CỤC TRƯỞNG CỤC CẢNH SÁT", 351, 831),  # its second line lost
        line("DIRECTOR OF THỂ POLICE DEPARTMENT", 318, 869),
    ]
    c06 = "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
    assert read(chip_back)["place_of_issue"] == c06
    # The Vietnamese title lost altogether: the English one names the issuer.
    english_only = [*chip_back[:3], line("POR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER", 306, 884)]
    assert read(english_only)["place_of_issue"] == c06
    cmnd_back = [
        line("Tôn giáo Không", 471, 85),
        line("Đặc điểm nhận dạng: Nốt ruồi cách 1,5cm", 470, 120),
        line("Ngày 29 tháng 10 s¿m: 2014", 530, 200),  # "năm" misread
        line("GIÁM ĐỐC CA TÍNH QUẢNG BÌNH", 523, 245),
    ]
    got = read(cmnd_back)
    assert got["place_of_issue"] == "GIÁM ĐỐC CA TỈNH QUẢNG BÌNH"
    assert got["date_of_issue"] == "29/10/2014"


def test_a_cut_title_is_completed_only_when_the_page_tells_which() -> None:
    # The CCCD 2016 was signed by either of two directors: the page's other line decides.
    back = [
        line("Đặc điểm nhận dạng: Sẹo chấm C:2cm trên mép phải", 470, 120),
        line("Ngày 06 tháng 01 năm 2017", 530, 200),
        line("CỤC TRƯỞNG CỤC CẢNH SÁT", 523, 245),
    ]
    assert read(back)["place_of_issue"] == "CỤC TRƯỞNG CỤC CẢNH SÁT"
    title = line("ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ", 100, 20)  # printed as the side's title
    assert read([title, *back])["place_of_issue"] == (
        "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"
    )


def test_a_number_and_name_whose_labels_were_misread() -> None:
    # "Số" read as "s6" runs into the number; "Họ và tên" read past finding.
    lines = [
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 365, 15),
        line("CHỨNG MINH NHÂN DÂN", 365, 99),
        line("s6075193530783", 444, 149, h=50),
        line("dọ và vé DƯƠNG THỊ NGỌC", 247, 218),
        line("Ngày, tháng. năm sinh: 15/05/1993", 249, 260),
        line("Quê quán: Phường Trung Dũng,", 249, 341),
    ]
    got = read(lines)
    assert got["id_number"] == "075193530783"
    assert got["full_name"] == "DƯƠNG THỊ NGỌC"
    # Digits that do not make a plausible ID (province 607) are not cut to fit.
    assert "id_number" not in read([lines[1], line("s6607193530783", 444, 149)])


def test_a_birth_year_misread_is_put_right_by_the_id_number() -> None:
    lines = [
        line("CĂN CƯỚC", 443, 101),
        line("IDENTITY CARD", 477, 161),
        line("Số định danh cá nhân / Personal identification number:", 258, 214),
        line("074052305619", 260, 245),
        line("Họ, chữ đệm và tên khai sinh / Full name:", 260, 300),
        line("NGÔ NGỌC HIẾU", 257, 330),
        line("Ngày, tháng, năm sinh / Date of birth: 19/01/4952", 255, 380),
    ]
    texts = [item.text for item in lines]
    hits = scan(texts)
    birth = read_fields(lines, hits, detect_card(texts, hits))["date_of_birth"]
    assert birth.value == "19/01/1952" and birth.problems[0].startswith("DATE_YEAR")
    sure = birth.confidence
    # Without the number, the century is the only one the other three digits allow, less
    # surely; where none allows them, no date is given rather than a wrong one.
    texts = [lines[0].text, lines[1].text, lines[6].text]
    hits = scan(texts)
    alone = read_fields([lines[0], lines[1], lines[6]], hits, detect_card(texts, hits))
    birth = alone["date_of_birth"]
    assert birth.value == "19/01/1952" and birth.problems[0].startswith("DATE_YEAR")
    assert birth.confidence < sure
    second = line("Ngày, tháng, năm sinh / Date of birth: 21/06/1070", 255, 380)
    assert read([lines[0], lines[1], second])["date_of_birth"] == "21/06/1970"
    # 1910 or 2010: no date rather than a guess between them.
    unplaceable = line("Ngày, tháng, năm sinh / Date of birth: 19/01/4810", 255, 380)
    assert "date_of_birth" not in read([lines[0], lines[1], unplaceable])


def test_stray_dashes_and_section_signs_are_not_text() -> None:
    lines = [
        line("DÂN Tộc Chăm — TÔN GIÁO Phật giáo", 478, 77),
        line("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 477, 114),
        line("Nốt ruồi C:3cm dưới trước đầu", 477, 154),
    ]
    assert read(lines)["ethnicity"] == "Chăm"
    front = [
        line("CĂN CƯỚC CÔNG DÂN", 320, 130),
        line("Họ và tên: HÀ BẢO MẠNH", 255, 219),
        line("Nơi thường trú: §ố 232 Võ Văn Tần,", 257, 382),
    ]
    assert read(front)["place_of_residence"].startswith("Số 232 Võ Văn Tần")


def test_a_label_in_capitals_glued_to_the_value_before_it_still_ends_that_value() -> None:
    lines = [
        line("DÂN TỘC H'MôngTÔN GIÁO Không", 478, 77),
        line("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 477, 114),
        line("Nốt ruồi C:3cm dưới trước đầu", 477, 154),
    ]
    fields = read(lines)
    assert (fields["ethnicity"], fields["religion"]) == ("H'Mông", "Không")


def test_a_misread_sex_gives_way_to_an_id_number_the_birth_date_confirms() -> None:
    lines = [
        line("CĂN CƯỚC CÔNG DÂN", 320, 130),
        line("Số: 079305001234", 400, 190),
        line("Họ và tên: TRẦN THỊ MAI", 255, 250),
        line("Ngày, tháng, năm sinh: 02/03/2005", 255, 290),
        line("Giới tính: Nam", 255, 330),
    ]
    texts = [item.text for item in lines]
    hits = scan(texts)
    fields = read_fields(lines, hits, detect_card(texts, hits))
    assert fields["sex"].value == "Nữ"  # digit 4 is 3: a woman born in the 2000s
    assert fields["sex"].problems[0].startswith("CONFLICT")
    assert not any(p.startswith("ID_CHECK") for p in fields["id_number"].problems)


def test_a_euro_sign_is_the_c_of_a_distance_in_marks() -> None:
    lines = [
        line("DÂN TỘC Kinh TÔN GIÁO Không", 478, 77),
        line("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 477, 114),
        line("Sẹo chấm €:1,5cm trên sau môi phải", 477, 154),
    ]
    assert read(lines)["personal_identification"] == "Sẹo chấm C:1,5cm trên sau môi phải"


def test_an_ethnic_group_misread_is_written_as_the_card_prints_it() -> None:
    lines = [
        line("DÂN TỘC Kình TÔN GIÁO Không", 478, 77),
        line("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 477, 114),
        line("Nốt ruồi C:3cm dưới trước đầu", 477, 154),
    ]
    assert read(lines)["ethnicity"] == "Kinh"
