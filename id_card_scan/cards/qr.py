"""Reading the QR code of Vietnamese identity cards and parsing its payload.

The chip CCCD (2021) prints a QR code on the front that holds, separated by ``|``:
``ID12|oldCMND9|Full name|DDMMYYYY|Nam or Nữ|permanent address|issue DDMMYYYY``. It is
machine-written, so when it decodes it beats OCR for every field it carries. The 2024
Căn cước carries a QR code on the back whose layout is not confirmed; it gets a defensive
parser that only reports what it can tell for certain.

Decoding uses zxing-cpp, which reads far more photographed codes than OpenCV's detector.
Nothing here raises on a strange image or payload: a QR code is a bonus source of truth,
and its absence must never fail a request.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
import zxingcpp

from id_card_scan.cards.id_number import (
    BIRTH_YEAR_MISMATCH,
    CENTURY_MISMATCH,
    SEX_MISMATCH,
    check_id_number,
)

logger = logging.getLogger(__name__)

# Photos larger than this on the long side are reduced first: a card's QR code stays well
# above the pixels per module zxing needs, and the fallbacks below stay fast.
MAX_LONG_SIDE = 2500
# The smallest QR code (version 1) is 21 modules wide: a smaller image cannot hold one.
_MIN_SIDE = 21
# The fallbacks enlarge the image; this caps the enlarged long side to bound time and memory.
_MAX_UPSCALED_SIDE = 6000
# Once this much time has gone, later (more expensive) fallbacks are skipped. zxing itself
# cannot be interrupted; the cap on size above is what bounds one call.
DEFAULT_TIME_BUDGET_S = 1.5

_QR_FORMAT = zxingcpp.BarcodeFormat.QRCode

SexValue = Literal["Nam", "Nữ"]
Layout = Literal["chip_cccd", "can_cuoc_2024"]


# --- Decoding -----------------------------------------------------------------------------


def decode_qr(image_rgb: np.ndarray, *, time_budget_s: float = DEFAULT_TIME_BUDGET_S) -> list[str]:
    """All QR texts found in an RGB (or greyscale) image; an empty list when none is found.

    Tries the image as it is, and only when that finds nothing, a 2x enlargement (small
    codes in phone photos), an Otsu-binarised copy (uneven light) and a sharpened
    enlargement (blur). zxing searches every orientation itself, so codes turned 90, 180
    or 270 degrees need no extra pass. Payloads whose bytes cannot be made into text are
    left out. Never raises.
    """
    try:
        grey = _prepare(image_rgb)
    except Exception:  # a weird array (object dtype, NaNs, odd shapes) is simply "no QR"
        logger.debug("QR decode: unusable image", exc_info=True)
        return []
    if grey is None:
        return []
    started = time.monotonic()
    for attempt in _attempts(grey):
        if time.monotonic() - started > time_budget_s:
            logger.debug("QR decode: time budget spent; skipping the remaining fallbacks")
            break
        try:
            texts = _read(attempt())
        except Exception:  # zxing or OpenCV refusing an input must not fail the caller
            logger.debug("QR decode attempt failed", exc_info=True)
            continue
        if texts:
            return texts
    return []


def _prepare(image: np.ndarray) -> np.ndarray | None:
    """A contiguous uint8 greyscale image no larger than MAX_LONG_SIDE, or None if unusable."""
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        return None
    height, width = array.shape[:2]
    if min(height, width) < _MIN_SIDE:
        return None
    if array.dtype != np.uint8:
        if array.dtype == np.bool_:
            array = array.astype(np.uint8) * 255
        elif np.issubdtype(array.dtype, np.floating):
            values = np.nan_to_num(array.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
            # Floats in [0, 1] are the usual convention; anything else is taken as 0..255.
            if values.size and float(values.max()) <= 1.0:
                values = values * 255.0
            array = np.clip(values + 0.5, 0, 255).astype(np.uint8)
        elif np.issubdtype(array.dtype, np.integer):
            array = np.clip(array, 0, 255).astype(np.uint8)
        else:
            return None
    if array.ndim == 3:
        # zxing takes 3 channels as BGR; converting here uses the right weights for RGB.
        code = cv2.COLOR_RGBA2GRAY if array.shape[2] == 4 else cv2.COLOR_RGB2GRAY
        array = cv2.cvtColor(np.ascontiguousarray(array), code)
    long_side = max(height, width)
    if long_side > MAX_LONG_SIDE:
        scale = MAX_LONG_SIDE / long_side
        size = (max(_MIN_SIDE, round(width * scale)), max(_MIN_SIDE, round(height * scale)))
        array = cv2.resize(array, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(array)


def _attempts(grey: np.ndarray) -> Iterator[Callable[[], np.ndarray]]:
    """The images to try, cheapest and most likely first; built lazily, only when needed."""
    yield lambda: grey
    # Phone photos show the card small: a QR module may be only 2-3 px wide, below what the
    # detector locks on to. Enlarging alone decoded a quarter more of our synthetic phone shots.
    yield lambda: _enlarge(grey, 2.0)
    yield lambda: _otsu(grey)
    # A sharpened enlargement rescues a few blurred small codes the plain one misses.
    yield lambda: _sharpen(_enlarge(grey, 2.0), 1.6)
    yield lambda: _sharpen(_enlarge(grey, 3.0), 2.4)


def _enlarge(grey: np.ndarray, factor: float) -> np.ndarray:
    factor = min(factor, _MAX_UPSCALED_SIDE / max(grey.shape))
    if factor <= 1.0:
        return grey
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _otsu(grey: np.ndarray) -> np.ndarray:
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


def _sharpen(grey: np.ndarray, sigma: float) -> np.ndarray:
    blurred = cv2.GaussianBlur(grey, (0, 0), sigmaX=sigma)
    return cv2.addWeighted(grey, 1.8, blurred, -0.8, 0)


def _read(grey: np.ndarray) -> list[str]:
    texts: list[str] = []
    for barcode in zxingcpp.read_barcodes(grey, formats=_QR_FORMAT):
        text = payload_text(bytes(barcode.bytes))
        if text is not None and text not in texts:
            texts.append(text)
    return texts


def payload_text(raw: bytes) -> str | None:
    """The text of a QR payload's bytes, mojibake repaired; None when it is not text.

    Card QR codes are written in byte mode without a character set declaration, so
    zxing's guess (``Barcode.text``) can be wrong; the bytes are read as UTF-8, the only
    common encoding that holds every Vietnamese letter (and what the generator writes).
    Some cards were written from text that had already been mis-decoded (UTF-8 read as
    Windows-1252), which shows as ``Nguyá»…n`` for ``Nguyễn``: that is undone here.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Mojibake that was written back out as UTF-8 is valid UTF-8 and repaired below;
        # bytes that are not UTF-8 at all (a legacy Vietnamese code page, a damaged code)
        # cannot be told apart reliably, so the payload is not trusted.
        logger.debug("QR payload is not UTF-8; ignored")
        return None
    return repair_mojibake(text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Windows-1252 or Latin-1 (``Nguyá»…n`` -> ``Nguyễn``).

    The repair is kept only when the result is strict UTF-8, which correct Vietnamese text
    (with letters such as ễ outside Windows-1252) never is; so correct text is left as it is.
    Done at most twice, for text that was mangled twice.
    """
    for _ in range(2):
        repaired = _unmangle(text)
        if repaired is None or repaired == text:
            break
        text = repaired
    return text


def _unmangle(text: str) -> str | None:
    if text.isascii():
        return None
    data = bytearray()
    for char in text:
        try:
            data += char.encode("cp1252")
        except UnicodeEncodeError:
            code = ord(char)
            if code < 0x100:  # a C1 control: what a Latin-1 decoder makes of bytes 0x80-0x9F
                data.append(code)
            else:
                return None  # a character no single-byte mis-decoding could have produced
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return None


# --- Parsing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CccdQr:
    """The chip CCCD's QR payload, field by field; None where a field is absent or invalid."""

    id_number: str
    old_id_number: str | None
    full_name: str | None
    date_of_birth: str | None  # DD/MM/YYYY
    sex: SexValue | None
    place_of_residence: str | None
    date_of_issue: str | None  # DD/MM/YYYY
    raw_fields: tuple[str, ...]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CanCuoc2024Qr:
    """What can be told for certain from a QR payload of unconfirmed layout (2024 card).

    Only values recognisable by their form are assigned; the rest stay in ``unknown_fields``.
    """

    id_number: str
    old_id_number: str | None
    full_name: str | None
    date_of_birth: str | None  # DD/MM/YYYY, the earliest date in the payload
    sex: SexValue | None
    other_dates: list[str]  # DD/MM/YYYY, later dates (issue, expiry: which is unknown)
    unknown_fields: list[str]  # non-empty fields whose meaning could not be told
    raw_fields: tuple[str, ...]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CardQr:
    """A card's decoded QR code: the text, which layout matched, and the parsed payload."""

    layout: Layout
    text: str
    payload: CccdQr | CanCuoc2024Qr

    @property
    def fields(self) -> dict[str, str]:
        """Known values under the project's field names (as in extraction results)."""
        p = self.payload
        values: dict[str, str | None] = {
            "id_number": p.id_number,
            "full_name": p.full_name,
            "date_of_birth": p.date_of_birth,
            "sex": p.sex,
        }
        if isinstance(p, CccdQr):
            values["place_of_residence"] = p.place_of_residence
            values["date_of_issue"] = p.date_of_issue
        return {key: value for key, value in values.items() if value}


_ID12 = re.compile(r"\d{12}")
_ID9 = re.compile(r"\d{9}")
_DATE8 = re.compile(r"\d{8}")
# Letters (any script's, diacritics included: Vietnamese uses precomposed letters and
# combining marks) separated by single spaces; no digits or punctuation, unlike addresses.
_NAME_LIKE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)+")


