"""Vietnamese personal names as cards print them: syllables, family names, name words.

OCR of names on real cards fails in three ways that the language itself can put right:

- syllables run together where the print's letter spacing fooled the recognizer
  (``THỊTHỦY``): Vietnamese is written one syllable per word and a syllable has a strict
  shape (onset, rime, one tone), so a run is split where it only parses as several;
- a tone or vowel mark is dropped or swapped (``NGUYÊN`` for ``NGUYỄN``, ``THẪNG`` for
  ``THẮNG``): a word that is no name syllable, but whose bare letters belong to exactly
  one common name syllable, is written as that syllable. A word that *is* a name
  syllable is never changed, and a bare form shared by several (``THAM``: Thắm, Thấm)
  is left as read unless one of them is clearly nearer;
- the family name is one of a few dozen; :data:`SURNAMES` snaps it the same way.

The lists are general knowledge of Vietnamese naming, not of any card set.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from id_card_scan.text import strip_marks

# Tone marks (grave, acute, hook above, tilde, dot below); vowel marks (breve,
# circumflex, horn) are part of the letter.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
# Rimes without tone: every nucleus with the codas it takes.
_RIMES = _words(
    """
    a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây e
    eo ec em en eng ep et ê êu êch êm ên ênh êp êt i ia iu ich im in inh ip it iêc iêm iên
    iêng iêp iêt iêu o oa oac oach oai oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc
    oe oen oeo oet oi om on ong oong ooc op ot ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt u ua
    uân uât uây uê uênh ui uc um un ung uôc uôi uôm uôn uông uôt uơ up ut uy uya uych uyên
    uyêt uyn uynh uyt uyu ư ưa ưi ưu ưc ưm ưng ưt ươc ươi ươm ươn ương ươp ươt ươu y yêm yên
    yêt yêu
    """
)
# Stop-consonant rimes (-c, -ch, -p, -t) take only the acute or the dot below.
_STOPS = ("c", "ch", "p", "t")
# The rimes with their vowel marks lost too, as OCR often loses them ("HUONG").
_BARE_RIMES = frozenset(strip_marks(rime) for rime in _RIMES)

# The commonest family names (together well over 90% of the population).
SURNAMES: tuple[str, ...] = (
    "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG",
    "BÙI", "ĐỖ", "HỒ", "NGÔ", "DƯƠNG", "LÝ", "TRƯƠNG", "ĐINH", "ĐOÀN", "TRỊNH",
    "LƯƠNG", "LƯU", "MAI", "CAO", "TÔ", "QUÁCH", "CHÂU", "LÂM", "THÁI", "TẠ", "TỐNG",
    "KIỀU", "VƯƠNG", "TĂNG", "LA", "HÀ", "ÔNG", "TRIỆU", "DIỆP", "LỤC", "NÔNG", "LỘC",
    "HẦU", "KHỔNG", "KHÚC", "LẠI", "MẠC", "PHÙNG", "QUAN", "TIÊU", "VI", "VIÊN", "YÊN",
    "ÂU", "ĐÀM", "ĐÀO", "ĐẬU", "GIANG", "GIÁP", "HÁN", "KHƯƠNG", "LĂNG", "LÃ", "LỮ", "MÃ",
    "MẠCH", "NINH", "PHÍ", "PHÓ", "SƠN", "THÂN", "THẠCH", "TÔN", "TỪ", "CHU", "CÙ",
    "DOÃN", "HỨA", "KIM", "KHIẾU", "LƯỜNG", "TÒNG", "SÙNG", "GIÀNG", "VÀNG", "LÒ", "CẦM",
    "SẦM", "BẠCH", "BẾ", "NGHIÊM", "THIỀU", "ỨNG", "ĐỒNG", "LỀU", "NGUYỄN", "VƯƠNG",
)  # fmt: skip

# Middle and given names: the common syllables, each with the mark variants names use
# (both tone placements where cards print either: HÒA / HOÀ, THÚY / THUÝ).
NAME_SYLLABLES: frozenset[str] = _words(
    """
    AN ÂN ANH ÁNH BA BÁ BÁCH BẠCH BẢN BANG BẰNG BẢO BẠO BẮC BÉ BẾN BIÊN BIỂN BÌNH BÍCH BỘ
    BỒI BỬU BÚP BƯU CA CÁC CẢNH CÁT CẦM CẨM CẦN CẨN CẬN CẦU CHÁNH CHÂM CHÂN CHẤN CHÂU CHI
    CHÍ CHIÊM CHIẾN CHIỂU CHIỀU CHINH CHÍNH CHỈNH CHUNG CHUYÊN CHƯƠNG CHƯỞNG CÔNG CÚC CUNG
    CƯƠNG CƯỜNG DÂN DANH DẦN DẬU DIỄM DIỄN DIỆN DIỆP DIỆU DINH DỊU DOÃN DOANH DU DUẨN DUẪN
    DUÂN DUNG DŨNG DỤNG DUY DUYÊN DUYỆT DƯ DỰ DƯƠNG DƯỠNG ĐẮC ĐẠI ĐAM ĐÀM ĐAN ĐĂNG ĐẢNG ĐẠT
    ĐÀO ĐẠO ĐẢO ĐẲNG ĐẤU ĐỆ ĐIỀM ĐIỂM ĐIỀN ĐIỂN ĐIỆP ĐÌNH ĐỊNH ĐÔ ĐỔ ĐỘ ĐOAN ĐOÀN ĐÔN ĐÔNG
    ĐỒNG ĐỨC ĐƯỢC ĐƯỜNG GẤM GẤU GIA GIANG GIẢNG GIAO GIÁP GIÀU GIỚI HÀ HẠ HẢI HÀN HÂN HẠNH
    HÀO HẢO HẠO HẬU HIÊN HIỀN HIỂN HIỆN HIỆP HIẾU HIỆU HINH HÒA HOÀ HÓA HOÁ HOA HOÀI HOAN
    HOÀN HOÁN HOẢN HOÀNG HOẠT HỌC HỒI HỢI HỘI HỒNG HỢP HUÂN HUẤN HUỆ HUẾ HÙNG HUY HUYỀN
    HUYỆN HUỲNH HƯNG HỨNG HƯƠNG HƯỜNG HƯỞNG HƯỚNG HỮU KẾ KHA KHẢ KHẮC KHẢI KHAM KHANG KHÁNH
    KHIÊM KHIÊN KHOA KHOÁI KHÔI KHUÊ KHUYÊN KHUYẾN KHƯƠNG KIÊN KIỆN KIỆT KIỀU KIM KÍNH KỲ KỶ
    KÝ LÃ LẠC LAI LÀI LAM LÂM LAN LÂN LĂNG LÀNH LÃNH LẬP LỆ LỄ LỊCH LIÊM LIÊN LIỄU LIỆU LINH
    LĨNH LỘ LOAN LỘC LỢI LONG LUÂN LUẬN LỤA LỰC LUYẾN LUYỆN LƯƠNG LƯỢNG LƯU LY LÝ LÍ MAI
    MẠNH MẬN MÃO MẪN MÂY MẾN MI MIÊN MINH MỊ MƠ MỘNG MỪNG MỸ MỸ MỴ NA NAM NĂNG NGA NGÀ NGÂN
    NGÁT NGHI NGHỊ NGHĨA NGHIÊM NGỌ NGOAN NGỌC NGÔN NGUYÊN NGUYỄN NGUYỆN NGUYỆT NHÃ NHÀN
    NHÂN NHẬN NHẪN NHẠN NHẬT NHI NHIÊN NHIỆM NHU NHUẦN NHUNG NHƯ NHỨT NINH NỞ NỮ OANH PHA
    PHÁI PHAN PHÁP PHÁT PHẤN PHI PHONG PHÚ PHÚC PHỤC PHỤNG PHÙNG PHƯỚC PHƯƠNG PHƯỢNG PHƯỚNG
    QUẢNG QUANG QUÂN QUẾ QUỐC QUY QUÝ QUÍ QUYÊN QUYỀN QUYẾT QUỲNH SÁCH SANG SÁNG SÂM SEN
    SINH SƠN SONG SỬ SỸ SĨ SƯƠNG TÀI TÂM TÂN TẤN TÂY THẠCH THÁI THẮM THẤM THÂN THĂNG THẮNG
    THÀNH THANH THẠNH THẢO THẾ THỊ THIÊN THIỆN THIỆP THIỆU THỊNH THO THỌ THOA THOẠI THOAN
    THÔNG THƠ THỜI THUẬN THỤC THUỲ THÙY THUÝ THÚY THỦY THUỶ THUYÊN THƯ THỨC THƯƠNG THƯỜNG
    THƯỞNG TIÊN TIẾN TIỆP TIẾP TIÊU TÍN TÌNH TỊNH TOÀN TOẢN TOẠI TỐ TÔN TRÀ TRÂM TRANG TRÁNG
    TRÍ TRIỀU TRIỆU TRINH TRỊNH TRỌNG TRUNG TRỰC TRƯỜNG TÚ TUÂN TUẤN TUỆ TÙNG TUYÊN TUYỀN
    TUYỂN TUYẾT TƯ TỨ TƯỜNG TƯỚC UYÊN UY VÂN VĂN VẠN VI VĨ VIÊN VIỄN VIỆT VINH VĨNH VỊNH VŨ
    VỸ VƯƠNG VƯỢNG VY XUÂN XUYẾN XUYÊN Ý YÊN YẾN
    LỰU THƠM TRÂN TRÚC THỚI TIỀN TÍNH TRIẾT ƯNG TẠO THUẦN TỒN TƯỞNG VẸN XINH TƯƠI MIỀN
    THIỆT HAI NHỊ SÁU BẢY TÁM CHÍN MƯỜI ÚT
    """
)  # the last of them: names of birth order
# The most frequent of them: where a reading is equally near two forms, these win.
COMMON_SYLLABLES: frozenset[str] = _words(
    """
    ANH BẢO BÌNH CHÂU CHI CÔNG CƯỜNG DŨNG DUNG DUY ĐẠT ĐÌNH ĐỨC GIANG HÀ HẢI HẠNH HẰNG HIỀN
    HIỆP HIẾU HOA HOÀI HOÀNG HỒNG HÙNG HƯNG HƯƠNG HỮU HUY HUYỀN KHÁNH KIM LAN LINH LỘC LỢI
    LONG MAI MẠNH MINH NAM NGA NGÂN NGỌC NHẬT NHUNG PHONG PHÚC PHƯƠNG QUÂN QUANG QUỐC QUỲNH
    SƠN TÂM TÂN THẮNG THANH THÀNH THẢO THỊ THỊNH THU THÙY THỦY TIẾN TRANG TRUNG TRƯỜNG TÚ
    TUẤN TÙNG VĂN VIỆT VINH VŨ XUÂN YẾN
    """
)


def tone_free(word: str) -> str:
    """The word with its tone mark dropped; vowel marks (ă â ê ô ơ ư) and đ kept."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


