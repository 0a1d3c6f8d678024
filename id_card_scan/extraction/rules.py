"""The rules field source: values read beside or under their printed labels.

For the detected card side, each label (:mod:`id_card_scan.cards.labels`) is found in the
OCR lines, and its value is what follows it on the same line (the detector often merges a
label and its value into one box), else the box to its right on the same row, else the
line(s) under it in the same column. Wrapped values (addresses) continue on the lines
below, each starting near the label's left edge, until the next label or a gap. Positions
are compared after turning the page upright by the lines' median slant, so a photo held
at an angle reads like a scan.

Each value is then read for its kind: ID numbers (OCR's letters-for-digits undone only in
tokens that are mostly digits, 12-digit numbers checked against sex and birth year),
dates (DD/MM/YYYY, ``Không thời hạn`` kept), sex (Nam/Nữ), nationality, names (upper
case as printed) and addresses (snapped to the official gazetteer when the address module
is there). A value's confidence is the OCR confidence of its lines, lowered by failed
checks; its problems say what was doubtful.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from id_card_scan.cards import addresses
from id_card_scan.cards.card_type import CardGuess, side_scores
from id_card_scan.cards.fuzzy import edit_distance, fold_text, plain, similarity
from id_card_scan.cards.id_number import SEX_MISMATCH, check_cmnd9, check_id_number
from id_card_scan.cards.labels import (
    CARD_SIDES,
    MARK_WORDS,
    SHORT,
    SIDES_BY_NAME,
    VALUE_KINDS,
    CardSide,
    Hit,
    Label,
    resolve,
)
from id_card_scan.extraction import FieldValue
from id_card_scan.ocr.types import Line

SOURCE = "rules"

# Confidence multipliers: a value whose checks pass keeps its OCR confidence.
_FAILED_CHECK = 0.6
_UNCHECKED_TEXT = 0.97
# A value named by a title in another language, or completed from its first line.
_NAMED = 0.9
_COMPLETED = "COMPLETED: the rest of this printed title was not read; it is the only fit"
_NEVER = "Không thời hạn"
_VIET_NAM = "Việt Nam"


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def h(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _boxes(lines: list[Line]) -> list[_Box]:
    """Axis-aligned boxes after undoing the lines' median slant."""
    if not lines:
        return []
    quads = [np.asarray(line.quad, dtype=np.float64).reshape(4, 2) for line in lines]
    angles = []
    for quad in quads:
        top, bottom = quad[1] - quad[0], quad[2] - quad[3]
        edge = top + bottom
        if np.hypot(*edge) > 1:
            angles.append(math.atan2(edge[1], edge[0]))
    angle = float(np.median(angles)) if angles else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    rotation = np.array([[cos, -sin], [sin, cos]])
    out = []
    for quad in quads:
        turned = quad @ rotation.T
        low, high = turned.min(axis=0), turned.max(axis=0)
        out.append(_Box(low[0], low[1], high[0], high[1]))
    return out


# --------------------------------------------------------------------------- labels


@dataclass
class _LabelSpan:
    """A label found in a line: where it ends, which label, how well it was read."""

    line: int
    label: Label
    start: int
    end: int  # value text begins here (original line text)
    en_found: bool
    short_only: bool  # only a short part ("Số") was read: believed if a value parses


def _label_spans(hits: list[list[Hit]], side: CardSide) -> list[list[_LabelSpan]]:
    spans: list[list[_LabelSpan]] = []
    for line_hits in resolve(hits, {side.name}):
        found: list[_LabelSpan] = []
        for hit in line_hits:
            owner = next(
                ((index, part) for name, index, part in hit.pattern.owners if name == side.name),
                None,
            )
            if owner is None or owner[0] < 0:
                continue
            index, part = owner
            label = side.labels[index]
            short = len(hit.pattern.text) <= SHORT
            previous = found[-1] if found else None
            if previous is not None and previous.label is label and part == "en":
                previous.end, previous.en_found = hit.end, True
                previous.short_only = previous.short_only and short
                continue
            found.append(_LabelSpan(hit.line, label, hit.start, hit.end, part == "en", short))
        spans.append(found)
    return spans