def _fields_of(text: str) -> tuple[str, ...]:
    """Fields of a ``|``-separated payload: outer whitespace and one trailing ``|`` ignored."""
    body = unicodedata.normalize("NFC", repair_mojibake(text)).strip()
    if body.endswith("|"):
        body = body[:-1]
    return tuple(part.strip() for part in body.split("|"))


def _sex(value: str) -> SexValue | None:
    """``Nam``/``Nữ`` in any case, and ``Nu`` written without its diacritic."""
    folded = unicodedata.normalize("NFC", value).strip().casefold()
    if folded == "nam":
        return "Nam"
    if folded in ("nữ", "nu"):
        return "Nữ"
    return None


def _date(value: str) -> str | None:
    """DDMMYYYY as DD/MM/YYYY, or None when it is not a real calendar date."""
    if not _DATE8.fullmatch(value):
        return None
    try:
        day = dt.date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _date_field(value: str, name: str, problems: list[str]) -> str | None:
    if not value:
        problems.append(f"{name} is empty")
        return None
    parsed = _date(value)
    if parsed is None:
        problems.append(f"{name} {value!r} is not a valid DDMMYYYY date")
    return parsed


def _check_id_digit(
    id_number: str, sex: SexValue | None, date_of_birth: str | None, problems: list[str]
) -> None:
    """The ID encodes sex and birth year (digits 4-6); a mismatch suggests a misread."""
    birth_year = int(date_of_birth[-4:]) if date_of_birth is not None else None
    check = check_id_number(id_number, birth_year=birth_year, sex=sex)
    said = {
        SEX_MISMATCH: f"ID digit 4 does not match sex {sex}",
        CENTURY_MISMATCH: f"ID digit 4 does not match birth year {birth_year}",
        BIRTH_YEAR_MISMATCH: f"ID digits 5-6 do not match birth year {birth_year}",
    }
    problems.extend(said[problem] for problem in check.problems if problem in said)


