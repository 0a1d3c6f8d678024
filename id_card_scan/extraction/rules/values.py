"""Reading one field's value out of OCR text, for the kind of value it is.

Each reader takes text that should hold the value (what follows a label, a line under it)
and returns the value as the card prints it, or None when the text does not hold one:
ID numbers (OCR's letters-for-digits undone only in mostly-digit tokens), dates
(DD/MM/YYYY, ``Không thời hạn`` kept), sex (Nam/Nữ), nationality, names (capitals, with
:mod:`id_card_scan.cards.names`' repairs) and free text. A reading's ``factor`` scales the
OCR confidence of its lines; its problems say what was doubtful.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from id_card_scan.cards.fuzzy import edit_distance, fold, fold_text, plain, search, similarity
from id_card_scan.cards.id_number import check_id_number
from id_card_scan.cards.labels import MARK_WORDS, VALUE_KINDS, CardSide
from id_card_scan.cards.names import is_syllable, name_likeness, normalize_name, split_syllables

# Confidence multipliers: a value whose checks pass keeps its OCR confidence.
FAILED_CHECK = 0.6
UNCHECKED_TEXT = 0.97
NEVER = "Không thời hạn"
VIET_NAM = "Việt Nam"
# Years a card's dates may hold; a birth year outside them is a misread digit, which the
# 12-digit ID number can put right.
YEARS = range(1900, 2201)
LEADING_JUNK = " \t:;.,/\\-_|'\"`ˆ^~*·•“”‘’—–"


@dataclass
class Read:
    value: str
    problems: list[str] = field(default_factory=list)
    factor: float = 1.0


_TO_DIGIT = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1", "!": "1",
     "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6", "g": "9", "q": "9",
     "T": "7", "A": "4"}
)  # fmt: skip


def digit_tokens(text: str) -> str:
    """Letters read for digits turned back into digits, only in mostly-digit tokens.

    "O79O9O395928" is an ID number with O for 0; "Số" or "Nam" are left alone.
    """
    out = []
    for token in re.split(r"(\s+)", text):
        digits = sum(c.isdigit() for c in token)
        letters = sum(c.isalpha() for c in token)
        if digits and digits >= 2 * letters:
            token = token.translate(_TO_DIGIT)
        out.append(token)
    return "".join(out)


def digit_runs(text: str) -> list[str]:
    """Digit runs as printed, then with letters-for-digits undone ("s262263515" has a
    label's scrap in front, "O79O9O..." an O for 0); groups split by a space or a dot
    ("079 090 395928") are one run."""
    runs: list[str] = []
    for version in (text, digit_tokens(text)):
        for run in re.findall(r"\d[\d .]*\d", version):
            joined = re.sub(r"[\s.]", "", run)
            if joined not in runs:
                runs.append(joined)
    return runs


def read_id(text: str, digits: int | None) -> Read | None:
    runs = digit_runs(text)
    if not runs:
        return None
    wanted = (digits,) if digits else (12, 9)
    for length in wanted:
        for run in runs:
            if len(run) == length:
                return Read(run)
    longest = max(runs, key=len)
    if digits is not None and _after_scrap(longest, digits):
        # The label "Số" read as one to three digits more ("56060904509", "86030094005959").
        return Read(longest[-digits:], [LABEL_SCRAP], 0.8)
    if len(longest) < 8:
        return None
    return Read(
        longest,
        [f"ID_LENGTH: read {len(longest)} digits, the card prints {wanted[0]}"],
        FAILED_CHECK,
    )


def _after_scrap(run: str, digits: int) -> bool:
    """Whether a run is ``digits`` digits behind a scrap of the label "Số": one to three
    more digits, and for a 12-digit number, one whose province and century digits fit."""
    if not digits < len(run) <= digits + 3:
        return False
    if digits == 12:
        check = check_id_number(run[-12:])
        return check.valid and not check.warnings
    return True


LABEL_SCRAP = "ID_LABEL_SCRAP: leading digits taken for the misread label 'Số' dropped"


# What separates a date's numbers as OCR reads it: the printed / - . and what a typed
# hyphen or a dotted line is often read as (~ _ – ” ').
DATE_SEPARATORS = "/\\-.,~_–—‐”“'"
_SEP = f"[{DATE_SEPARATORS}]"
_DATE = re.compile(rf"(\d{{1,2}})\s*{_SEP}?\s*(\d{{1,2}})\s*{_SEP}?\s*(\d{{4}})")
# "06 tháng 01 năm 2019", as older backs print it: the words between the numbers are
# whatever OCR made of them ("29 tháng 10 s¿m: 2014"), so any short non-digit run.
# Letters read for its digits ("tháng OI") and a stray dot in its year ("năm 201.2") too.
_WORDED_DATE = re.compile(
    r"(?<![^\W_])([\dOoIil|]{1,2})[^\d\n]{2,12}?([\dOoIil|]{1,2})[^\d\n]{2,12}?(\d[\d.,']{3,5})"
)
# A date's shape with letters read for some of its digits ("3o/os/2o23"): two groups of
# one or two, then four, of digits or look-alike letters, split by one separator.
_LOOK = "[\\dOoDQIl|SsBZzGg]"
# (A slash is read as I or l too: "15I03I2032".)
_SHAPE_SEP = f"[{DATE_SEPARATORS}Il|]"
_DATE_SHAPE = re.compile(
    rf"(?<![^\W_])({_LOOK}{{1,2}})({_SHAPE_SEP})({_LOOK}{{1,2}})\2({_LOOK}{{4}})(?![^\W_])"
)


def _date_shape(match: re.Match[str]) -> str:
    day, _, month, year = match.groups()
    return "/".join(part.translate(_TO_DIGIT) for part in (day, month, year))


def read_date(text: str, *, any_year: bool = False) -> Read | None:
    cleaned = digit_tokens(_DATE_SHAPE.sub(_date_shape, text))
    matches = [*_DATE.finditer(cleaned), *_WORDED_DATE.finditer(plain(cleaned))]
    for match in matches:
        parts = [re.sub(r"\D", "", part.translate(_TO_DIGIT)) for part in match.groups()]
        if len(parts[2]) != 4 or not all(parts):
            continue
        day, month, year = (int(part) for part in parts)
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        if year in YEARS:
            return Read(f"{day:02d}/{month:02d}/{year:04d}")
        if any_year:
            problem = f"DATE_YEAR: read {year}, not a year a card holds"
            return Read(f"{day:02d}/{month:02d}/{year:04d}", [problem], FAILED_CHECK)
    return None


def read_birth_date(text: str) -> Read | None:
    return read_date(text, any_year=True)


def read_date_or_never(text: str) -> Read | None:
    if similarity(text[:20], NEVER) >= 0.7 or search(fold_text(NEVER), fold_text(text), 3):
        return Read(NEVER)
    return read_date(text)


def read_sex(text: str) -> Read | None:
    words = re.findall(r"[^\W\d_]+", text)
    for index, word in enumerate(words):
        folded = fold_text(word)
        if index and fold_text(words[index - 1]) == "viet":
            continue  # "Việt Nam": the nationality beside it, not the sex
        if folded in ("nam", "narn", "narm", "nain", "nan"):
            return Read("Nam")
        if folded in ("nu", "nư", "nü", "nứ", "nuu"):
            return Read("Nữ")
    return None


def read_nationality(text: str) -> Read | None:
    # The chip card's English caption, also where a look-alike side's labels are read.
    text = strip_english(text.lstrip(LEADING_JUNK), "Nationality")
    if not any(c.isalpha() for c in text):
        return None
    folded = fold_text(text)
    if similarity(text, VIET_NAM) >= 0.6 or search("vietnam", folded, 2):
        return Read(VIET_NAM)
    if len(folded) >= 3 and "quoctich".startswith(folded):
        return None  # "Quốc": the label's own first word, its value unread
    return Read(clean_text(text), factor=UNCHECKED_TEXT)


def read_name(text: str) -> Read | None:
    """A name as printed: capital syllables; label scraps in lower case before it and
    stray one-letter marks at its ends dropped."""
    # A label scrap glued to the name ("HotenPHAN"): the name's capitals start a word.
    words = [
        part
        for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))
        for part in _unglued(word)
    ]
    # A scrap of a misread label or English caption ("và vé", "Full name") before the name.
    while words and not _mostly_upper(words[0]) and len(words) > 1:
        words.pop(0)
    while words and len(words[0]) == 1 and not words[0].isupper():
        words.pop(0)
    while words and len(words[-1]) == 1 and not words[-1].isupper():
        words.pop()
    if not words or not all(_mostly_upper(word) for word in words):
        return None
    name = normalize_name(" ".join(words))
    if len(name.split()) < 2 or name_likeness(name) < 0.3:
        return None
    return Read(name, factor=UNCHECKED_TEXT)


def _unglued(word: str) -> list[str]:
    """A word split where lower case meets two capitals or more ("HotenPHAN")."""
    for index in range(1, len(word) - 1):
        if word[index - 1].islower() and word[index : index + 2].isupper():
            return [word[:index], *_unglued(word[index:])]
    return [word]


def _mostly_upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


# Bare form -> the words with those bare letters ("duoi": dưới, đuôi).
_MARKS: dict[str, list[str]] = {}
for _word in MARK_WORDS:
    _MARKS.setdefault(plain(_word), []).append(_word.lower())


def _mark_word(word: str) -> str:
    """A word of the marks' vocabulary as printed: of the words with its bare letters, the
    one nearest to the reading ("đưới" is dưới, not đuôi); a tie is left as read."""
    known = _MARKS.get(plain(word))
    if not known:
        return word
    lower = unicodedata.normalize("NFC", word.lower())
    ranked = sorted((edit_distance(lower, option), option) for option in known)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return word
    best = ranked[0][1]
    return best[:1].upper() + best[1:] if word[:1].isupper() else best


# "C:" abbreviates "cách" (at a distance of) before a distance: OCR drops or swaps its
# colon ("C 1,5cm", "C, 0,5cm"), or a wrapped line's end loses it.
_CACH = re.compile(r"\bC(\s*)[:;,.]?(\s*)(?=\d)")


def marks_text(text: str) -> str:
    words = re.split(r"(\s+)", text)
    text = "".join(_mark_word(word) for word in words)
    return _CACH.sub(lambda match: "C: " if "".join(match.groups()) else "C:", text)


# Marks OCR reads for letters and commas in printed text ("$ố 343", "§ố", "€:1,5cm",
# "Tổ 3; Phường"): no card prints a currency or section sign.
_TEXT_LOOKALIKES = str.maketrans({"$": "S", "§": "S", "€": "C", ";": ","})


def clean_text(text: str, *, piece: bool = False) -> str:
    """Spaces and commas tidied, stray marks at the ends dropped; a ``piece`` of a wrapped
    value keeps its final comma, which separates it from the next line's text."""
    # No card prints an underscore: OCR reads it for spaces along dotted lines.
    text = unicodedata.normalize("NFC", text).translate(_TEXT_LOOKALIKES).replace("_", " ")
    text = re.sub(r"\s*,\s*(?!\d)", ", ", text)  # "1,5cm" is a number
    text = re.sub(r"\s+", " ", text).lstrip(LEADING_JUNK + " ")
    if piece:
        return re.sub(r"[\s.;:'\"`ˆ^~*·—–_]+$", "", text)
    return text.rstrip(LEADING_JUNK + " ")


# "Huyện.Ngọc Lặc", "Hoa.Lư", "H.Võ.Nhai": a dot read for the space between two words;
# abbreviations ("TP.", "X.", "H.", "Tp.") keep theirs.
_DOT_FOR_SPACE = re.compile(r"\b([^\W\d_]{2,})\.(?=[^\W\d_])")
_DOTTED_ABBREVIATIONS = frozenset({"tp", "tx", "tt", "kp", "ql", "dt"})
# "Vinh Phước. Nha Trang": a dot read for the comma between two parts of an address,
# after a word no abbreviation (those are capitals: "TP. Huế").
_DOT_FOR_COMMA = re.compile(r"(?<=[^\W\d_]{3})(?<![A-ZĐ]{3})\.\s+(?=[A-ZĐÂĂÊÔƠƯ])")


def _dot_for_space(match: re.Match[str]) -> str:
    word = match.group(1)
    if word.isupper() or word.lower() in _DOTTED_ABBREVIATIONS:
        return match.group(0)
    return word + " "


def read_address(text: str, *, continued: bool = False) -> Read | None:
    """An address line: text with letters, not a date or a number alone, without the
    scraps of a misread label in front of it (a ``continued`` line, the address's second,
    has no label: its first word is the value's even when its capital was lost)."""
    if read_date(text) is not None and sum(c.isalpha() for c in text) < 4:
        return None
    text = _DOT_FOR_COMMA.sub(", ", _DOT_FOR_SPACE.sub(_dot_for_space, text))
    cleaned = clean_text(text)
    got = read_text(cleaned if continued else drop_leading_scraps(cleaned))
    if got is None:
        return None
    # Words, or a house number ("212A3", "15/2"): not a lone letter or speck.
    if sum(c.isalpha() for c in got.value) < 2 and not _HOUSE_NUMBER.fullmatch(got.value):
        return None
    return got


_HOUSE_NUMBER = re.compile(r"\d+[A-Za-z]?\d*([/\-]\d+[A-Za-z]?\d*)*")


_ABBREVIATION = re.compile(r"^(?:[A-ZĐ]{1,3}\.|[A-ZĐ]{2,3}$|(?i:tp|tx|tt|kp|p|q|x|h)$)")


def _syllables(word: str) -> bool:
    """Whether a word reads as Vietnamese syllables (run together or not)."""
    letters = "".join(c for c in word if c.isalpha())
    parts = split_syllables(letters) if letters else []
    # Any letters split into enough tiny "syllables" ("Pu ceo tre sơ en ce"): words run
    # together are a few syllables of three letters or more on average.
    if len(parts) > 4 or (len(parts) > 1 and len(letters) < 2.5 * len(parts)):
        return False
    return bool(parts) and all(is_syllable(part) for part in parts)


def drop_leading_scraps(text: str) -> str:
    """An address without the scraps of a label read past recognition before it
    ("nsooxmuengru Xuân Lương, ..."): leading words that start in lower case, or that
    are no Vietnamese syllables and hold no digit. Cards print an address's first word
    capitalised (a place, "Thôn", "Số") or as a number."""
    words = text.split(" ")
    start = 0
    while start < len(words) - 1:
        word = words[start].strip(LEADING_JUNK)
        if not word:
            start += 1
            continue
        if any(c.isdigit() for c in word) or _ABBREVIATION.match(word):
            break  # a number ("12/3", "KP1") or an abbreviation ("TP.", "X.Liên", "Tp")
        letters = "".join(c for c in word if c.isalpha())
        syllables = _syllables(word)
        # A capitalised word is the value's unless it is long and no syllables at all
        # ("Nguyanquog"); a short misread one ("TBanh") is the value's, misread.
        if word[:1].isupper() and (syllables or len(letters) < 6):
            break
        start += 1
    return " ".join(words[start:])


def read_text(text: str) -> Read | None:
    cleaned = clean_text(text, piece=True)
    if sum(c.isalnum() for c in cleaned) < 2:
        return None
    return Read(cleaned, factor=UNCHECKED_TEXT)


def strip_english(text: str, english: str | None) -> str:
    """The text without a misread English label in front ("Puce ofmsdeoce 103/28" for
    "Place of residence 103/28"): the leading plain-Latin words whose letters come
    closest to the label's (or to its start, when the reading was cut), when they are
    close enough to be it."""
    if not english:
        return text
    target = fold_text(english)
    cut = 0
    for start, end in [m.span() for m in re.finditer(r"\S+", text)][: len(english.split()) + 2]:
        letters = text[start:end].strip(LEADING_JUNK + ".")
        if not letters or any(c.isdigit() for c in letters):
            break
        if not letters.isascii() and (len(letters) < 6 or _syllables(letters)):
            break  # Vietnamese: the value's (a long misread caption may gain a mark)
        if cut and letters[:1].isupper() and not letters.isupper():
            break  # a capitalised word after the caption begins the value ("An Bình")
        if caption_likeness(fold(text[:end]).text, target) >= CAPTION_LIKENESS:
            cut = end  # the longest such start: the caption's words all go
    return text[cut:].lstrip(LEADING_JUNK + " ") if cut else text


# How close a reading must come to a printed caption to be taken for it (measured on
# readings of captions over guilloche: "Ptuce ofmesdence" 0.73, "Puce ofmseeow" 0.44;
# values a caption precedes score under 0.2).
CAPTION_LIKENESS = 0.42


def caption_likeness(folded: str, target: str) -> float:
    """1 - edit distance over length, between a folded reading and a folded caption, or
    the caption's start when the reading is a cut one (four letters at least)."""
    if not folded or not target:
        return 0.0
    whole = 1 - edit_distance(folded, target) / max(len(folded), len(target))
    if len(folded) < 4 or len(folded) - 2 > len(target):
        return whole
    shortest = max(1, len(folded) - 2)
    cut = min(edit_distance(folded, target[:n]) for n in range(shortest, len(target) + 1))
    return max(whole, 1 - cut / len(folded))


def reader(key: str, side: CardSide) -> Callable[[str], Read | None]:
    kind = VALUE_KINDS.get(key, "text")
    if kind == "id":
        return lambda text: read_id(text, side.id_digits if key == "id_number" else 9)
    if key == "date_of_birth":
        return read_birth_date
    return {
        "date": read_date,
        "date_or_never": read_date_or_never,
        "sex": read_sex,
        "nationality": read_nationality,
        "name": read_name,
        "address": read_address,
        "text": read_text,
    }[kind]