_LEADING_JUNK = " \t:;.,/\\-_|'\"`ˆ^~*·•“”‘’—–"


def _after_label(text: str, span: _LabelSpan) -> str:
    """The line's text after a label, without a misread English part or separators."""
    rest = text[span.end :]
    if span.label.en is not None and not span.en_found:
        # "Quốc tịch / Natlonaey: Việt Nam": the English part was not recognised; cut at
        # its colon when one comes where the English part would end.
        colon = rest.find(":")
        if 0 <= colon <= len(span.label.en) + 8:
            rest = rest[colon + 1 :]
        elif rest.lstrip(_LEADING_JUNK) != rest.lstrip():
            # "/ y Nữ": drop lower-case scraps of the English part before the value.
            words = rest.lstrip(_LEADING_JUNK).split()
            while words and words[0][:1].islower() and len(words) > 1:
                words.pop(0)
            rest = " ".join(words)
    return rest.lstrip(_LEADING_JUNK + " ").rstrip()


# --------------------------------------------------------------------------- values

_TO_DIGIT = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1", "!": "1",
     "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6", "g": "9", "q": "9",
     "T": "7", "A": "4"}
)  # fmt: skip


def _digit_tokens(text: str) -> str:
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


@dataclass
class _Read:
    value: str
    problems: list[str] = field(default_factory=list)
    factor: float = 1.0


def _digit_runs(text: str) -> list[str]:
    """Digit runs as printed, then with letters-for-digits undone ("s262263515" has a
    label's scrap in front, "O79O9O..." an O for 0); groups split by a space or a dot
    ("079 090 395928") are one run."""
    runs: list[str] = []
    for version in (text, _digit_tokens(text)):
        for run in re.findall(r"\d[\d .]*\d", version):
            joined = re.sub(r"[\s.]", "", run)
            if joined not in runs:
                runs.append(joined)
    return runs


def _read_id(text: str, digits: int | None) -> _Read | None:
    runs = _digit_runs(text)
    if not runs:
        return None
    wanted = (digits,) if digits else (12, 9)
    for length in wanted:
        for run in runs:
            if len(run) == length:
                return _Read(run)
    longest = max(runs, key=len)
    if len(longest) < 8:
        return None
    return _Read(
        longest,
        [f"ID_LENGTH: read {len(longest)} digits, the card prints {wanted[0]}"],
        _FAILED_CHECK,
    )


_DATE = re.compile(r"(\d{1,2})\s*[/\-.,]?\s*(\d{1,2})\s*[/\-.,]?\s*(\d{4})")
# "06 tháng 01 năm 2019", as older backs print it: the words between the numbers are
# whatever OCR made of them ("29 tháng 10 s¿m: 2014"), so any short non-digit run.
_WORDED_DATE = re.compile(r"(\d{1,2})\D{2,12}?(\d{1,2})\D{2,12}?(\d{4})")
# Years a card's dates may hold; a birth year outside them is a misread digit, which the
# 12-digit ID number can put right (see _repair_birth_year).
_YEARS = range(1900, 2201)


