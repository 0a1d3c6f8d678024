"""What each Vietnamese identity card prints, side by side: titles, labels, QR and MRZ.

This is data, read by card-type detection (:mod:`id_card_scan.cards.card_type`) and by
the rules extractor (:mod:`id_card_scan.extraction.rules`). Supporting another card or
side means adding a :class:`CardSide` here; nothing else needs to change.

Labels are written as printed, with their Vietnamese and English parts apart; they are
found in OCR text with accents, case, spacing and common misreadings ignored
(:mod:`id_card_scan.cards.fuzzy`). A label with ``key=None`` is printed text that is not
a field (a title, a signature block, a fingerprint caption): it only ends the value above.
Sources: docs reference on Vietnamese cards (Thông tư 06/2021, 16/2024 and their samples).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from id_card_scan.cards.fuzzy import (
    Folded,
    Match,
    allowed_errors,
    edit_distance,
    fold,
    fold_text,
    mend_words,
    search,
)

Side = Literal["front", "back"]
ValueKind = Literal["id", "date", "date_or_never", "sex", "nationality", "name", "address", "text"]


@dataclass(frozen=True)
class Label:
    key: str | None  # catalogue key (id_card_scan.extraction.catalogue); None: not a field
    vi: str  # the Vietnamese part as printed
    en: str | None = None  # the English part, when the card prints one
    lines: int = 1  # how many lines the value may run to (wrapped addresses)
    # The printed text is itself the start of the value: the issuing authority's title
    # ("GIÁM ĐỐC CA" + the province on the next line) has no label of its own.
    starts_value: bool = False
    # Values printed the same way on every card: a close reading is snapped to them, and a
    # reading cut short (its second line lost) completed when only one of them fits.
    known: tuple[str, ...] = ()
    # The printed text names the value itself (the issuer's English title): found, it
    # answers the field when the value's own lines were not read.
    means: str | None = None
    # The value ends with an administrative unit printed after this word ("GIÁM ĐỐC CA
    # TỈNH QUẢNG BÌNH"): that unit is snapped to the gazetteer.
    unit_after: str | None = None

    def parts(self) -> tuple[str, ...]:
        return (self.vi,) if self.en is None else (self.vi, self.en)


@dataclass(frozen=True)
class CardSide:
    card_type: str
    side: Side
    # Text that tells this side from the others (titles, captions); weighted like labels.
    titles: tuple[str, ...]
    labels: tuple[Label, ...]
    qr: bool = False  # prints the QR code
    mrz: bool = False  # prints a TD1 machine-readable zone
    id_digits: int | None = None  # length of the printed ID number (None: not on this side)

    @property
    def name(self) -> str:
        return f"{self.card_type}_{self.side}"

    def fields(self) -> tuple[str, ...]:
        """Catalogue keys printed on this side, in printing order."""
        return tuple(dict.fromkeys(label.key for label in self.labels if label.key))


# How each field's value is read and normalised (see extraction/rules/values.py).
VALUE_KINDS: dict[str, ValueKind] = {
    "id_number": "id",
    "old_id_number": "id",
    "full_name": "name",
    "date_of_birth": "date",
    "date_of_issue": "date",
    "date_of_expiry": "date_or_never",
    "sex": "sex",
    "nationality": "nationality",
    "place_of_origin": "address",
    "place_of_residence": "address",
    "place_of_birth_registration": "address",
    "place_of_issue": "text",
    "ethnicity": "text",
    "religion": "text",
    "personal_identification": "text",
}

# Printed on every front: the state's name and motto. They end values, never start one.
_NATIONAL = (
    Label(None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    Label(None, "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
)
_FINGERS = (
    Label(None, "Vân tay ngón trỏ trái", "Left index finger"),
    Label(None, "Vân tay ngón trỏ phải", "Right index finger"),
    Label(None, "Ngón trỏ trái"),
    Label(None, "Ngón trỏ phải"),
)

# The issuing authorities, printed above the signature on the backs.
_DIRECTOR_C06 = "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
_DIRECTOR_C72 = "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"
_MINISTRY = "BỘ CÔNG AN"
_DIRECTOR = Label(
    "place_of_issue",
    "CỤC TRƯỞNG CỤC CẢNH SÁT",
    lines=2,
    starts_value=True,
    known=(_DIRECTOR_C06, _DIRECTOR_C72),
)
# Chip CCCDs (2021-2024) are all signed by the director of C06, in both languages.
_DIRECTOR_CHIP = Label(
    "place_of_issue", "CỤC TRƯỞNG CỤC CẢNH SÁT", lines=2, starts_value=True, known=(_DIRECTOR_C06,)
)
_DIRECTOR_CHIP_EN = Label(
    "place_of_issue", "FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER", means=_DIRECTOR_C06
)
# "GIÁM ĐỐC CA" and the province's police, often on the next line ("TP. HỒ CHÍ MINH").
_POLICE_DIRECTOR = Label("place_of_issue", "GIÁM ĐỐC", lines=2, starts_value=True, unit_after="CA")

CARD_SIDES: tuple[CardSide, ...] = (
    CardSide(
        "chip_cccd",
        "front",
        titles=("CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card"),
        labels=(
            *_NATIONAL,
            Label(None, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card"),
            Label("id_number", "Số", "No."),
            Label("full_name", "Họ và tên", "Full name"),
            Label("date_of_birth", "Ngày sinh", "Date of birth"),
            Label("sex", "Giới tính", "Sex"),
            Label("nationality", "Quốc tịch", "Nationality"),
            Label("place_of_origin", "Quê quán", "Place of origin", lines=2),
            Label("place_of_residence", "Nơi thường trú", "Place of residence", lines=2),
            Label("date_of_expiry", "Có giá trị đến", "Date of expiry"),
        ),
        qr=True,
        id_digits=12,
    ),
    CardSide(
        "chip_cccd",
        "back",
        titles=("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",),
        labels=(
            *_FINGERS,
            Label(
                "personal_identification",
                "Đặc điểm nhân dạng",
                "Personal identification",
                lines=2,
            ),
            Label("date_of_issue", "Ngày, tháng, năm", "Date, month, year"),
            _DIRECTOR_CHIP,
            Label(None, "DIRECTOR GENERAL OF THE POLICE DEPARTMENT"),
            _DIRECTOR_CHIP_EN,
        ),
        mrz=True,
    ),
    CardSide(
        "can_cuoc_2024",
        "front",
        titles=("CĂN CƯỚC", "IDENTITY CARD"),
        labels=(
            *_NATIONAL,
            Label(None, "CĂN CƯỚC", "IDENTITY CARD"),
            Label("id_number", "Số định danh cá nhân", "Personal identification number"),
            Label("full_name", "Họ, chữ đệm và tên khai sinh", "Full name"),
            Label("date_of_birth", "Ngày, tháng, năm sinh", "Date of birth"),
            Label("sex", "Giới tính", "Sex"),
            Label("nationality", "Quốc tịch", "Nationality"),
        ),
        id_digits=12,
    ),
    CardSide(
        "can_cuoc_2024",
        "back",
        titles=("BỘ CÔNG AN", "MINISTRY OF PUBLIC SECURITY"),
        labels=(
            Label("place_of_residence", "Nơi cư trú", "Place of residence", lines=3),
            Label(
                "place_of_birth_registration",
                "Nơi đăng ký khai sinh",
                "Place of birth registration",
                lines=3,
            ),
            Label("date_of_issue", "Ngày, tháng, năm cấp", "Date of issue"),
            Label("date_of_expiry", "Ngày, tháng, năm hết hạn", "Date of expiry"),
            Label("place_of_issue", "BỘ CÔNG AN", starts_value=True, known=(_MINISTRY,)),
            Label(None, "MINISTRY OF PUBLIC SECURITY"),
        ),
        qr=True,
        mrz=True,
    ),
    CardSide(
        "cccd_2016",
        "front",
        titles=("CĂN CƯỚC CÔNG DÂN",),
        labels=(
            *_NATIONAL,
            Label(None, "CĂN CƯỚC CÔNG DÂN"),
            Label("id_number", "Số"),
            Label("full_name", "Họ và tên"),
            Label("date_of_birth", "Ngày, tháng, năm sinh"),
            Label("sex", "Giới tính"),
            Label("nationality", "Quốc tịch"),
            Label("place_of_origin", "Quê quán", lines=2),
            Label("place_of_residence", "Nơi thường trú", lines=2),
            Label("date_of_expiry", "Có giá trị đến"),
        ),
        id_digits=12,
    ),
    CardSide(
        "cccd_2016",
        "back",
        titles=("ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"),
        labels=(
            *_FINGERS,
            Label("personal_identification", "Đặc điểm nhận dạng", lines=2),
            # "Ngày 06 tháng 01 năm 2019": the date's parts sit between the words.
            Label("date_of_issue", "Ngày"),
            _DIRECTOR,
        ),
    ),
    CardSide(
        "cmnd_9",
        "front",
        titles=("GIẤY CHỨNG MINH NHÂN DÂN",),
        labels=(
            *_NATIONAL,
            Label(None, "GIẤY CHỨNG MINH NHÂN DÂN"),
            Label("id_number", "Số"),
            Label("full_name", "Họ tên"),
            Label("date_of_birth", "Sinh ngày"),
            Label("place_of_origin", "Nguyên quán", lines=2),
            Label("place_of_residence", "Nơi ĐKHK thường trú", lines=2),
        ),
        id_digits=9,
    ),
    CardSide(
        "cmnd_12",
        "front",
        titles=("CHỨNG MINH NHÂN DÂN",),
        labels=(
            *_NATIONAL,
            Label(None, "CHỨNG MINH NHÂN DÂN"),
            Label("id_number", "Số"),
            # Cards print "Họ và tên khai sinh" (the birth name), then a line for any
            # other name ("Họ và tên gọi khác"), usually left empty.
            Label("full_name", "Họ và tên khai sinh"),
            Label("full_name", "Họ và tên"),
            Label(None, "Họ và tên gọi khác"),
            Label("date_of_birth", "Ngày, tháng, năm sinh"),
            Label("sex", "Giới tính"),
            Label("ethnicity", "Dân tộc"),
            Label("place_of_origin", "Quê quán", lines=2),
            Label("place_of_residence", "Nơi thường trú", lines=2),
            Label("date_of_expiry", "Có giá trị đến"),
        ),
        id_digits=12,
    ),
    CardSide(
        "cmnd_9",
        "back",
        titles=("DẤU VẾT RIÊNG VÀ DỊ HÌNH", "GIÁM ĐỐC"),
        labels=(
            *_FINGERS,
            Label("ethnicity", "DÂN TỘC"),
            Label("religion", "TÔN GIÁO"),
            Label("personal_identification", "DẤU VẾT RIÊNG VÀ DỊ HÌNH", lines=2),
            Label("date_of_issue", "Ngày"),
            _POLICE_DIRECTOR,
        ),
    ),
    CardSide(
        "cmnd_12",
        "back",
        titles=("Đặc điểm nhận dạng", "GIÁM ĐỐC"),
        labels=(
            *_FINGERS,
            Label("religion", "Tôn giáo"),
            Label("personal_identification", "Đặc điểm nhận dạng", lines=2),
            Label("date_of_issue", "Ngày"),
            _POLICE_DIRECTOR,
        ),
    ),
)

# Distinguishing marks are written with a small vocabulary; OCR drops the dot below
# ("Seo" for "Sẹo"): a word whose bare letters are one of these, and only one, is snapped.
MARK_WORDS: tuple[str, ...] = (
    "Sẹo", "Nốt", "ruồi", "chấm", "cách", "trên", "dưới", "trước", "sau", "phải", "trái",
    "mép", "mũi", "cánh", "đuôi", "lông", "mày", "mắt", "môi", "cằm", "tai", "trán",
    "vết", "thâm", "gò", "đầu", "cổ", "bớt", "đen", "nâu", "son", "hằn", "chân",
)  # fmt: skip

SIDES_BY_NAME: dict[str, CardSide] = {side.name: side for side in CARD_SIDES}
CARD_TYPES: tuple[str, ...] = tuple(dict.fromkeys(side.card_type for side in CARD_SIDES))


@dataclass(frozen=True)
class Pattern:
    """One searchable text: a label part or a title, folded, with what it belongs to."""

    text: str  # folded
    max_errors: int
    printed: str  # as the card prints it
    # (side name, label index in side.labels or -1 for a title, "vi"/"en"/"title")
    owners: tuple[tuple[str, int, str], ...] = field(default=())
    # Printed in lower case on every card that prints it: a reading in capitals is
    # something else ("NGUYỄN VĂN" is a name, not "Nguyên quán").
    never_capitals: bool = False


def _build_patterns() -> tuple[Pattern, ...]:
    owners: dict[str, list[tuple[str, int, str]]] = {}
    capitals: dict[str, bool] = {}
    printed_as: dict[str, str] = {}
    for side in CARD_SIDES:
        printed: list[tuple[str, int, str]] = [
            (part, index, part_name)
            for index, label in enumerate(side.labels)
            for part_name, part in zip(("vi", "en"), label.parts(), strict=False)
        ]
        printed += [(title, -1, "title") for title in side.titles]
        for text, index, part_name in printed:
            key = fold_text(text)
            owners.setdefault(key, []).append((side.name, index, part_name))
            capitals[key] = capitals.get(key, False) or text == text.upper()
            printed_as.setdefault(key, text)
    return tuple(
        Pattern(text, allowed_errors(len(text)), printed_as[text], tuple(found), not capitals[text])
        for text, found in sorted(owners.items(), key=lambda item: -len(item[0]))
    )


# Longest first: where two overlap, the longer ("ngaythangnamsinh") is the better reading.
PATTERNS: tuple[Pattern, ...] = _build_patterns()


# --------------------------------------------------------------------------- finding them

# Folded texts this short ("so" for Số, "no" for No., "sex") are inside countless words:
# they are believed only at the start of a line or right after their label's Vietnamese part.
SHORT = 3


@dataclass(frozen=True)
class Hit:
    """A pattern found in one OCR line."""

    line: int
    pattern: Pattern
    start: int  # in the original line text
    end: int
    fstart: int  # in the folded line text
    fend: int
    distance: int

    @property
    def quality(self) -> float:
        return len(self.pattern.text) - 2.0 * self.distance


def scan(texts: list[str]) -> list[list[Hit]]:
    """Every pattern occurrence in every line (overlapping; see :func:`resolve`)."""
    return [scan_line(text, number) for number, text in enumerate(texts)]


def scan_line(text: str, number: int) -> list[Hit]:
    """Every pattern occurrence in line ``number``, whose text is ``text``."""
    folded = fold(text)
    grams = {folded.text[i : i + 2] for i in range(len(folded.text) - 1)}
    hits = []
    for pattern in PATTERNS:
        for match in search(pattern.text, folded.text, pattern.max_errors, grams):
            fend = _word_end(pattern.text, folded, text, match)
            start, end = folded.span(match.start, fend)
            if start > 0 and text[start - 1].isalnum() and not _lost_space(text, start):
                # "Gia RaiÔN GIÁO": the label's first letter lost, and the search took
                # the value's last one for it: the label starts a letter later.
                later = match.start + 1
                shorter = edit_distance(pattern.text, folded.text[later:fend])
                start = folded.span(later, fend)[0] if later < fend else start
                if shorter > pattern.max_errors or not _lost_space(text, start):
                    continue  # labels start words: "Sáu, Quận" does not hold "Quê quán"
                match = Match(later, match.end, shorter)
            if pattern.never_capitals and _capitals(text[start:end]):
                continue
            hits.append(Hit(number, pattern, start, end, match.start, fend, match.distance))
    return hits


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _lost_space(text: str, start: int) -> bool:
    """ "H'MôngTÔN GIÁO": a label in capitals right after a value in lower case, the space
    between them lost by OCR, as :func:`_word_end` allows the other way round."""
    return text[start - 1].islower() and text[start].isupper()


def max_errors(pattern: str) -> int:
    return allowed_errors(len(pattern))


def _word_end(pattern: str, folded: Folded, text: str, match: Match) -> int:
    """Where a label ends: at a word's end if as good a match ends there.

    "Họ và tê: HÀ BẢO": "hovateh" and "hovate" are both one edit from "hovaten"; the
    label ends before the colon, not inside the name.
    """

    def at_boundary(end: int) -> bool:
        after = folded.span(match.start, end)[1]
        if after >= len(text) or not text[after].isalnum():
            return True
        # "Họ và tênNGUYỄN": a label in lower case running into a value in capitals.
        return text[after - 1].islower() and text[after].isupper()

    if at_boundary(match.end):
        return match.end
    # "Họ và tê NGUYỄN" folds to "hovatenguyen": the name's N completes the label exactly,
    # but ending at the word costs only one edit more.
    for cut in (1, 2):
        end = match.end - cut
        if end <= match.start + 1:
            break
        distance = edit_distance(pattern, folded.text[match.start : end])
        # A colon right after is the label's own end, even one edit over the allowance.
        after = folded.span(match.start, end)[1]
        limit = match.distance + 1
        if after >= len(text) or text[after] != ":":
            limit = min(limit, max_errors(pattern))
        if at_boundary(end) and distance <= limit:
            return end
    return match.end


def resolve(hits: list[list[Hit]], sides: set[str] | None = None) -> list[list[Hit]]:
    """Per line, the non-overlapping hits of the given sides' patterns (all sides: None).

    Longer and closer matches win; short patterns need to open the line or follow the
    Vietnamese part of their own label.
    """
    resolved: list[list[Hit]] = []
    for line_hits in hits:
        chosen: list[Hit] = []
        candidates = [
            hit
            for hit in line_hits
            if sides is None or any(owner[0] in sides for owner in hit.pattern.owners)
        ]
        # Inside a line (merged boxes), a label must be read more closely than at its
        # start, or be the English part right after its Vietnamese one: values hold
        # look-alikes.
        long_hits = sorted(
            (hit for hit in candidates if len(hit.pattern.text) > SHORT),
            key=lambda h: (-h.quality, h.fstart),
        )
        for strict in (True, False):
            for hit in long_hits:
                close = hit.fstart == 0 or hit.distance <= hit.pattern.max_errors // 2
                if strict and not close:
                    continue
                if not strict and (
                    close
                    or not any(
                        0 <= hit.fstart - o.fend <= 1 and _same_label(o, hit, sides) for o in chosen
                    )
                ):
                    continue
                if all(hit.fend <= o.fstart or hit.fstart >= o.fend for o in chosen):
                    chosen.append(hit)
        for hit in sorted(candidates, key=lambda h: h.fstart):
            if len(hit.pattern.text) > SHORT:
                continue
            if any(not (hit.fend <= o.fstart or hit.fstart >= o.fend) for o in chosen):
                continue
            if hit.fstart == 0 or any(
                0 <= hit.fstart - other.fend <= 1 and _same_label(other, hit, sides)
                for other in chosen
            ):
                chosen.append(hit)
        resolved.append(sorted(chosen, key=lambda h: h.fstart))
    return resolved


def _same_label(vi: Hit, en: Hit, sides: set[str] | None) -> bool:
    return any(
        (side, index) == (other_side, other_index)
        and part == "vi"
        and other_part == "en"
        and (sides is None or side in sides)
        for side, index, part in vi.pattern.owners
        for other_side, other_index, other_part in en.pattern.owners
    )


def mend_printed(texts: list[str], hits: list[list[Hit]]) -> list[str]:
    """Each line with the titles and labels found in it written as cards print them,
    word by word ("CÔNG HÒA" is "CỘNG HÒA", "Què quán" is "Quê quán"): the marks OCR lost
    on text every card prints the same; the values beside them are left as read."""
    mended = []
    for text, line_hits in zip(texts, resolve(hits), strict=True):
        # Only what is surely a label: long, read closely, opening the line or right
        # after another label ("Vũ Quang" must not become "Vũ Quán").
        sure: list[Hit] = []
        for hit in line_hits:
            opens = hit.fstart == 0 or (sure and 0 <= hit.fstart - sure[-1].fend <= 2)
            close = hit.distance <= hit.pattern.max_errors // 2
            if opens and close and len(hit.pattern.text) > SHORT:
                sure.append(hit)
        for hit in reversed(sure):
            fixed = mend_words(text[hit.start : hit.end], hit.pattern.printed, near=False)
            text = text[: hit.start] + fixed + text[hit.end :]
        mended.append(text)
    return mended


def mend_lines(texts: list[str]) -> tuple[list[str], list[list[Hit]]]:
    """:func:`mend_printed` on ``texts``, with the labels found in the mended lines."""
    hits = scan(texts)
    mended = mend_printed(texts, hits)
    for number, (before, after) in enumerate(zip(texts, mended, strict=True)):
        if after != before:
            hits[number] = scan_line(after, number)
    return mended, hits
