"""The card's ethnic group read against the 54 the country lists."""

from __future__ import annotations

import pytest

from id_card_scan.cards.ethnicities import ETHNIC_GROUPS, known_group


def test_the_list_holds_the_54_groups_once_each() -> None:
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 54


@pytest.mark.parametrize(
    ("reading", "group"),
    [
        ("Kình", "Kinh"),  # a mark misread
        ("Klnh", "Kinh"),  # a letter misread
        ("Tay", "Tày"),
        ("Muờng", "Mường"),
        ("Khme", "Khmer"),
        ("H'Mông", "H'Mông"),  # a spelling cards print, kept as printed
        ("Hmông", "H'Mông"),
        ("Cơ-Tu", "Cơ Tu"),
    ],
)
def test_a_misread_group_is_written_as_cards_print_it(reading: str, group: str) -> None:
    assert known_group(reading) == group


@pytest.mark.parametrize("reading", ["La", "Xyz", "Nguyễn"])
def test_a_reading_near_no_group_or_several_is_not_given_one(reading: str) -> None:
    # "La" is as near La Chí, La Hủ and La Ha.
    assert known_group(reading) is None
