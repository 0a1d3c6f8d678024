"""Vietnamese names as cards print them: syllable shape, run-together syllables, marks."""

from __future__ import annotations

import pytest

from id_card_scan.cards.names import is_syllable, name_likeness, normalize_name, split_syllables


@pytest.mark.parametrize("word", ["THỊ", "NGUYỄN", "gìn", "quỳnh", "HUONG", "khuya", "Ấp"])
def test_words_of_one_syllable(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["THỊTHỦY", "Nguyanquog", "ofmsdeoce", "xyz", "NĂMM", "HỌĆ"])
def test_runs_that_are_no_syllable(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    ("run", "parts"),
    [
        ("THỊTHỦY", ["THỊ", "THỦY"]),
        ("CHÍTHÀNH", ["CHÍ", "THÀNH"]),  # not CHÍT HÀNH: name syllables win the tie
        ("LÊĐÌNH", ["LÊ", "ĐÌNH"]),
        ("PHANTHỊHUYỀN", ["PHAN", "THỊ", "HUYỀN"]),
        ("THANH", ["THANH"]),
        ("QWRTZ", ["QWRTZ"]),  # no split into syllables: left as read
    ],
)
def test_run_together_syllables_are_split(run: str, parts: list[str]) -> None:
    assert split_syllables(run) == parts


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("NGUYÊN VĂN AN", "NGUYỄN VĂN AN"),  # a family name's lost tilde
        ("tran thi huong", "TRẦN THỊ HƯƠNG"),  # every mark lost: the common forms
        ("VŨ ĐÃC THẪNG", "VŨ ĐẮC THẮNG"),  # no such name syllables: the near ones
        ("LÊĐÌNH  KHOA", "LÊ ĐÌNH KHOA"),
        ("PHẠM THỊ THẤM", "PHẠM THỊ THẤM"),  # a name syllable is never changed
        ("VŨ THỊ THŨY", "VŨ THỊ THŨY"),  # Thủy and Thùy equally near: left as read
        ("ĐỖ VÃN HÙNG", "ĐỖ VĂN HÙNG"),  # a breve read as a tilde, not Vạn
        # Common names are never "corrected" to another: Thu is not Thư, a parent's
        # family name in the middle is not a given name, nor a birth-order name.
        ("PHAN THỊ THU", "PHAN THỊ THU"),
        ("LÊ PHẠM MINH KHOA", "LÊ PHẠM MINH KHOA"),
        ("LÊ VĂN THỚI", "LÊ VĂN THỚI"),
        ("TRẦN THỊ ÚT", "TRẦN THỊ ÚT"),
    ],
)
def test_names_are_written_as_printed(read: str, printed: str) -> None:
    assert normalize_name(read) == printed


def test_a_name_looks_like_a_name_and_a_label_does_not() -> None:
    assert name_likeness("NGUYỄN THỊ HẠNH") > 0.9
    assert name_likeness("Full name") < 0.3
    assert name_likeness("NGUYỄN") == 0.0  # one syllable is not a full name
