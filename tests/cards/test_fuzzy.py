import random

from id_card_scan.cards.fuzzy import _scores, edit_distance, fold, search, similarity


def _brute(pattern: str, text: str) -> list[int]:
    """Edit distance of ``pattern`` to the best substring of ``text`` ending at each j."""
    column = list(range(len(pattern) + 1))
    out = []
    for char in text:
        new = [0]
        for i in range(1, len(pattern) + 1):
            new.append(min(column[i] + 1, new[i - 1] + 1, column[i - 1] + (pattern[i - 1] != char)))
        column = new
        out.append(column[-1])
    return out


def test_bit_parallel_search_agrees_with_dynamic_programming() -> None:
    rng = random.Random(7)
    for _ in range(500):
        pattern = "".join(rng.choice("abc") for _ in range(rng.randint(1, 12)))
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 30)))
        assert _scores(pattern, text) == _brute(pattern, text)


def test_fold_drops_accents_spaces_and_confusions_and_maps_back() -> None:
    folded = fold("Họ và tên / Fu11 narne:")
    assert folded.text == "hovatenfu11name"
    start = folded.text.index("name")
    assert folded.span(start, start + 4) == (17, 22)  # "narne" in the original


def test_search_finds_a_misread_label_inside_a_line() -> None:
    line = "Giới tính /Sex: Nam   Quốc tịch / Natlonality: Việt Nam"
    folded = fold(line)
    [match] = search("nationaiity", folded.text, 2)[:1]
    start, end = folded.span(match.start, match.end)
    assert line[start:end] == "Natlonality"


def test_similarity_and_edit_distance() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert similarity("Việt Nam", "VIET NAM") == 1.0
    assert similarity("Không thời hạn", "Khong thoi han") == 1.0
    assert similarity("abc", "") == 0.0


def test_a_word_that_is_no_syllable_takes_the_references_word_in_its_place() -> None:
    from id_card_scan.cards.fuzzy import mend_words

    qr = "Thôn Nội, Song Giang, Gia Bình, Bắc Ninh"
    assert mend_words("Thôn NQh, Song Giang, Gia Bình, Bắc Ninh", qr) == qr
    # A real word the reference does not have is the reading's, as is an unframed one.
    assert mend_words("Thôn Sâm, Song Giang", qr).startswith("Thôn Sâm")
    assert mend_words("Thôn Đông, Xã Qxz", "Thôn Đông, Xã Hòa") == "Thôn Đông, Xã Qxz"