def parse_cccd_payload(text: str) -> CccdQr | None:
    """The chip CCCD's 7-field payload; None when the text is not that layout.

    Tolerated: surrounding whitespace, a trailing ``|``, 6 fields (either the issue date
    missing, or the old-ID field left out altogether: told apart by where the date of birth
    and sex sit) and more than 7 fields (extras kept in ``raw_fields``, noted). Invalid
    values become None with a note in ``problems`` rather than failing the whole payload.
    """
    try:
        return _parse_cccd(text)
    except Exception:  # defensive: a payload must never fail the caller
        logger.debug("CCCD QR payload parse failed", exc_info=True)
        return None


def _parse_cccd(text: str) -> CccdQr | None:
    fields = _fields_of(text)
    if not fields or not _ID12.fullmatch(fields[0]):
        return None
    problems: list[str] = []

    def at(index: int) -> str | None:
        return fields[index] if index < len(fields) else None

    def looks_like(index: int) -> bool:
        """Whether the date of birth is at ``index`` and sex right after it."""
        birth, sex = at(index), at(index + 1)
        return (birth is not None and bool(_DATE8.fullmatch(birth))) or (
            sex is not None and _sex(sex) is not None
        )

    if len(fields) >= 5 and looks_like(3):
        offset = 0
    elif len(fields) == 6 and looks_like(2):
        # ID|name|DOB|sex|address|issue: the old-ID field is left out rather than empty.
        offset = -1
        problems.append("6 fields without an old ID number field")
    else:
        return None

    old_id: str | None = None
    if offset == 0:
        old = fields[1]
        if _ID9.fullmatch(old):
            old_id = old
        elif old:
            problems.append(f"old ID number {old!r} is not 9 digits")

    name = fields[2 + offset] or None
    if name is None:
        problems.append("full name is empty")

    date_of_birth = _date_field(fields[3 + offset], "date of birth", problems)

    sex_text = fields[4 + offset] if 4 + offset < len(fields) else ""
    sex = _sex(sex_text)
    if sex is None:
        problems.append(f"sex {sex_text!r} is neither Nam nor Nữ")

    residence = at(5 + offset) or None
    if residence is None:
        problems.append("place of residence is missing")

    issue_text = at(6 + offset)
    if issue_text is None:
        problems.append("date of issue is missing")
        date_of_issue = None
    else:
        date_of_issue = _date_field(issue_text, "date of issue", problems)

    if len(fields) > 7 + offset:
        problems.append(f"{len(fields) - 7 - offset} extra field(s) after the date of issue")
    _check_id_digit(fields[0], sex, date_of_birth, problems)
    return CccdQr(
        id_number=fields[0],
        old_id_number=old_id,
        full_name=name,
        date_of_birth=date_of_birth,
        sex=sex,
        place_of_residence=residence,
        date_of_issue=date_of_issue,
        raw_fields=fields,
        problems=problems,
    )


