"""Checks across fields and the fields found without their label.

The 12-digit ID number encodes the holder's sex and century of birth (digit 4) and the
birth year's last two digits (digits 5-6): each reading is checked against the others,
a misread short value (Nam/Nữ) or a birth year no card holds is put right when the
number proves it, and a number that fails its checks says so. The ID number and the name
are also looked for where their label was lost: the number by its length, the name by its
place under the number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from id_card_scan.cards.fuzzy import fold_text
from id_card_scan.cards.id_number import SEX_MISMATCH, check_cmnd9, check_id_number
from id_card_scan.cards.labels import SHORT, CardSide, Hit, resolve
from id_card_scan.extraction import FieldValue
from id_card_scan.extraction.rules.page import Box, label_spans
from id_card_scan.extraction.rules.values import (
    DATE_SEPARATORS,
    FAILED_CHECK,
    LABEL_SCRAP,
    NEVER,
    VIET_NAM,
    YEARS,
    Read,
    digit_runs,
    digit_tokens,
    read_date,
    read_date_or_never,
    read_id,
    read_name,
)
from id_card_scan.ocr.types import Line

SOURCE = "rules"


def id_without_label(lines: list[Line], side: CardSide, found: dict[str, FieldValue]) -> None:
    """The number printed large, its label lost ("s/No:"): a run of exactly its digits,
    else a run that a misread label runs into ("s6075193530783": "Số" read as "s6")."""
    assert side.id_digits is not None
    for line in lines:
        runs = digit_runs(line.text)
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
                [LABEL_SCRAP],
            )
            return
    # The label "Số" read as digits that run into the number ("509201590603").
    digits = side.id_digits
    for line in lines:
        if not any(digits < len(run) <= digits + 3 for run in digit_runs(line.text)):
            continue
        read = read_id(line.text, digits)
        if read is not None and LABEL_SCRAP in read.problems:
            confidence = round(line.confidence * read.factor, 4)
            found["id_number"] = FieldValue(read.value, SOURCE, confidence, read.problems)
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


def name_without_label(
    lines: list[Line],
    boxes: list[Box],
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
         number.value in re.sub(r"\D", "", digit_tokens(line.text))),
        None,
    )  # fmt: skip
    below = next(
        (
            i
            for i, spans in enumerate(label_spans(hits, side))
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
        read = read_name(name) if name is not None else None
        if read is not None:
            found["full_name"] = FieldValue(
                read.value,
                SOURCE,
                round(line.confidence * read.factor * 0.85, 4),
                ["NO_LABEL: read from its place under the ID number, its label not found"],
            )
            return


def repair_birth_year(found: dict[str, FieldValue]) -> None:
    """A birth year no card holds ("19/01/4952": 1 read as 4) put right by the ID number,
    whose digits 4-6 encode the century and the year's last two digits, when those agree
    with the date's; otherwise the date is not given."""
    birth = found.get("date_of_birth")
    if birth is None or not birth.value or int(birth.value[-4:]) in YEARS:
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
            birth.confidence = round(birth.confidence * 0.9 / FAILED_CHECK, 4)
            return
    # Else century digits no holder has ("3997", "1070"): the year is the one of the only
    # century its last two digits allow a holder born by now.
    year = only_century(int(birth.value[-4:]))
    if year is not None:
        birth.value = f"{birth.value[:-4]}{year:04d}"
        birth.problems = [
            f"DATE_YEAR: the century was misread; {year} is the only year its last digits allow"
        ]
        birth.confidence = round(birth.confidence * 0.75 / FAILED_CHECK, 4)
        return
    del found["date_of_birth"]


def only_century(year: int) -> int | None:
    """A birth year whose century was misread, as the one year of the 1900s or 2000s with
    its last two digits that a holder can have been born in by now; None where both can
    (the last digits must then be read more surely) or ``year`` is no misread one."""
    if 1900 <= year <= dt.date.today().year:
        return None
    possible = [
        century + year % 100
        for century in (1900, 2000)
        if century + year % 100 <= dt.date.today().year
    ]
    return possible[0] if len(possible) == 1 else None


def cross_check(found: dict[str, FieldValue], side: CardSide) -> None:
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
            number.confidence = round(number.confidence * FAILED_CHECK, 4)
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
        number.confidence = round(number.confidence * FAILED_CHECK, 4)


# A card is valid for at least this many years after its holder's birth (the first card
# is issued at 14), and a birth date is at least this old on any card.
_EXPIRY_AFTER_BIRTH = 14
NO_LABEL_DATE = "NO_LABEL: its label was not read; told from the card's other date by its year"