def _read_date(text: str, *, any_year: bool = False) -> _Read | None:
    cleaned = _digit_tokens(text)
    matches = [*_DATE.finditer(cleaned), *_WORDED_DATE.finditer(plain(cleaned))]
    for match in matches:
        day, month, year = (int(part) for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        if year in _YEARS:
            return _Read(f"{day:02d}/{month:02d}/{year:04d}")
        if any_year:
            problem = f"DATE_YEAR: read {year}, not a year a card holds"
            return _Read(f"{day:02d}/{month:02d}/{year:04d}", [problem], _FAILED_CHECK)
    return None


def _read_birth_date(text: str) -> _Read | None:
    return _read_date(text, any_year=True)


def _read_date_or_never(text: str) -> _Read | None:
    if similarity(text[:20], _NEVER) >= 0.7:
        return _Read(_NEVER)
    return _read_date(text)


def _read_sex(text: str) -> _Read | None:
    for word in re.findall(r"[^\W\d_]+", text):
        folded = fold_text(word)
        if folded in ("nam", "narn", "nain"):
            return _Read("Nam")
        if folded in ("nu", "nư"):
            return _Read("Nữ")
    return None


def _read_nationality(text: str) -> _Read | None:
    if not any(c.isalpha() for c in text):
        return None
    if similarity(text, _VIET_NAM) >= 0.6:
        return _Read(_VIET_NAM)
    return _Read(_clean_text(text), factor=_UNCHECKED_TEXT)


# The commonest Vietnamese family names (together well over 90% of the population), by
# their letters without marks. OCR often drops or swaps a tone mark ("NGUYÊN" for
# "NGUYỄN"); a family name whose bare letters are one of these, and only one, is written
# as the family name is. Bare forms shared by two common names ("VO": Võ, Vũ is "VU") are
# distinct here; none is ambiguous.
_SURNAMES: dict[str, str] = {
    plain(name).upper(): name
    for name in (
        "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG",
        "BÙI", "ĐỖ", "HỒ", "NGÔ", "DƯƠNG", "LÝ", "TRƯƠNG", "ĐINH", "ĐOÀN", "TRỊNH",
        "LƯƠNG", "LƯU", "MAI", "CAO", "TÔ", "QUÁCH", "CHÂU", "LÂM", "THÁI", "TẠ", "TỐNG",
        "KIỀU", "VƯƠNG", "TĂNG", "LA", "HÀ", "ÔNG", "TRIỆU", "DIỆP", "LỤC",
    )
}  # fmt: skip


def _read_name(text: str) -> _Read | None:
    words = [w for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))]
    # Stray marks read as one-letter words at the ends (a dot of the guilloche, a quote).
    while words and len(words[0]) == 1 and not words[0].isupper():
        words.pop(0)
    while words and len(words[-1]) == 1 and not words[-1].isupper():
        words.pop()
    if not words:
        return None
    words = [word.upper() for word in words]
    words[0] = _SURNAMES.get(plain(words[0]).upper(), words[0])
    return _Read(" ".join(words), factor=_UNCHECKED_TEXT)


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


def _marks_text(text: str) -> str:
    words = re.split(r"(\s+)", text)
    text = "".join(_mark_word(word) for word in words)
    return _CACH.sub(lambda match: "C: " if "".join(match.groups()) else "C:", text)


# Marks OCR reads for letters and commas in printed text ("$ố 343", "§ố", "€:1,5cm",
# "Tổ 3; Phường"): no card prints a currency or section sign.
_TEXT_LOOKALIKES = str.maketrans({"$": "S", "§": "S", "€": "C", ";": ","})


def _clean_text(text: str, *, piece: bool = False) -> str:
    """Spaces and commas tidied, stray marks at the ends dropped; a ``piece`` of a wrapped
    value keeps its final comma, which separates it from the next line's text."""
    text = unicodedata.normalize("NFC", text).translate(_TEXT_LOOKALIKES)
    text = re.sub(r"\s*,\s*(?!\d)", ", ", text)  # "1,5cm" is a number
    text = re.sub(r"\s+", " ", text).lstrip(_LEADING_JUNK + " ")
    if piece:
        return re.sub(r"[\s.;:'\"`ˆ^~*·—–]+$", "", text)
    return text.rstrip(_LEADING_JUNK + " ")


def _read_text(text: str) -> _Read | None:
    cleaned = _clean_text(text, piece=True)
    if sum(c.isalnum() for c in cleaned) < 2:
        return None
    return _Read(cleaned, factor=_UNCHECKED_TEXT)


def _reader(key: str, side: CardSide) -> Callable[[str], _Read | None]:
    kind = VALUE_KINDS.get(key, "text")
    if kind == "id":
        return lambda text: _read_id(text, side.id_digits if key == "id_number" else 9)
    if key == "date_of_birth":
        return _read_birth_date
    return {
        "date": _read_date,
        "date_or_never": _read_date_or_never,
        "sex": _read_sex,
        "nationality": _read_nationality,
        "name": _read_name,
        "address": _read_text,
        "text": _read_text,
    }[kind]


# --------------------------------------------------------------------------- the source


