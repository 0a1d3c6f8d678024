"""Card type and side from printed text (hand-written OCR lines), QR and MRZ."""

import pytest

from id_card_scan.cards.card_type import detect_card
from id_card_scan.cards.labels import CARD_SIDES, SIDES_BY_NAME, scan

SIDES = {
    "chip_cccd_front": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SOCIALIST REPUBLIC OF VIET NAM",
        "CĂN CƯỚC CÔNG DÂN",
        "Citizen Identity Card",
        "sø/xo: 079090395928",
        "Họ và tên / Full name:",
        "NGUYỄN VĂN AN",
        "Ngày sinh / Date of birth: 01/02/1990",
    ],
    "cccd_2016_front": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CĂN CƯỚC CÔNG DÂN",
        "Số: 079090395928",
        "Họ và tên: NGUYỄN VĂN AN",
        "Ngày, tháng, năm sinh: 01/02/1990",
        "Quê quán: Xã Cổ Loa, Huyện Đông Anh, Hà Nội",
    ],
    "can_cuoc_2024_front": [
        "CĂN CƯỚC",
        "IDENTITY CARD",
        "Số định danh cá nhân / Personal identification number:",
        "079090395928",
        "Họ, chữ đệm và tên khai sinh / Full name:",
    ],
    "can_cuoc_2024_back": [
        "Nơi cư trú / Place of residence:",
        "Nơi đăng ký khai sinh / Place of birth registration:",
        "Ngày, tháng, năm cấp / Date of issue: 01/08/2024",
        "BỘ CÔNG AN",
        "MINISTRY OF PUBLIC SECURITY",
    ],
    "chip_cccd_back": [
        "Vân tay ngón trỏ trái", "Left index finger",
        "Đặc điểm nhân dạng / Personal identification:",
        "Ngày, tháng, năm / Date, month, year: 30/08/2023",
        "CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
    ],
    "cmnd_9_front": [
        "GIẤY CHỨNG MINH NHÂN DÂN", "Số 025123456", "Họ tên: LÊ VĂN BA",
        "Sinh ngày: 01/01/1970", "Nguyên quán: Hà Nội", "Nơi ĐKHK thường trú: Hà Nội",
    ],
    "cmnd_12_front": [
        "CHỨNG MINH NHÂN DÂN", "Số 001193841683", "Họ và tên: MAI MỸ NGÂN",
        "Giới tính: Nữ   Dân tộc: Kinh", "Quê quán: Hà Nội",
    ],
    "cmnd_9_back": [
        "NGÓN TRỎ TRÁI", "DÂN TỘC Kinh TÔN GIÁO Không", "DẤU VẾT RIÊNG VÀ DỊ HÌNH",
        "Ngày 10 tháng 08 năm 2006", "GIÁM ĐỐC CA", "TP. HỒ CHÍ MINH",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SIDES))
def test_printed_text_tells_the_card_and_side(name: str) -> None:
    texts = SIDES[name]
    guess = detect_card(texts, scan(texts))
    assert guess.name == name
    assert guess.confidence >= 0.5


def test_nothing_card_like_is_unknown() -> None:
    texts = ["Hello world", "Invoice 2024", "Total 12.000"]
    guess = detect_card(texts, scan(texts))
    assert guess.card_type is None and guess.confidence == 0.0
    assert guess.can_carry_qr()


def test_a_qr_code_settles_a_front_read_badly() -> None:
    texts = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Giới tính / y Nữ."]
    guess = detect_card(texts, scan(texts), qr_layout="chip_cccd")
    assert guess.name == "chip_cccd_front" and "qr" in guess.evidence


def test_an_mrz_makes_a_back() -> None:
    texts = ["Left index finger", "IDVNM0554697082079055469708<<2"]
    guess = detect_card(texts, scan(texts), mrz_vietnamese=True)
    assert guess.side == "back" and guess.card_type in ("chip_cccd", "can_cuoc_2024")


def test_only_sides_with_a_qr_code_are_searched_for_one() -> None:
    texts = SIDES["cmnd_9_front"]
    assert not detect_card(texts, scan(texts)).can_carry_qr()
    texts = SIDES["chip_cccd_front"]
    assert detect_card(texts, scan(texts)).can_carry_qr()


def test_every_side_prints_what_the_catalogue_knows() -> None:
    from id_card_scan.extraction.catalogue import CATALOGUE

    keys = {field.key for field in CATALOGUE}
    for side in CARD_SIDES:
        assert set(side.fields()) <= keys, side.name
    assert SIDES_BY_NAME["chip_cccd_front"].qr and SIDES_BY_NAME["can_cuoc_2024_back"].mrz


def test_cmnd_fronts_are_told_apart_by_their_labels_when_the_number_is_lost() -> None:
    # The number was not read (a glare on it): the labels decide between the CMNDs.
    cmnd_12 = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CHỨNG MINH NHÂN DÂN", "Sô",
               "Họ và tên: MAI MỸ NGÂN", "Ngày, tháng, năm sinh: 01/02/1990",
               "Giới tính: Nữ   Dân tộc: Kinh", "Quê quán: Hà Nội"]  # fmt: skip
    assert detect_card(cmnd_12, scan(cmnd_12)).name == "cmnd_12_front"
    cmnd_9 = ["GIẤY CHỨNG MINH NHÂN DÂN", "Họ tên: LÊ VĂN BA", "Sinh ngày: 01/01/1970"]
    assert detect_card(cmnd_9, scan(cmnd_9)).name == "cmnd_9_front"


def test_the_cmnd_number_outweighs_its_labels() -> None:
    # Few labels read, and those shared: the 12-digit number makes it the later card.
    texts = ["CHỨNG MINH NHÂN DÂN", "Số 001193841683", "Quê quán: Hà Nội"]
    assert detect_card(texts, scan(texts)).name == "cmnd_12_front"
    # "GIẤY" lost from the title: a 9-digit number still makes it the older card.
    texts = ["CHỨNG MINH NHÂN DÂN", "Số 025123456"]
    assert detect_card(texts, scan(texts)).name == "cmnd_9_front"


def test_labels_followed_by_slashes_are_the_chip_cards_whose_captions_were_lost() -> None:
    # Glare over the small English captions: only the slash after each label is read.
    texts = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CĂN CƯỚC CÔNG DÂN",
        "Họ và tên / Fulnarne",
        "NGUYỄN VĂN AN",
        "Quê quán: Xã Phú Lâm, Huyện Tiên Du, Bắc Ninh",
        "Ngày sinh/Dste ofbrh 12/03/1995",
    ]
    assert detect_card(texts, scan(texts)).name == "chip_cccd_front"
    texts[2], texts[5] = "Họ và tên: NGUYỄN VĂN AN", "Ngày, tháng, năm sinh: 12/03/1995"
    assert detect_card(texts, scan(texts)).name == "cccd_2016_front"
