from bench.scoring import line_errors, squash, strip_diacritics, substring_distance


def test_a_line_found_verbatim_costs_nothing() -> None:
    assert substring_distance("NGUYỄN VĂN AN", "Họ và tên NGUYỄN VĂN AN Ngày sinh") == 0


def test_a_wrong_tone_mark_is_one_edit() -> None:
    assert substring_distance("NGUYỄN", "xx NGUYÊN yy") == 1


def test_missing_and_extra_characters_count_once_each() -> None:
    assert substring_distance("079203001234", "Số: 07920301234") == 1
    assert substring_distance("01/02/1990", "01//02/1990") == 1


def test_nothing_to_align_against_costs_the_whole_line() -> None:
    assert substring_distance("abc", "") == 3
    assert substring_distance("abc", "xyz") == 3


def test_stripping_diacritics_keeps_the_letters() -> None:
    assert strip_diacritics("NGUYỄN Thị Đào, Quảng Ngãi") == "NGUYEN Thi Dao, Quang Ngai"


def test_line_errors_add_up_over_lines() -> None:
    edits, characters = line_errors(["Số 12", " Hà  Nội "], "so 12 | Ha Noi")
    assert characters == len("Số 12") + len(squash(" Hà  Nội "))
    assert edits == 2 + 2  # "S"/"s" and "ố"/"o"; "à" and "ộ"