@dataclass
class _Page:
    lines: list[Line]
    boxes: list[_Box]
    spans: list[list[_LabelSpan]]

    def is_label_line(self, index: int, label: Label | None = None) -> bool:
        """Whether a line holds a label (other than ``label``: its own English line)."""
        return any(span.label is not label for span in self.spans[index])

    def right_of(self, index: int) -> list[int]:
        """Boxes on the same row to the right of line ``index``, nearest first."""
        box = self.boxes[index]
        row = [
            other
            for other, b in enumerate(self.boxes)
            if other != index and abs(b.cy - box.cy) < 0.5 * box.h and b.x0 > box.x1 - 0.5 * box.h
        ]
        return sorted(row, key=lambda other: self.boxes[other].x0)

    def below(
        self, index: int, anchor_x: float, used: set[int], max_gap: float, *, centred: bool = False
    ) -> int | None:
        """The nearest line under line ``index`` starting near ``anchor_x`` (``centred``:
        centred under it, as titles are)."""
        box = self.boxes[index]
        best, best_y = None, math.inf
        for other, b in enumerate(self.boxes):
            if other == index or other in used:
                continue
            if b.cy <= box.cy + 0.4 * box.h or b.y0 - box.y1 > max_gap * box.h:
                continue
            if centred:
                if not box.x0 - box.h <= (b.x0 + b.x1) / 2 <= box.x1 + box.h:
                    continue
            elif not (anchor_x - 1.2 * box.h <= b.x0 <= anchor_x + 2.5 * box.h):
                continue
            if b.y0 < best_y:
                best, best_y = other, b.y0
        return best


def _value(page: _Page, span: _LabelSpan, side: CardSide) -> tuple[_Read, list[int]] | None:
    """The value of one label: same line, right, then below; with the lines it used."""
    key = span.label.key
    assert key is not None
    if span.label.means is not None:
        return _Read(span.label.means, factor=_NAMED), [span.line]
    read = _reader(key, side)
    text = page.lines[span.line].text
    # The label's own line, up to the next label on it.
    following = [s.start for s in page.spans[span.line] if s.start >= span.end]
    rest = _after_label(text[: min(following, default=len(text))], span)
    anchor = page.boxes[span.line].x0 + (
        0
        if span.start == 0
        else (page.boxes[span.line].x1 - page.boxes[span.line].x0) * span.start / max(len(text), 1)
    )
    used = {span.line}
    first: tuple[_Read, int] | None = None
    if span.label.starts_value:
        # The authority's title: the label as it should read, then what follows it.
        rest = f"{span.label.vi} {rest}".strip()
    if rest:
        got = read(rest)
        if got is not None:
            first = (got, span.line)
    right = []
    for other in page.right_of(span.line) if first is None else ():
        if page.is_label_line(other):
            break
        right.append(other)
    if first is None and len(right) > 1:
        # "Ngày | 06 | tháng | 01 | năm | 2019": a value in pieces along the row.
        got = read(" ".join([rest, *(page.lines[other].text for other in right)]))
        if got is not None:
            first = (got, right[0])
    if first is None:
        for other in right:
            got = read(page.lines[other].text)
            if got is not None:
                first = (got, other)
                break
    if first is None:
        cursor = span.line
        for _ in range(3):  # the label's English line, then at most two tries
            other = page.below(cursor, anchor, used, max_gap=1.6)
            if other is None:
                break
            used.add(other)
            cursor = other
            if page.is_label_line(other, span.label):
                break
            if page.spans[other]:  # the label's own English part on its own line
                continue
            got = read(page.lines[other].text)
            if got is not None:
                first = (got, other)
                break
    if first is None:
        return None
    got, line = first
    lines = [line]
    if span.label.lines > 1:
        pieces = [got.value]
        cursor = line
        used.add(line)
        while len(lines) < span.label.lines:
            other = page.below(cursor, anchor, used, max_gap=0.9, centred=span.label.starts_value)
            if other is None or page.is_label_line(other):
                break
            more = read(page.lines[other].text)
            if more is None:
                break
            pieces.append(more.value)
            lines.append(other)
            used.add(other)
            cursor = other
        got = _Read(_clean_text(" ".join(pieces)), got.problems, got.factor)
    if span.label.known:
        got = _snap_known(got, span.label.known, page)
    if span.label.unit_after is not None:
        got = _snap_unit(got, span.label.unit_after)
    if VALUE_KINDS.get(key) == "address":
        got = _snap_address(got)
    if key == "personal_identification":
        got = _Read(_marks_text(got.value), got.problems, got.factor)
    return got, lines


