"""Card addresses: parsing against the gazetteer, and snapping OCR errors back only when sure."""

from __future__ import annotations

import random
import sys
import threading
import unicodedata

import numpy as np
import pytest

from id_card_scan.cards import addresses
from id_card_scan.cards.addresses import parse_address, snap_address, to_current
from id_card_scan.synth.data import PROVINCES, WARDS, address

# The generator's units as it prints them, and the province the way it prints it too.
UNITS = [(ward, district, PROVINCES[code]) for ward, district, code in WARDS]
# Merged into Phường Gia Viên before July 2025; the package knows this former name only
# without marks ("mayto") and no unit still carries it, so its marks cannot be restored.
NO_KNOWN_SPELLING = {"Phường Máy Tơ"}

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def drop_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def drop_all_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


ABBREVIATIONS = {
    "Phường": "P.", "Xã": "X.", "Thị trấn": "TT.", "Quận": "Q.", "Huyện": "H.",
    "Thị xã": "TX.", "Thành phố": "TP.", "Tỉnh": "T.",
}  # fmt: skip


def abbreviate(part: str) -> str:
    for word, short in ABBREVIATIONS.items():
        if part.startswith(word + " "):
            return short + " " + part[len(word) + 1 :]
    return part


def name_only(part: str) -> str:
    short = abbreviate(part)
    return short.split(" ", 1)[1] if short != part else part


# Letters OCR takes for others in Vietnamese print: lost vowel shapes and a few shapes.
SIMILAR = {
    "ư": "u", "ơ": "o", "ă": "a", "â": "a", "ê": "e", "ô": "o", "đ": "d", "Đ": "D",
    "ả": "ã", "ầ": "ẩ", "ậ": "ấ", "ề": "ể", "ồ": "ổ", "ờ": "ở", "ạ": "a",
    "n": "m", "i": "l", "h": "b", "u": "v", "c": "e", "o": "0",
}  # fmt: skip


def swap_one_letter(name: str, rng: random.Random) -> str:
    where = [i for i, char in enumerate(name) if char in SIMILAR]
    i = rng.choice(where)
    return name[:i] + SIMILAR[name[i]] + name[i + 1 :]


def join(*parts: str) -> str:
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(("ward", "district", "province"), UNITS)
def test_every_generator_unit_is_found(ward: str, district: str, province: str) -> None:
    entities = parse_address(join("Số 7 Lê Lợi", ward, district, province))
    assert entities.scheme == "pre-2025"
    assert (entities.ward_matched, entities.district_matched, entities.province_matched) == (
        True,
        True,
        True,
    )
    assert entities.street == "Số 7 Lê Lợi"
    assert entities.ward_code and entities.district_code and entities.province_code
    # Either the name as printed, or a former name whose successor the gazetteer names.
    assert entities.ward == ward or ward in entities.former_names
    assert entities.district == district or district in entities.former_names
    assert entities.province.endswith(province.removeprefix("TP. ")) or (
        province in entities.former_names
    )


def test_official_names_and_codes() -> None:
    entities = parse_address("Số 12 Ngõ 34 Phố Huế, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội")
    assert entities == addresses.AddressEntities(
        street="Số 12 Ngõ 34 Phố Huế",
        ward="Phường Hàng Bạc",
        district="Quận Hoàn Kiếm",
        province="Thành phố Hà Nội",
        ward_code="00061",
        district_code="002",
        province_code="01",
        ward_matched=True,
        district_matched=True,
        province_matched=True,
        scheme="pre-2025",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Thôn Đông, Xã Cổ Loa, Huyện Đông Anh, TP. Hà Nội",
        "Thôn Đông, X. Cổ Loa, H. Đông Anh, TP Hà Nội",
        "Thôn Đông, Cổ Loa, Đông Anh, Hà Nội",
        "THÔN ĐÔNG, XÃ CỔ LOA, HUYỆN ĐÔNG ANH, THÀNH PHỐ HÀ NỘI",
        "Thôn Đông; Xã Cổ Loa\nHuyện Đông Anh, Hà Nội",
        unicodedata.normalize("NFD", "Thôn Đông, Xã Cổ Loa, Huyện Đông Anh, Hà Nội"),
    ],
)
def test_prefixes_abbreviated_missing_or_in_capitals(text: str) -> None:
    entities = parse_address(text)
    assert (entities.ward, entities.district, entities.province) == (
        "Xã Cổ Loa",
        "Huyện Đông Anh",
        "Thành phố Hà Nội",
    )
    assert entities.street in ("Thôn Đông", "THÔN ĐÔNG")


