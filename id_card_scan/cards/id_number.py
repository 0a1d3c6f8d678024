"""The 12-digit personal ID number (số định danh cá nhân) and the old 9-digit CMND number.

Structure of the 12 digits (Nghị định 137/2015, Thông tư 07/2016/TT-BCA):

- digits 1-3: the province (or city) where the birth was registered, see
  :mod:`id_card_scan.cards.provinces`;
- digit 4: sex and century of birth: 1900s male 0 / female 1, 2000s 2/3, 2100s 4/5,
  2200s 6/7, 2300s 8/9;
- digits 5-6: the last two digits of the birth year;
- digits 7-12: a random number.

The number carries no check digit, so only its structure and its agreement with the
card's other fields can be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from id_card_scan.cards.provinces import province_name

NOT_12_DIGITS = "NOT_12_DIGITS"
NOT_9_DIGITS = "NOT_9_DIGITS"
UNKNOWN_PROVINCE_CODE = "UNKNOWN_PROVINCE_CODE"
SEX_MISMATCH = "SEX_MISMATCH"
CENTURY_MISMATCH = "CENTURY_MISMATCH"
BIRTH_YEAR_MISMATCH = "BIRTH_YEAR_MISMATCH"
BIRTH_YEAR_IN_FUTURE = "BIRTH_YEAR_IN_FUTURE"

# Codes that are reported but do not make a number invalid: the province table may be
# incomplete (see provinces.py), so an unknown code is a reason to look, not to reject.
WARNING_CODES: frozenset[str] = frozenset({UNKNOWN_PROVINCE_CODE})

MALE = "Nam"
FEMALE = "Nữ"

_SEPARATORS = re.compile(r"[\s.\-]")
_SEX_ALIASES = {
    "nam": MALE,
    "m": MALE,
    "male": MALE,
    "nữ": FEMALE,
    "nu": FEMALE,
    "f": FEMALE,
    "female": FEMALE,
}


@dataclass(frozen=True)
class IdNumberCheck:
    """The verdict on a 12-digit ID number; decoded parts are None when it is malformed."""

    number: str
    valid: bool
    problems: list[str] = field(default_factory=list)
    province_code: str | None = None
    province_name: str | None = None
    sex: str | None = None  # "Nam" or "Nữ"
    century: int | None = None  # 1900, 2000, ...
    birth_year_2digits: int | None = None
    birth_year: int | None = None  # century + the two digits

    @property
    def warnings(self) -> list[str]:
        return [code for code in self.problems if code in WARNING_CODES]


@dataclass(frozen=True)
class Cmnd9Check:
    """The verdict on an old 9-digit CMND number (no structure beyond its length is checked)."""

    number: str
    valid: bool
    problems: list[str] = field(default_factory=list)


def normalize_sex(value: str) -> str:
    """Nam or Nữ, from the spellings a card, an MRZ or a caller uses (Nam, Nữ, Nu, M, F)."""
    key = value.strip().casefold()
    if key not in _SEX_ALIASES:
        raise ValueError(f"unknown sex value: {value!r}")
    return _SEX_ALIASES[key]


def _clean(number: str) -> str:
    return _SEPARATORS.sub("", number)


def check_id_number(
    number: str,
    *,
    birth_year: int | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> IdNumberCheck:
    """Decode a 12-digit ID number and check it against the birth year and sex, when given.

    ``sex`` accepts "Nam"/"Nữ" (or M/F). Spaces, dots and hyphens in ``number`` are ignored.
    ``valid`` is False when any problem other than a warning (``WARNING_CODES``) is found.
    """
    cleaned = _clean(number)
    if len(cleaned) != 12 or not cleaned.isascii() or not cleaned.isdigit():
        return IdNumberCheck(number=cleaned, valid=False, problems=[NOT_12_DIGITS])

    problems: list[str] = []
    code = cleaned[:3]
    name = province_name(code)
    if name is None:
        problems.append(UNKNOWN_PROVINCE_CODE)

    sex_digit = int(cleaned[3])
    decoded_sex = MALE if sex_digit % 2 == 0 else FEMALE
    century = 1900 + 100 * (sex_digit // 2)
    two_digits = int(cleaned[4:6])
    decoded_year = century + two_digits

    if sex is not None and normalize_sex(sex) != decoded_sex:
        problems.append(SEX_MISMATCH)
    if birth_year is not None:
        if birth_year // 100 * 100 != century:
            problems.append(CENTURY_MISMATCH)
        if birth_year % 100 != two_digits:
            problems.append(BIRTH_YEAR_MISMATCH)
    if decoded_year > (today or date.today()).year:
        problems.append(BIRTH_YEAR_IN_FUTURE)

    return IdNumberCheck(
        number=cleaned,
        valid=all(problem in WARNING_CODES for problem in problems),
        problems=problems,
        province_code=code,
        province_name=name,
        sex=decoded_sex,
        century=century,
        birth_year_2digits=two_digits,
        birth_year=decoded_year,
    )


def check_cmnd9(number: str) -> Cmnd9Check:
    """An old CMND number: exactly 9 digits (spaces, dots and hyphens ignored)."""
    cleaned = _clean(number)
    if len(cleaned) != 9 or not cleaned.isascii() or not cleaned.isdigit():
        return Cmnd9Check(number=cleaned, valid=False, problems=[NOT_9_DIGITS])
    return Cmnd9Check(number=cleaned, valid=True)