def dates_without_label(lines: list[Line], side: CardSide, found: dict[str, FieldValue]) -> None:
    """A front's birth date and expiry date whose labels were lost: the card's dates
    told apart by their years (the expiry is the one at least 14 years after the other,
    or ``Không thời hạn``)."""
    wanted = [key for key in ("date_of_birth", "date_of_expiry") if key in side.fields()]
    if side.side != "front" or all(key in found for key in wanted):
        return
    dates: list[tuple[int, str, float]] = []
    never: float | None = None
    for line in lines:
        if never is None and read_date_or_never(line.text) == Read(NEVER):
            never = line.confidence
        for value in _dates_in(line.text):
            dates.append((int(value[-4:]), value, line.confidence))
        for value in _dates_in(line.text, any_year=True):
            year = only_century(int(value[-4:]))
            if year is not None:  # "21-06-1070": a birth date, its century misread
                dates.append((year, f"{value[:-4]}{year}", line.confidence * 0.75))
    birth = found.get("date_of_birth")
    birth_year = int(birth.value[-4:]) if birth and birth.value else None
    if "date_of_birth" in wanted and birth_year is None:
        expiry = found.get("date_of_expiry")
        limit = (
            int(expiry.value[-4:]) - _EXPIRY_AFTER_BIRTH
            if expiry and expiry.value[-4:].isdigit()
            else 2100
        )
        older = sorted(d for d in dates if d[0] <= limit)
        if older:
            year, value, confidence = older[0]
            found["date_of_birth"] = FieldValue(
                value, SOURCE, round(confidence * 0.8, 4), [NO_LABEL_DATE]
            )
            birth_year = year
    if "date_of_expiry" in wanted and "date_of_expiry" not in found:
        if birth_year is not None:
            later = sorted(d for d in dates if d[0] >= birth_year + _EXPIRY_AFTER_BIRTH)
            if later:
                _, value, confidence = later[-1]
                found["date_of_expiry"] = FieldValue(
                    value, SOURCE, round(confidence * 0.8, 4), [NO_LABEL_DATE]
                )
                return
        if never is not None:
            found["date_of_expiry"] = FieldValue(
                NEVER, SOURCE, round(never * 0.8, 4), [NO_LABEL_DATE]
            )


NO_LABEL_NATIONALITY = "NO_LABEL: its label was not read; the country a line ends with"
# The national title's words: its "VIỆT NAM" is no holder's nationality.
_TITLE_WORDS = ("conghoa", "chunghia", "socialist", "republic", "xahoi")


def nationality_without_label(
    lines: list[Line], side: CardSide, found: dict[str, FieldValue]
) -> None:
    """A front's nationality whose label was read too badly to find ("Quốc tcnNationaty
    Việt Nam"): the country a line other than the national title ends with."""
    if "nationality" not in side.fields() or "nationality" in found:
        return
    for line in lines:
        folded = fold_text(line.text)
        if folded.endswith("vietnam") and not any(word in folded for word in _TITLE_WORDS):
            found["nationality"] = FieldValue(
                VIET_NAM, SOURCE, round(line.confidence * 0.8, 4), [NO_LABEL_NATIONALITY]
            )
            return


def _dates_in(text: str, *, any_year: bool = False) -> list[str]:
    """Every valid DD/MM/YYYY date in a line, as printed digits allow; with ``any_year``
    only those whose year no card holds."""
    cleaned = digit_tokens(text)
    out = []
    separator = f"[{DATE_SEPARATORS}]"
    pattern = rf"(?<!\d)(\d{{1,2}})\s*{separator}\s*(\d{{1,2}})\s*{separator}\s*(\d{{4}})(?!\d)"
    for match in re.finditer(pattern, cleaned):
        read = read_date(match.group(0), any_year=any_year)
        if read is not None and (not any_year or read.problems):
            out.append(read.value)
    return out


# A citizen identity card (CCCD, 2016-2024) is valid until its holder's birthday at 25,
# 40 or 60 (Luật Căn cước công dân 2014, art. 21: a card issued within two years before
# one of these ages lasts to the next), then without expiry.
_RENEWAL_AGES = (25, 40, 60)
_BIRTHDAY_EXPIRY = frozenset({"chip_cccd_front", "cccd_2016_front"})
EXPIRY_FROM_BIRTH = (
    "EXPIRY_FROM_BIRTH: day and month read unclearly; a citizen card expires on a birthday"
)
_YEAR_AFTER_DIGITS = re.compile(r"\d{1,3}\s*[/\-.,~]\s*(\d{4})(?!\d)")


def expiry_on_birthday(lines: list[Line], side: CardSide, found: dict[str, FieldValue]) -> None:
    """A citizen card's expiry checked against its holder's birth date: the same day and
    month, at 25, 40 or 60. A reading whose year fits but whose day or month do not, or a
    garbled one whose year alone was read ("dle-207/2026"), is written as the rule says."""
    birth = found.get("date_of_birth")
    if side.name not in _BIRTHDAY_EXPIRY or birth is None or not birth.value:
        return
    day_month, birth_year = birth.value[:5], int(birth.value[-4:])
    fitting = {birth_year + age for age in _RENEWAL_AGES}
    expiry = found.get("date_of_expiry")
    if expiry is not None and expiry.value and expiry.value[-4:].isdigit():
        year = int(expiry.value[-4:])
        if year in fitting and expiry.value[:5] != day_month:
            expiry.value = f"{day_month}/{year}"
            expiry.problems.append(EXPIRY_FROM_BIRTH)
            expiry.confidence = round(min(expiry.confidence, birth.confidence) * 0.9, 4)
        return
    if expiry is not None:
        return  # "Không thời hạn"
    for line in lines:
        for match in _YEAR_AFTER_DIGITS.finditer(digit_tokens(line.text)):
            year = int(match.group(1))
            if year in fitting:
                found["date_of_expiry"] = FieldValue(
                    f"{day_month}/{year}",
                    SOURCE,
                    round(min(line.confidence, birth.confidence) * 0.75, 4),
                    [EXPIRY_FROM_BIRTH],
                )
                return