def test_numbered_units_and_city_abbreviations() -> None:
    entities = parse_address("12 Lê Lợi, P12, Q. Tân Bình, TP.HCM")
    assert (entities.ward, entities.district, entities.province) == (
        "Phường 12",
        "Quận Tân Bình",
        "Thành phố Hồ Chí Minh",
    )
    assert parse_address("P. Bến Nghé, Q.1, TP. Hồ Chí Minh").district == "Quận 1"


def test_2025_addresses_have_no_district() -> None:
    entities = parse_address("Số 5 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội")
    assert entities.scheme == "2025"
    assert (entities.street, entities.ward, entities.district, entities.province) == (
        "Số 5 Tràng Tiền",
        "Phường Hoàn Kiếm",
        None,
        "Thành phố Hà Nội",
    )
    assert entities.ward_matched and entities.province_matched
    # A province that exists only since the merger.
    assert parse_address("Xã Bát Tràng, Thành phố Hà Nội").scheme == "2025"


def test_three_parts_prefer_the_old_units_even_when_the_district_is_a_2025_ward() -> None:
    # "Gia Lâm" is both the old district and a 2025 commune of Hà Nội.
    entities = parse_address("Xã Bát Tràng, Gia Lâm, Hà Nội")
    assert entities.scheme == "pre-2025"
    assert entities.district == "Huyện Gia Lâm"


def test_former_names_resolve_to_the_unit_they_became() -> None:
    entities = parse_address("Phường Phú Hội, Thành phố Huế, Tỉnh Thừa Thiên Huế")
    assert entities.province == "Thành phố Huế"
    assert entities.district == "Quận Thuận Hóa"  # the city district split in January 2025
    assert entities.former_names == ("Tỉnh Thừa Thiên Huế", "Thành phố Huế")
    entities = parse_address("Phường Văn Miếu, Quận Đống Đa, Hà Nội")
    assert entities.ward == "Phường Văn Miếu Quốc Tử Giám"
    assert entities.former_names == ("Phường Văn Miếu",)


def test_unknown_parts_keep_their_text() -> None:
    entities = parse_address("Tổ 3, Phường 99, Quận Tân Bình, TP. Hồ Chí Minh")
    assert entities.ward == "Phường 99"
    assert not entities.ward_matched and entities.ward_code is None
    assert entities.district_matched
    assert parse_address("") == addresses.AddressEntities(None, None, None, None)
    nothing = parse_address("Số 4 đường không tên")
    assert nothing.scheme is None and nothing.street == "Số 4 đường không tên"


# ---------------------------------------------------------------------------------------
# Snapping


def _noised(rng: np.random.Generator, noise: str) -> list[tuple[str, str]]:
    """(printed, as OCR read it) for generator addresses, the street left as printed."""
    cases = []
    for i in range(150):
        text, _ = address(rng, with_locality=bool(i % 2))
        parts = text.split(", ")
        street, admin = parts[:-3], parts[-3:]
        if admin[0] in NO_KNOWN_SPELLING:
            continue
        if noise == "abbreviations":
            admin = [abbreviate(part) for part in admin]
            text = join(*street, *admin)
            admin = [drop_tones(part) for part in admin]
        elif noise == "tones":
            admin = [drop_tones(part) for part in admin]
        elif noise == "marks":
            admin = [drop_all_marks(part) for part in admin]
        cases.append((text, join(*street, *admin)))
    return cases


@pytest.mark.parametrize("noise", ["tones", "marks", "abbreviations"])
def test_lost_marks_snap_back_exactly(noise: str) -> None:
    for printed, read in _noised(np.random.default_rng(7), noise):
        result = snap_address(read)
        assert result.text == printed, read
        assert result.entities.ward_matched and result.entities.district_matched


