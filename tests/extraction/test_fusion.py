"""Per-field fusion of QR, MRZ and rules, and who answers what with and without an LLM."""

from __future__ import annotations

import numpy as np

from id_card_scan.cards.evidence import EvidenceReader
from id_card_scan.cards.mrz import read_mrz
from id_card_scan.extraction import (
    Extraction,
    ExtractionOptions,
    Extractor,
    FieldValue,
    NoExtractor,
)
from id_card_scan.extraction.fusion import extract_fields, mrz_values
from id_card_scan.ocr.types import Line
from tests.extraction.test_rules import CHIP_FRONT, line

BLANK = np.full((40, 40, 3), 255, dtype=np.uint8)  # no QR code to find

# A Căn cước back's MRZ as the generator prints it (ID 068305110081, born 08/10/2005, F).
MRZ = [
    "IDVNM3051100811068305110081<<7",
    "0510084F3010080VNM<<<<<<<<<<<2",
    "LE<<KHANH<NGOC<<<<<<<<<<<<<<<<",
]
CAN_CUOC_BACK = [
    line("Nơi cư trú / Place of residence:", 260, 40),
    line("Khu phố 10,", 260, 75),
    line("Ngày, tháng, năm cấp / Date of issue: 18/08/2024", 260, 150),
    line("Ngày, tháng, năm hết hạn / Date of expiry: 08/10/2030", 260, 190),
    line("BỘ CÔNG AN", 780, 280),
    *(line(text, 40, 460 + 40 * i) for i, text in enumerate(MRZ)),
]


def extract(
    lines: list[Line], info: dict[str, str], extractor: Extractor | None = None
) -> Extraction:
    """The fields of hand-written lines on a card view with nothing else to read."""
    evidence = EvidenceReader().read(BLANK, lines)
    return extract_fields(evidence, ExtractionOptions(info), extractor or NoExtractor())


class RecordingExtractor:
    """Stands in for the LLM: records what it is asked, answers every field."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def extract(self, lines: list[Line], options: ExtractionOptions) -> Extraction:
        self.asked.extend(options.fields)
        return Extraction({key: FieldValue(f"llm-{key}", "llm", 0.9) for key in options.fields})

    def close(self) -> None:
        return None


def test_mrz_values_are_the_checked_fields() -> None:
    mrz = read_mrz(MRZ)
    assert mrz is not None and mrz.valid
    values = {key: value.value for key, value in mrz_values(mrz).items()}
    assert values == {
        "id_number": "068305110081",
        "date_of_birth": "08/10/2005",
        "date_of_expiry": "08/10/2030",
        "sex": "Nữ",
    }


def test_without_an_llm_mapped_fields_come_from_the_card_and_others_need_one() -> None:
    info = {"so": "Số căn cước", "ten": "Họ và tên", "dia_chi": "Địa chỉ thường trú",
            "phone": "Số điện thoại", "issue": "Ngày cấp"}  # fmt: skip
    result = extract(CHIP_FRONT, info)
    fields = result.fields
    assert fields["so"].value == "079090395928" and fields["so"].source == "rules"
    assert fields["ten"].value == "TRƯƠNG THANH HỮU THẮNG"
    assert fields["dia_chi"].value.startswith("Số 342 Nguyễn Thị Minh Khai")
    assert fields["phone"].value is None and fields["phone"].problems[0].startswith("NO_EXTRACTOR")
    assert fields["issue"].value is None
    assert fields["issue"].problems[0].startswith("NOT_ON_CARD: a chip_cccd front")
    assert result.card is not None and result.card.name == "chip_cccd_front"


def test_the_mrz_answers_and_cross_checks_a_back() -> None:
    info = {"id": "Số định danh", "dob": "Ngày sinh", "sex": "Giới tính",
            "exp": "Ngày hết hạn", "issue": "Ngày cấp", "by": "Nơi cấp"}  # fmt: skip
    fields = extract(CAN_CUOC_BACK, info).fields
    assert (fields["id"].value, fields["id"].source) == ("068305110081", "mrz")
    assert (fields["dob"].value, fields["sex"].value) == ("08/10/2005", "Nữ")
    # Printed and MRZ expiry agree: more confident than either alone.
    assert fields["exp"].value == "08/10/2030" and fields["exp"].confidence > 0.98
    assert fields["issue"].value == "18/08/2024" and fields["by"].value == "BỘ CÔNG AN"


def test_a_conflict_is_reported_not_hidden() -> None:
    lines = [*CAN_CUOC_BACK]
    lines[3] = line("Ngày, tháng, năm hết hạn / Date of expiry: 08/10/2031", 260, 190)
    info = {"exp": "Ngày hết hạn"}
    [exp] = extract(lines, info).fields.values()
    assert exp.value == "08/10/2030" and exp.source == "mrz"
    assert "CONFLICT: rules says '08/10/2031'" in exp.problems


def test_with_an_llm_confident_card_fields_are_not_asked() -> None:
    llm = RecordingExtractor()
    info = {"so": "Số căn cước", "ten": "Họ và tên", "phone": "Số điện thoại",
            "issue": "Ngày cấp"}  # fmt: skip
    fields = extract(CHIP_FRONT, info, llm).fields
    assert llm.asked == ["phone", "issue"]
    assert fields["so"].source == "rules" and fields["phone"].value == "llm-phone"


def test_an_address_comes_with_its_parts_named_as_the_gazetteer_names_them() -> None:
    info = {"dia_chi": "Địa chỉ thường trú", "so": "Số căn cước"}
    fields = extract(CHIP_FRONT, info).fields
    parts = fields["dia_chi"].address
    assert parts is not None and set(parts) == {"street", "ward", "district", "province"}
    assert parts["street"] and parts["street"].startswith("Số 342 Nguyễn Thị Minh Khai")
    assert parts["province"] == "Thành phố Hồ Chí Minh"
    assert fields["so"].address is None