def _snap_known(read: _Read, known: tuple[str, ...], page: _Page) -> _Read:
    """A reading close to a value printed the same on every card becomes that value; one
    cut short (its second line lost) becomes the value it begins, when only one begins so
    or the page shows the rest of only one (a title line the value's lines missed)."""
    best = max(known, key=lambda value: similarity(value, read.value))
    if similarity(best, read.value) >= 0.8:
        return _Read(best, read.problems, 1.0)
    size = len(read.value)
    begun = [
        value
        for value in known
        if size >= 0.3 * len(value) and similarity(value[:size], read.value) >= 0.8
    ]
    if len(begun) > 1:
        texts = [line.text for line in page.lines]
        begun = [
            value
            for value in begun
            if any(similarity(value[size:].strip(), text) >= 0.7 for text in texts)
        ]
    if len(begun) != 1:
        return read
    return _Read(begun[0], [*read.problems, _COMPLETED], read.factor * 0.9)


def _snap_unit(read: _Read, word: str) -> _Read:
    """The administrative unit after ``word`` ("CA TÍNH QUẢNG BÌNH": TỈNH) snapped to the
    gazetteer, in the reading's case."""
    match = re.search(rf"\b{re.escape(word)}\s+(.+)$", read.value)
    if match is None:
        return read
    unit = _snap_address(_Read(match.group(1)))
    return _Read(read.value[: match.start(1)] + unit.value, read.problems, read.factor)


def _snap_address(read: _Read) -> _Read:
    """Unit names corrected against the official gazetteer (OCR drops and swaps marks)."""
    try:
        snapped = addresses.snap_address(read.value)
    except RuntimeError:  # the gazetteer is not installed (said once at start-up)
        return read
    if snapped.text == read.value:
        return read
    return _Read(snapped.text, read.problems, read.factor)


def pick_side(card: CardGuess, hits: list[list[Hit]]) -> CardSide | None:
    """The side whose labels to read: the detected one; for an unknown card, the side
    whose labels are found most."""
    if card.name in SIDES_BY_NAME:
        return SIDES_BY_NAME[card.name]
    best, best_count = None, 0
    for side in CARD_SIDES:
        count = sum(1 for line in _label_spans(hits, side) for span in line if span.label.key)
        if count > best_count:
            best, best_count = side, count
    return best


def read_fields(lines: list[Line], hits: list[list[Hit]], card: CardGuess) -> dict[str, FieldValue]:
    """Every field printed on the detected side that could be read, by catalogue key.

    Close sides (the same face of a card whose labels were found nearly as well: CMND 9
    and 12, CCCD 2016 and CMND 12) are read too, for the fields the detected side's
    labels did not give: a wrong guess between look-alike cards must not lose them all.
    """
    side = pick_side(card, hits)
    if side is None:
        return {}
    boxes = _boxes(lines)
    found = _read_side(lines, boxes, hits, side)
    # Only a reading that missed some of the side's fields may have the wrong side.
    others = _close_sides(side, hits) if set(side.fields()) - set(found) else []
    for other in others:
        for key, value in _read_side(lines, boxes, hits, other).items():
            if key not in found:
                value.confidence = round(value.confidence * _OTHER_SIDE, 4)
                found[key] = value
    if "id_number" not in found and side.id_digits:
        _id_without_label(lines, side, found)
    if "full_name" not in found and "full_name" in side.fields():
        _name_without_label(lines, boxes, hits, side, found)
    _repair_birth_year(found)
    _cross_check(found, side)
    return found


# A value read with another card's labels: the card was not told for sure.
_OTHER_SIDE = 0.9
# Sides of the same face scoring at least this share of the best side's score (by the
# labels found, whatever was detected) are read as well.
_CLOSE_SCORE = 0.5


def _close_sides(side: CardSide, hits: list[list[Hit]]) -> list[CardSide]:
    scores = side_scores(hits)
    best = max(scores.values(), default=0.0)
    close = [
        other
        for other in CARD_SIDES
        if other is not side
        and other.side == side.side
        and best > 0
        and scores.get(other.name, 0.0) >= _CLOSE_SCORE * best
    ]
    return sorted(close, key=lambda other: -scores.get(other.name, 0.0))