def test_one_similar_letter_snaps_back_exactly() -> None:
    rng = random.Random(3)
    for ward, district, province in UNITS:
        if ward in NO_KNOWN_SPELLING:
            continue
        printed = join("Số 9 Hùng Vương", ward, district, province)
        for level in range(3):
            parts = [ward, district, province]
            # Names of 4 letters or fewer are never corrected letter-wise ("Vinh"/"Vĩnh"),
            # so the noise goes only into longer ones.
            if len(addresses.base_key(name_only(parts[level]))) <= 4:
                continue
            parts[level] = swap_one_letter(parts[level], rng)
            read = join("Số 9 Hùng Vương", *parts)
            assert snap_address(read).text == printed, read


def test_snap_reports_changes_and_keeps_the_cards_formatting() -> None:
    result = snap_address("So 12 Pho Hue, P. Hang Bac, Quan Hoan Kiem, TP. Ha Noi")
    assert result.text == "So 12 Pho Hue, P. Hàng Bạc, Quận Hoàn Kiếm, TP. Hà Nội"
    assert [(c.level, c.before, c.after) for c in result.changes] == [
        ("province", "TP. Ha Noi", "TP. Hà Nội"),
        ("district", "Quan Hoan Kiem", "Quận Hoàn Kiếm"),
        ("ward", "P. Hang Bac", "P. Hàng Bạc"),
    ]
    assert result.entities.street == "So 12 Pho Hue"  # "Hue" in the street stays
    result = snap_address("PHƯỜNG DỊCH VỌNG, QUẬN CẨU GIẤY, HÀ NỘI")
    assert result.text == "PHƯỜNG DỊCH VỌNG, QUẬN CẦU GIẤY, HÀ NỘI"


@pytest.mark.parametrize(
    "text",
    [
        "Số 12 Ngõ 34 Phố Huế, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội",
        "Thôn Đông, X. Cổ Loa, H. Đông Anh, TP Hà Nội",
        "Phường Hòa Phước, Hòa Vang, Đà Nẵng",
        "Phường Hoà Phước, Hoà Vang, Đà Nẵng",  # the older tone placement is not an error
        "12 Lê Lợi, P12, Q. Tân Bình, TP.HCM",
    ],
)
def test_correct_addresses_are_left_alone(text: str) -> None:
    result = snap_address(text)
    assert result.text == text and result.changes == ()


@pytest.mark.parametrize(
    "text",
    [
        # Hải Phòng has both Xã Cẩm Giang and Xã Cẩm Giàng since July 2025.
        "Thôn 2, Xã Cam Giang, Thành phố Hải Phòng",
        # Thị xã Hương Trà had both Phường Hương Vân and Phường Hương Văn.
        "Phuong Huong Van, Thi xa Huong Tra, Thua Thien Hue",
    ],
)
def test_ambiguous_names_are_left_alone(text: str) -> None:
    result = snap_address(text)
    assert result.ambiguous == ("ward",)
    assert not result.entities.ward_matched
    assert all(change.level != "ward" for change in result.changes)
    assert ("Cam Giang" in result.text) or ("Huong Van" in result.text)


def test_numbers_are_never_changed() -> None:
    result = snap_address("Phường 99, Quận Tân Bình, TP. Hồ Chí Minh")
    assert result.text == "Phường 99, Quận Tân Bình, TP. Hồ Chí Minh"
    assert not result.entities.ward_matched


def test_streets_are_never_touched() -> None:
    for street in ("So 7 Hoan Kiem", "Thôn Cau Giay", "Xom Ha Noi", "12/3 Quan Hoan Kiem"):
        text = f"{street}, Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội"
        assert snap_address(text).text == text


# ---------------------------------------------------------------------------------------
# The 2025 units of an old address


def test_old_address_to_current_units() -> None:
    current = to_current(parse_address("Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"))
    assert current is not None
    assert (current.ward, current.province, current.split) == (
        "Phường Sài Gòn",
        "Thành phố Hồ Chí Minh",
        False,
    )
    split = to_current(parse_address("Xã Bát Tràng, Huyện Gia Lâm, Hà Nội"))
    assert split is not None and split.split and split.alternatives
    assert to_current(parse_address("Tổ 3, Phường 99, Quận Tân Bình, TP.HCM")) is None
    new = parse_address("Phường Hoàn Kiếm, Thành phố Hà Nội")
    assert to_current(new) == addresses.CurrentUnits(
        "Phường Hoàn Kiếm", new.ward_code, "Thành phố Hà Nội", "01"
    )


