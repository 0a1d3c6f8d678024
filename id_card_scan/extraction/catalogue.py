"""The fields printed on Vietnamese ID cards, and mapping a caller's ``info`` onto them.

Callers name fields freely (``{"so_cccd": "Số căn cước (12 số)"}``,
``{"address": "Địa chỉ thường trú"}``); a field maps to the catalogue by its key or by its
description, accents, case and punctuation aside. What does not map goes to the LLM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from id_card_scan.text import strip_marks


@dataclass(frozen=True)
class CatalogueField:
    key: str
    name_vi: str
    synonyms: tuple[str, ...]  # written plainly; compared without accents


CATALOGUE: tuple[CatalogueField, ...] = (
    CatalogueField(
        "id_number",
        "Số căn cước / Số định danh cá nhân",
        (
            "số căn cước",
            "số căn cước công dân",
            "số cccd",
            "số cmnd",
            "số cmt",
            "số chứng minh nhân dân",
            "số chứng minh thư",
            "số định danh cá nhân",
            "số định danh",
            "mã định danh",
            "số thẻ",
            "số giấy tờ",
            "căn cước công dân",
            "chứng minh nhân dân",
            "personal identification number",
            "id number",
            "identity number",
            "citizen id",
            "cccd",
            "cmnd",
            "id",
            "so",
            "số",
            "id_card",
        ),
    ),
    CatalogueField(
        "full_name",
        "Họ và tên",
        (
            "họ và tên",
            "họ tên",
            "tên đầy đủ",
            "họ chữ đệm và tên khai sinh",
            "họ chữ đệm và tên",
            "tên khai sinh",
            "full name",
            "fullname",
            "name",
            "tên",
        ),
    ),
    CatalogueField(
        "date_of_birth",
        "Ngày sinh",
        (
            "ngày sinh",
            "ngày tháng năm sinh",
            "sinh ngày",
            "năm sinh",
            "date of birth",
            "birth date",
            "birthday",
            "dob",
        ),
    ),
    CatalogueField("sex", "Giới tính", ("giới tính", "sex", "gender", "phái")),
    CatalogueField("nationality", "Quốc tịch", ("quốc tịch", "nationality")),
    CatalogueField(
        "place_of_origin",
        "Quê quán",
        ("quê quán", "nguyên quán", "place of origin", "hometown", "origin"),
    ),
    CatalogueField(
        "place_of_residence",
        "Nơi thường trú / Nơi cư trú",
        (
            "nơi thường trú",
            "địa chỉ thường trú",
            "nơi cư trú",
            "địa chỉ cư trú",
            "hộ khẩu thường trú",
            "nơi đkhk thường trú",
            "nơi đăng ký hộ khẩu thường trú",
            "thường trú",
            "địa chỉ",
            "chỗ ở",
            "place of residence",
            "residence",
            "address",
        ),
    ),
    CatalogueField(
        "date_of_expiry",
        "Có giá trị đến",
        (
            "có giá trị đến",
            "ngày hết hạn",
            "ngày tháng năm hết hạn",
            "hạn sử dụng",
            "giá trị đến",
            "hết hạn",
            "date of expiry",
            "expiry date",
            "expiry",
            "expiration date",
            "valid until",
        ),
    ),
    CatalogueField(
        "date_of_issue",
        "Ngày cấp",
        ("ngày cấp", "ngày tháng năm cấp", "date of issue", "issue date", "issued on"),
    ),
    CatalogueField(
        "place_of_issue",
        "Nơi cấp",
        ("nơi cấp", "cơ quan cấp", "place of issue", "issued by", "issuing authority"),
    ),
    CatalogueField("ethnicity", "Dân tộc", ("dân tộc", "ethnicity", "ethnic group")),
    CatalogueField("religion", "Tôn giáo", ("tôn giáo", "religion")),
    CatalogueField(
        "personal_identification",
        "Đặc điểm nhận dạng",
        (
            "đặc điểm nhận dạng",
            "đặc điểm nhân dạng",
            "nhận dạng",
            "personal identification",
            "identifying features",
            "distinguishing marks",
        ),
    ),
    CatalogueField(
        "old_id_number",
        "Số CMND cũ",
        (
            "số cmnd cũ",
            "cmnd cũ",
            "số chứng minh nhân dân cũ",
            "số cmt cũ",
            "old id number",
            "previous id number",
            "old id",
        ),
    ),
    CatalogueField(
        "place_of_birth_registration",
        "Nơi đăng ký khai sinh",
        ("nơi đăng ký khai sinh", "nơi đăng kí khai sinh", "place of birth registration"),
    ),
)

# Generic words match only as the whole key or description, never inside a longer one:
# "số" is in "Số căn cước" but also in "Số điện thoại", "địa chỉ" in "Địa chỉ email".
_WHOLE_ONLY = frozenset(
    {
        "so",
        "id",
        "ten",
        "name",
        "dia chi",
        "address",
        "origin",
        "residence",
        "expiry",
        "cccd",
        "cmnd",
        "nhan dang",
        "het han",
        "nam sinh",
    }
)


def normalise(text: str) -> str:
    """Lower case, no accents (đ -> d), words separated by single spaces."""
    text = re.sub(r"\([^)]*\)", " ", text)  # "Số căn cước (12 số)": the aside is not a name
    bare = strip_marks(text.casefold())
    return " ".join(re.split(r"[\W_]+", bare)).strip()


_BY_NAME: dict[str, str] = {}
_CONTAINED: list[tuple[str, str]] = []
for _field in CATALOGUE:
    for _name in (_field.key, _field.name_vi, *_field.synonyms):
        _BY_NAME.setdefault(normalise(_name), _field.key)
        if normalise(_name) not in _WHOLE_ONLY:
            _CONTAINED.append((normalise(_name), _field.key))
# Longest first: "so cmnd cu" must win over "so cmnd" in "Số CMND cũ của công dân".
_CONTAINED.sort(key=lambda pair: len(pair[0]), reverse=True)


def map_field(key: str, description: str) -> str | None:
    """The catalogue key that a caller's field means, or None (then the LLM answers it).

    The description decides first (it is what the caller wrote for people); the key is
    the fallback.
    """
    for text in (description, key):
        name = normalise(text)
        if not name:
            continue
        if name in _BY_NAME:
            return _BY_NAME[name]
        padded = f" {name} "
        for synonym, catalogue_key in _CONTAINED:
            if f" {synonym} " in padded:
                return catalogue_key
    return None


def map_fields(info: dict[str, str]) -> dict[str, str | None]:
    """Each caller key -> its catalogue key (or None)."""
    return {key: map_field(key, description) for key, description in info.items()}