def _read_side(
    lines: list[Line], boxes: list[_Box], hits: list[list[Hit]], side: CardSide
) -> dict[str, FieldValue]:
    page = _Page(lines, boxes, _label_spans(hits, side))
    # A short label ("Số") is believed only where its value reads: "Số 342 Nguyễn Thị
    # Minh Khai" is an address line, not the ID number's label.
    for index, spans in enumerate(page.spans):
        for span in list(spans):
            if span.short_only and span.label.key and _value(page, span, side) is None:
                spans.remove(span)
            elif span.short_only and span.label.key:
                got = _value(page, span, side)
                if got is not None and got[1] != [index]:
                    spans.remove(span)
    found: dict[str, FieldValue] = {}
    for spans in page.spans:
        for span in spans:
            key = span.label.key
            if key is None or key in found:
                continue
            got = _value(page, span, side)
            if got is None:
                continue
            read, used = got
            confidence = min(lines[i].confidence for i in used) * read.factor
            found[key] = FieldValue(read.value, SOURCE, round(confidence, 4), list(read.problems))
    return found


def _id_without_label(lines: list[Line], side: CardSide, found: dict[str, FieldValue]) -> None:
    """The number printed large, its label lost ("s/No:"): a run of exactly its digits,
    else a run that a misread label runs into ("s6075193530783": "Số" read as "s6")."""
    assert side.id_digits is not None
    for line in lines:
        runs = _digit_runs(line.text)
        if any(len(run) == side.id_digits for run in runs):
            run = next(run for run in runs if len(run) == side.id_digits)
            found["id_number"] = FieldValue(run, SOURCE, round(line.confidence * 0.9, 4), [])
            return
    for line in lines:
        number = _after_label_scrap(line.text, side.id_digits)
        if number is not None:
            found["id_number"] = FieldValue(
                number,
                SOURCE,
                round(line.confidence * 0.8, 4),
                ["ID_LABEL_SCRAP: leading digits taken for the misread label 'Số' dropped"],
            )
            return


# "Số" misread as a letter and one or two digits ("s6", "S0") joined to the number.
_LABEL_SCRAP = re.compile(r"^\W*[sS$][^\W\d_]?\s?(\d[\d .]*\d)\W*$")


def _after_label_scrap(text: str, digits: int) -> str | None:
    """The number after a label misread into one or two digits, when the rest is exactly
    the number's length and (for 12 digits) a plausible ID: province and century fit."""
    match = _LABEL_SCRAP.match(text.strip())
    if match is None:
        return None
    run = re.sub(r"[\s.]", "", match.group(1))
    if not digits < len(run) <= digits + 2:
        return None
    number = run[-digits:]
    if digits == 12:
        check = check_id_number(number)
        if not check.valid or check.warnings:
            return None
    return number


def _name_in_line(text: str) -> str | None:
    """A name as printed: two to six syllables in capitals at the line's end, after at
    most a short scrap of its misread label in lower case ("dọ và vé DƯƠNG THỊ NGỌC")."""
    words = unicodedata.normalize("NFC", text).split()
    start = len(words)
    while start > 0 and words[start - 1].isalpha() and words[start - 1].isupper():
        start -= 1
    name, scrap = words[start:], " ".join(words[:start])
    if not 2 <= len(name) <= 6 or any(len(word) > 7 for word in name):
        return None
    if len(scrap) > 12 or (scrap and not any(c.islower() for c in scrap)):
        return None  # a title in capitals, or a line of text, not a scrap and a name
    return " ".join(name)