# ---------------------------------------------------------------------------------------
# Sharing the index


def test_the_index_is_built_once_under_concurrent_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds = []
    real_build = addresses._build

    def counting_build() -> addresses._Gazetteer:
        builds.append(1)
        return real_build()

    monkeypatch.setattr(addresses, "_gazetteer", None)
    monkeypatch.setattr(addresses, "_build", counting_build)
    text = "Phường Hàng Bạc, Quận Hoan Kiem, Hà Nội"
    results: list[addresses.SnapResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(snap_address(text))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(results) == 8 and len({r.text for r in results}) == 1


def test_the_package_code_is_never_imported() -> None:
    # Only its data files are read: its code imports geopy and may geocode over the network.
    parse_address("Xã Bát Tràng, Huyện Gia Lâm, Hà Nội")
    assert "vietnamadminunits" not in sys.modules and "geopy" not in sys.modules


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("Vũ Quang, Hà Tĩnh", True),
        ("Hái Dương", True),  # up to its marks
        ("Đông Cuông", False),
        ("Phường 3, TP. Hồ Chí Minh", True),
        ("Tỉnh Quảng Nam", True),
        ("Thanh Xá, Thanh Hà", False),
        ("Xã Hòa Nhơn", False),
        ("Nam Sách, Hải Duơng", True),  # a long name one letter off
        ("Vĩnh Thuận", False),  # a district of Kiên Giang, not a misread Bình Thuận
        ("Xã Vĩnh Thuận", False),
    ],
)
def test_an_address_ending_with_its_province_is_complete(text: str, complete: bool) -> None:
    assert addresses.ends_with_province(text) is complete


def test_two_printed_lines_join_with_a_comma_where_their_units_read_better() -> None:
    assert addresses.join_lines("An Thịnh", "Văn Yên, Yên Bái") == "An Thịnh, Văn Yên, Yên Bái"
    assert addresses.join_lines("Phường 1, TP. Hồ Chí", "Minh") == "Phường 1, TP. Hồ Chí Minh"
    assert addresses.join_lines("Thôn 3,", "Xã An Bình") == "Thôn 3, Xã An Bình"


def test_commas_read_between_syllables_are_taken_out_where_the_units_then_fit() -> None:
    text = "Bình Dương, Thăng, Bình, Quảng, Nam"
    assert snap_address(text).text == "Bình Dương, Thăng Bình, Quảng Nam"
    # Parts of one word each that are units already stay parts.
    assert snap_address("Phường Trường An, Huế").text == "Phường Trường An, Huế"
    assert snap_address("Đông, Hải, Phòng").text.endswith("Hải Phòng")


def test_a_former_communes_marks_come_from_its_districts_name() -> None:
    # Xã Diên Lộc merged into Xã Bình Lộc; the package keeps "dienloc" bare, and the
    # only official "Diễn Lộc" is a commune of Nghệ An, not of Huyện Diên Khánh.
    result = snap_address("Diễn Lộc, Diên Khánh, Khánh Hòa")
    assert result.text == "Diên Lộc, Diên Khánh, Khánh Hòa"
    assert result.entities.ward == "Xã Bình Lộc"


def test_a_one_letter_abbreviation_before_a_capital_name_is_kept() -> None:
    # "T.Thái" is Tỉnh Thái…, not "T.T" (Thị trấn) before "hái".
    text = "X.Liên Minh, H.Võ Nhai, T.Thái Nguyên"
    result = snap_address(text)
    assert result.text == text and result.entities.province == "Tỉnh Thái Nguyên"


def test_a_district_the_package_misspells_is_written_as_cards_print_it() -> None:
    result = snap_address("Púng Luông, Mi Cang Chai, Yên Bái")
    assert result.text == "Púng Luông, Mù Cang Chải, Yên Bái"
    assert result.entities.district == "Huyện Mù Cang Chải"


def test_a_capital_i_before_small_letters_is_read_as_an_l_too() -> None:
    assert snap_address("Tân Dĩnh, Iạng Giang, Bắc Giang").text == "Tân Dĩnh, Lạng Giang, Bắc Giang"
    # Names that do start with I keep it.
    assert snap_address("Xã Ia Mơ Nông, Huyện Chư Păh, Gia Lai").entities.ward == "Xã Ia Mơ Nông"
