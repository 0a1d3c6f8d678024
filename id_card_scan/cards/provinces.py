"""Province codes in the 12-digit personal ID number (digits 1-3).

The codes are the General Statistics Office province codes (Quyết định 124/2004/QĐ-TTg),
zero-padded to three digits; Thông tư 07/2016/TT-BCA takes the birth-registration place
code of the ID number from that list. The project reference confirms 001 Hà Nội,
031 Hải Phòng, 048 Đà Nẵng and 079 TP. Hồ Chí Minh; the rest is the published GSO list of
the 63 provinces as they stood before the 1 July 2025 merger (cards issued earlier keep
the old code, and numbers already issued never change).

Not included, because no confirmed public source was found: any code for citizens whose
birth was registered abroad, and codes of provinces that no longer existed when ID numbers
were introduced (e.g. Hà Tây). A number carrying a code that is not in this table gets an
``UNKNOWN_PROVINCE_CODE`` warning from :func:`id_card_scan.cards.id_number.check_id_number`,
not an invalid verdict.
"""

from __future__ import annotations

PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP. Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}


def province_name(code: str) -> str | None:
    """The province of a three-digit code, or None when the code is not in the table."""
    return PROVINCES.get(code)