def _name_without_label(
    lines: list[Line],
    boxes: list[_Box],
    hits: list[list[Hit]],
    side: CardSide,
    found: dict[str, FieldValue],
) -> None:
    """The name whose label was misread past finding: a line of capitals with no label,
    between the ID number and the birth date's label (the fronts print them in that
    order), next to at least one of them."""
    number = found.get("id_number")
    above = next(
        (i for i, line in enumerate(lines) if number and number.value and
         number.value in re.sub(r"\D", "", _digit_tokens(line.text))),
        None,
    )  # fmt: skip
    below = next(
        (
            i
            for i, spans in enumerate(_label_spans(hits, side))
            if any(span.label.key == "date_of_birth" for span in spans)
        ),
        None,
    )
    if above is None and below is None:
        return
    any_label = resolve(hits)
    for index, line in enumerate(lines):
        box = boxes[index]
        if above is not None and not 0 < box.cy - boxes[above].cy < 4 * boxes[above].h:
            continue
        if below is not None and not 0 < boxes[below].cy - box.cy < 3 * boxes[below].h:
            continue
        if any(len(hit.pattern.text) > SHORT for hit in any_label[index]):
            continue
        name = _name_in_line(line.text)
        read = _read_name(name) if name is not None else None
        if read is not None:
            found["full_name"] = FieldValue(
                read.value,
                SOURCE,
                round(line.confidence * read.factor * 0.85, 4),
                ["NO_LABEL: read from its place under the ID number, its label not found"],
            )
            return


def _repair_birth_year(found: dict[str, FieldValue]) -> None:
    """A birth year no card holds ("19/01/4952": 1 read as 4) put right by the ID number,
    whose digits 4-6 encode the century and the year's last two digits, when those agree
    with the date's; otherwise the date is not given."""
    birth = found.get("date_of_birth")
    if birth is None or not birth.value or int(birth.value[-4:]) in _YEARS:
        return
    number = found.get("id_number")
    if number is not None and number.value and len(number.value) == 12:
        check = check_id_number(number.value)
        year = check.birth_year
        if year is not None and year % 100 == int(birth.value[-2:]) and check.valid:
            birth.value = f"{birth.value[:-4]}{year:04d}"
            birth.problems = [
                f"DATE_YEAR: the century was misread; digits 4-6 of the ID number give {year}"
            ]
            birth.confidence = round(birth.confidence * 0.9 / _FAILED_CHECK, 4)
            return
    del found["date_of_birth"]


def _cross_check(found: dict[str, FieldValue], side: CardSide) -> None:
    """The ID number against the sex and birth year it encodes; dates in order."""
    number = found.get("id_number")
    birth = found.get("date_of_birth")
    sex = found.get("sex")
    birth_year = int(birth.value[-4:]) if birth and birth.value else None
    if number is not None and number.value and len(number.value) == 12:
        check = check_id_number(
            number.value, birth_year=birth_year, sex=sex.value if sex and sex.value else None
        )
        failed = [p for p in check.problems if p not in check.warnings]
        if failed == [SEX_MISMATCH] and birth_year is not None and sex is not None:
            # Digits 4-6 agree with the birth date read elsewhere on the card, so the ID is
            # read right and it is the short sex value (Nam/Nữ) that was misread.
            sex.problems.append(
                f"CONFLICT: read {sex.value!r}; digit 4 of the ID number, whose birth-year "
                f"digits match the date of birth, says {check.sex!r}"
            )
            sex.value = check.sex
            sex.confidence = round(number.confidence * 0.8, 4)
            failed = []
        if failed:
            note = f"ID_CHECK: {', '.join(failed)} (digits 4-6 encode sex and birth year)"
            number.problems.append(note)
            number.confidence = round(number.confidence * _FAILED_CHECK, 4)
            for other in (birth, sex):
                if other is not None and other.value:
                    other.problems.append(note)
                    other.confidence = round(other.confidence * 0.85, 4)
        elif check.warnings:
            number.problems.append("UNKNOWN_PROVINCE_CODE: digits 1-3 name no known province")
        if sex is None and check.sex is not None and not failed and birth_year:
            # The ID's fourth digit encodes sex; the printed one was not read.
            found["sex"] = FieldValue(
                check.sex,
                SOURCE,
                round(number.confidence * 0.8, 4),
                ["FROM_ID_NUMBER: not read; digit 4 of the ID number encodes it"],
            )
    elif (
        number is not None
        and number.value
        and side.id_digits == 9
        and not check_cmnd9(number.value).valid
    ):
        number.problems.append("ID_CHECK: not 9 digits")
        number.confidence = round(number.confidence * _FAILED_CHECK, 4)