def parse_can_cuoc_2024_payload(text: str) -> CanCuoc2024Qr | None:
    """The 2024 card's payload, read defensively; None when no field is a 12-digit ID.

    The layout is unconfirmed, so each value is recognised by its form, not its position:
    the 12-digit ID (the first one, if a cancelled ID also appears), a 9-digit old ID, dates
    (the earliest taken as the date of birth, since it precedes any issue or expiry date),
    the first name-like field as the full name (parents' names, if present, come after the
    holder's in every layout reported), and ``Nam``/``Nữ``. Never raises.
    """
    try:
        return _parse_can_cuoc_2024(text)
    except Exception:
        logger.debug("2024 QR payload parse failed", exc_info=True)
        return None


def _parse_can_cuoc_2024(text: str) -> CanCuoc2024Qr | None:
    fields = _fields_of(text)
    ids = [f for f in fields if _ID12.fullmatch(f)]
    if not ids:
        return None
    problems: list[str] = []
    if len(set(ids)) > 1:
        problems.append("several 12-digit numbers; the first is taken as the ID number")
    old_ids = [f for f in fields if _ID9.fullmatch(f)]
    dates: list[tuple[dt.date, str]] = []
    sexes: list[SexValue] = []
    names: list[str] = []
    unknown: list[str] = []
    for value in fields:
        if not value or _ID12.fullmatch(value) or _ID9.fullmatch(value):
            continue
        if _DATE8.fullmatch(value):
            parsed = _date(value)
            if parsed is None:
                problems.append(f"{value!r} looks like a date but is not a valid one")
                unknown.append(value)
            else:
                day, month, year = (int(part) for part in parsed.split("/"))
                dates.append((dt.date(year, month, day), parsed))
            continue
        sex = _sex(value)
        if sex is not None:
            sexes.append(sex)
        elif _NAME_LIKE.fullmatch(value):
            names.append(value)
        else:
            unknown.append(value)

    sex_value: SexValue | None = None
    if len(set(sexes)) == 1:
        sex_value = sexes[0]
    elif sexes:
        problems.append("both Nam and Nữ appear; sex unknown")
    if len(names) > 1:
        problems.append("several name-like fields; the first is taken as the full name")
        unknown.extend(names[1:])
    if len(set(old_ids)) > 1:
        problems.append("several 9-digit numbers; the first is taken as the old ID number")
    ordered = sorted(dates)
    date_of_birth = ordered[0][1] if ordered else None
    if date_of_birth is None:
        problems.append("no date found")
    return CanCuoc2024Qr(
        id_number=ids[0],
        old_id_number=old_ids[0] if old_ids else None,
        full_name=names[0] if names else None,
        date_of_birth=date_of_birth,
        sex=sex_value,
        other_dates=[shown for _, shown in ordered[1:]],
        unknown_fields=unknown,
        raw_fields=fields,
        problems=problems,
    )


def read_card_qr(
    image_rgb: np.ndarray, *, time_budget_s: float = DEFAULT_TIME_BUDGET_S
) -> CardQr | None:
    """Decode the card's QR code and parse it: the chip CCCD layout first, then the 2024
    one; None when no QR code holds a card payload. Never raises.
    """
    texts = decode_qr(image_rgb, time_budget_s=time_budget_s)
    for text in texts:
        cccd = parse_cccd_payload(text)
        if cccd is not None:
            return CardQr(layout="chip_cccd", text=text, payload=cccd)
    for text in texts:
        can_cuoc = parse_can_cuoc_2024_payload(text)
        if can_cuoc is not None:
            return CardQr(layout="can_cuoc_2024", text=text, payload=can_cuoc)
    return None
