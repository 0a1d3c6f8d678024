import numpy as np

from id_card_scan.extraction.grounding import ground
from id_card_scan.ocr.types import Line

QUAD = np.zeros((4, 2), dtype=np.float32)
LINES = [
    Line("Họ và tên / Full name:", 0.95, QUAD),
    Line("NGUYỄN VĂN ĐỨC", 0.9, QUAD),
    Line("Ngày sinh / Date of birth: 12/03/1994", 0.93, QUAD),
    Line("Nơi thường trú / Place of residence: Xóm 15,", 0.92, QUAD),
    Line("Date of expiry", 0.8, QUAD),
    Line("Xã Cẩm Thanh, Thành phố Hội An", 0.96, QUAD),
]


def test_value_as_written_is_supported_whatever_case_and_spacing() -> None:
    result = ground("Nguyễn  Văn Đức", LINES)
    assert result.supported and result.problem is None
    assert result.confidence == 0.9


def test_reformatted_date_is_supported() -> None:
    assert ground("12-03-1994", LINES).supported


def test_address_joined_across_lines_is_supported() -> None:
    assert ground("Xóm 15, Xã Cẩm Thanh, Thành phố Hội An", LINES).supported


def test_other_diacritics_are_reported() -> None:
    result = ground("NGUYEN VAN DUC", LINES)
    assert result.supported
    assert result.problem is not None and result.problem.startswith("DIACRITICS_DIFFER")


def test_invented_values_are_not_supported() -> None:
    for invented in ("079094012345", "TRẦN THỊ B", "01/01/1990"):
        result = ground(invented, LINES)
        assert not result.supported
        assert result.problem is not None and result.problem.startswith("NOT_IN_OCR_TEXT")
