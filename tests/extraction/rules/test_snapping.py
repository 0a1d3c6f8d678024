"""Addresses put right against what cards print: the province last, units in the gazetteer."""

from __future__ import annotations

from id_card_scan.extraction.rules.snapping import snap_address
from id_card_scan.extraction.rules.values import Read


def test_a_scrap_after_the_province_is_not_part_of_the_address() -> None:
    got = snap_address(Read("Thôn 3, Bình Dương, Thăng Bình, Quảng Nam, Xk Qv"))
    assert got.value == "Thôn 3, Bình Dương, Thăng Bình, Quảng Nam"


def test_an_address_not_ending_with_a_province_keeps_its_last_part() -> None:
    # The last part is a name read badly, not something after the province.
    text = "Thôn 2, Xã Tân Lập, Huyện An Lão, Hải Phòg"
    assert snap_address(Read(text)).value.endswith("Hải Phòng")
    assert snap_address(Read("Tổ 6, Phường 5, Quận 3, XYZ")).value.endswith("XYZ")


def test_a_long_tail_is_kept_for_the_reader_to_see() -> None:
    text = "Bình Dương, Thăng Bình, Quảng Nam, Tổ 4 Khu Phố 2 Phường"
    assert snap_address(Read(text)).value == text
