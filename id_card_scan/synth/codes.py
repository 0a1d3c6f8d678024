"""The machine-readable content of a card: QR payloads and the TD1 machine-readable zone."""

from __future__ import annotations

import datetime as dt
import re

from id_card_scan.synth.data import Person
from id_card_scan.text import strip_marks

_WEIGHTS = (7, 3, 1)
TD1_WIDTH = 30


def check_digit(data: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; digits as values, A-Z as 10-35, ``<`` as 0."""
    total = 0
    for index, char in enumerate(data):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == "<":
            value = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += value * _WEIGHTS[index % 3]
    return str(total % 10)


def transliterate(text: str) -> str:
    """Upper-case ASCII for the MRZ: diacritics dropped, Đ read as D, anything else ``<``."""
    return re.sub(r"[^A-Z0-9]+", "<", strip_marks(text.upper())).strip("<")


def _yymmdd(day: dt.date) -> str:
    return day.strftime("%y%m%d")


def td1_lines(person: Person) -> tuple[str, str, str]:
    """The three 30-character lines of the holder's chip CCCD or Căn cước card.

    Line 1 follows what public samples show (an inference, not an official rule): the
    document number is the last 9 digits of the 12-digit ID, positions 16-27 hold the whole
    ID and position 30 its own check digit.
    """
    number = person.id_number
    document = number[3:]
    line1 = f"IDVNM{document}{check_digit(document)}{number}<<{check_digit(number)}"

    birth = _yymmdd(person.birth)
    # Holders over 60 get a card without expiry ("Không thời hạn"); ICAO 9303 fills a field
    # that does not apply with "<", and a check digit over fillers only is written "<" too
    # (our parser accepts exactly that). Inventing a far-future date instead would make a
    # reader report an expiry the card does not have.
    if person.expiry is None:
        expiry, expiry_check = "<" * 6, "<"
    else:
        expiry = _yymmdd(person.expiry)
        expiry_check = check_digit(expiry)
    sex = "M" if person.male else "F"
    body = f"{birth}{check_digit(birth)}{sex}{expiry}{expiry_check}VNM"
    body = body.ljust(TD1_WIDTH - 1, "<")
    # The composite covers line 1 from the document number on, and line 2's birth date,
    # expiry and optional data with their check digits (not the sex or nationality).
    composite = line1[5:] + body[0:7] + body[8:15] + body[18:29]
    line2 = body + check_digit(composite)

    surname, _, given = person.full_name.partition(" ")
    names = f"{transliterate(surname)}<<{transliterate(given)}"
    # The few names longer than the line are cut, as ICAO allows for the given names.
    line3 = names[:TD1_WIDTH].ljust(TD1_WIDTH, "<")
    return line1, line2, line3


def _ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d%m%Y")


def chip_cccd_qr(person: Person) -> str:
    """The chip CCCD's front QR: ``ID|old CMND|name|DOB|sex|residence|issue date``."""
    return "|".join(
        (
            person.id_number,
            person.cmnd_number,
            person.name_as_written,
            _ddmmyyyy(person.birth),
            person.sex,
            person.place_of_residence,
            _ddmmyyyy(person.issue),
        )
    )


def can_cuoc_2024_qr(person: Person, parents: tuple[str, str] | None) -> str:
    """A plausible payload for the 2024 card's back QR, whose layout is not published.

    Press summaries name the personal ID, name, date of birth, sex, residence, issue date,
    the old 9-digit CMND and, for some holders, the parents' names (here: children under
    14). Absent values leave their field empty, as the chip card's QR does. The order
    differs from the chip card's, so that a reader cannot take one layout for the other.
    """
    father, mother = parents if parents is not None else ("", "")
    return "|".join(
        (
            person.id_number,
            person.name_as_written,
            _ddmmyyyy(person.birth),
            person.sex,
            person.place_of_residence,
            _ddmmyyyy(person.issue),
            person.cmnd_number,
            father,
            mother,
        )
    )