def _tone_count(word: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", word) if c in _TONES)


@cache
def is_syllable(word: str) -> bool:
    """Whether ``word`` (any case) has the shape of one Vietnamese syllable, its marks
    right or lost ("HUONG" is one, read without the marks of HƯƠNG)."""
    lower = unicodedata.normalize("NFC", word.lower())
    if not lower or not lower.isalpha() or _tone_count(lower) > 1:
        return False
    bare = tone_free(lower)
    unmarked = strip_marks(lower) == lower
    for onset in (*_ONSETS, ""):
        if not bare.startswith(onset) and not (onset == "đ" and bare.startswith("d")):
            continue
        rime = bare[len(onset) :]
        if onset == "gi" and rime and rime[0] not in "aăâeêoôơuư":
            rime = "i" + rime  # "gìn": the i is the rime's
        if onset == "qu" and "u" + rime in _RIMES:
            rime = "u" + rime  # "quynh": the u is the onset's and the rime's
        if (rime in _RIMES or (unmarked and rime in _BARE_RIMES)) and _tone_fits(lower, rime):
            return True
    return False


def _tone_fits(word: str, rime: str) -> bool:
    if not rime.endswith(_STOPS):
        return True
    tones = {c for c in unicodedata.normalize("NFD", word) if c in _TONES}
    return not tones or tones <= {"\u0301", "\u0323"}


def split_syllables(word: str) -> list[str]:
    """A run of letters as the syllables it was printed as (``THỊTHỦY`` -> THỊ THỦY).

    A word that is a syllable is kept whole. Otherwise the split into the fewest
    syllables wins, name syllables preferred on ties (``CHÍTHÀNH``: CHÍ THÀNH, not CHÍT
    HÀNH); a word that splits into no syllables at all is returned as it is.
    """
    if is_syllable(word) or not word.isalpha():
        return [word]
    best = _best_split(unicodedata.normalize("NFC", word))
    return best if best is not None else [word]


def _best_split(word: str) -> list[str] | None:
    # DP over prefixes: cost (syllables, not-a-name-syllable count), then the split.
    size = len(word)
    table: list[tuple[tuple[int, int], list[str]] | None] = [None] * (size + 1)
    table[0] = ((0, 0), [])
    for end in range(1, size + 1):
        for start in range(max(0, end - 7), end):
            previous = table[start]
            piece = word[start:end]
            if previous is None or not is_syllable(piece):
                continue
            (count, unknown), parts = previous
            cost = (count + 1, unknown + (piece.upper() not in _KNOWN))
            if table[end] is None or cost < table[end][0]:  # type: ignore[index]
                table[end] = (cost, [*parts, piece])
    final = table[size]
    return None if final is None else final[1]


_KNOWN: frozenset[str] = NAME_SYLLABLES | frozenset(SURNAMES)


def _by_bare(words: frozenset[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(strip_marks(word), []).append(word)
    return {bare: tuple(sorted(set(forms))) for bare, forms in grouped.items()}


# Middle names include the commonest family names (a parent's: "LÊ PHẠM MINH KHOA").
_MIDDLE_SURNAMES = 20
_NAME_FORMS = _by_bare(NAME_SYLLABLES | COMMON_SYLLABLES | frozenset(SURNAMES[:_MIDDLE_SURNAMES]))
_SURNAME_FORMS = _by_bare(SURNAMES)


def _marks(word: str) -> tuple[str, str]:
    """A word's vowel marks (with đ) and its tone, as two comparable strings."""
    decomposed = unicodedata.normalize("NFD", word.upper())
    tone = "".join(c for c in decomposed if c in _TONES)
    quality = "".join(c for c in decomposed if unicodedata.combining(c) and c not in _TONES)
    return quality + ("Đ" if "Đ" in word.upper() else ""), tone


# A tilde read for a breve, or a breve for a tilde: the two curves above a vowel look
# alike in small print ("VÃN" for "VĂN"), nearer than any other two marks.
_TILDE, _BREVE = "\u0303", "\u0306"
_LOOKALIKE_MARKS = 0.5


def _mark_distance(a: str, b: str) -> float:
    """0-2: whether two words with the same bare letters differ in vowel marks, in tone;
    a tilde and a breve swapped count half."""
    (quality_a, tone_a), (quality_b, tone_b) = _marks(a), _marks(b)
    if {(quality_a, tone_a), (quality_b, tone_b)} == {("", _TILDE), (_BREVE, "")}:
        return _LOOKALIKE_MARKS
    return (quality_a != quality_b) + (tone_a != tone_b)


def _snap(word: str, forms: dict[str, tuple[str, ...]]) -> str:
    options = forms.get(strip_marks(word))
    if not options or word in options:
        return word
    ranked = sorted(
        options, key=lambda option: (_mark_distance(word, option), option not in COMMON_SYLLABLES)
    )
    if len(ranked) == 1:
        return ranked[0]
    first, second = ranked[0], ranked[1]
    if _mark_distance(word, first) < _mark_distance(word, second) or (
        first in COMMON_SYLLABLES and second not in COMMON_SYLLABLES
    ):
        return first
    return word


def normalize_name(text: str) -> str:
    """A name as the card prints it: capitals, one space between syllables, run-together
    syllables split, the family name and the name syllables' marks put right where the
    language leaves one choice (see the module's docstring)."""
    words = [w for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))]
    syllables = [part.upper() for word in words for part in split_syllables(word.upper())]
    if not syllables:
        return ""
    out = [_snap(syllables[0], _SURNAME_FORMS)]
    out.extend(_snap(word, _NAME_FORMS) for word in syllables[1:])
    return " ".join(out)


def name_likeness(text: str) -> float:
    """0..1: how much ``text`` looks like a printed name (capital syllables, most of them
    common in names)."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))
    syllables = [part.upper() for word in words for part in split_syllables(word.upper())]
    if not 2 <= len(syllables) <= 7:
        return 0.0
    letters = [c for w in words for c in w]
    upper = sum(c.isupper() for c in letters) / len(letters)
    known = sum(
        strip_marks(s) in _NAME_FORMS or strip_marks(s) in _SURNAME_FORMS for s in syllables
    )
    valid = sum(is_syllable(s) for s in syllables)
    return upper * (0.5 * valid + 0.5 * known) / len(syllables)
