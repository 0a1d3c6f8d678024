"""ICAO Doc 9303 machine-readable zones: find them in OCR lines, parse, check, repair.

Formats: TD1 (ID cards, 3 x 30), TD2 (2 x 36), TD3 (passports, 2 x 44) and the visas
MRV-A (2 x 44) and MRV-B (2 x 36), told apart from TD3/TD2 by the document code ``V``.

Every check digit is verified by the strict ICAO rule (weights 7, 3, 1; digits as values,
A-Z as 10-35, ``<`` as 0). A document number longer than 9 characters continues in the
optional data (TD1, TD2); some issuers (Belgium, and an old convention of one library)
compute its check digit with the ``<`` filler included: that variant is reported as a
warning and in ``lenient_valid``, never in ``valid``.

OCR repair (``repair=True``, the default) is guided by what each field may contain:

- fields that must be digits (dates and every check digit) have the letters OCR confuses
  with digits mapped to them (O/Q/D -> 0, I/L -> 1, S -> 5, B -> 8, Z -> 2, G -> 6);
- letter fields (document code, issuing state, nationality, names) the reverse;
- the alphanumeric document number is changed only when its check digit fails: the
  ambiguous characters (at most 6, so at most 2^6 variants; letters read for digits
  first, fewest changes first) are swapped with their look-alikes and the first variant
  whose check digit (and composite, where there is one) passes is taken, provided no
  other variant of the same rank passes too (then ``DOCUMENT_NUMBER_REPAIR_AMBIGUOUS`` is
  warned and nothing changed). This is a guess: a wrong variant passes one time in ten,
  so a result whose ``corrections`` name the document number deserves less trust;
- on Vietnamese cards the document number and the 12-digit ID must be digits, and the ID,
  proven by its own check digit, can restore the document number (its last 9 digits);
- optional data and personal numbers are left as read (no rule says what they hold),
  except the Vietnamese ID number in TD1 optional data (see :func:`vietnamese_id_number`).

Every field changed is named in ``MrzResult.corrections``; ``MrzResult.lines`` holds the
lines after repair. Note that G/6 and L/1 swaps leave a check digit unchanged (16 - 6 and
21 - 1 are multiples of 10): those confusions are repaired by the field rules above, never
proven by a check digit.

Vietnamese cards (chip CCCD from 2021 and Căn cước from 2024) carry a TD1 zone. What
follows is an inference from public samples, not an official rule: line 1 is ``IDVNM``,
then the document number = the last 9 digits of the 12-digit personal ID number, its check
digit, and in the optional data, positions 16-27 hold the full 12-digit ID number and
position 30 that number's check digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

FILLER = "<"

_WEIGHTS = (7, 3, 1)
_VALUES: dict[str, int] = {str(d): d for d in range(10)}
_VALUES.update({chr(ord("A") + i): 10 + i for i in range(26)})
_VALUES[FILLER] = 0

# OCR look-alikes: in a field that must hold digits, and in one that must hold letters.
TO_DIGIT: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "L": "1",
    "S": "5",
    "B": "8",
    "Z": "2",
    "G": "6",
}
TO_LETTER: dict[str, str] = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}

MAX_AMBIGUOUS_POSITIONS = 6  # the document-number search tries at most 2**6 variants

WARNING_FILLER_CHECK = "DOCUMENT_NUMBER_CHECK_WITH_FILLER"
WARNING_AMBIGUOUS_REPAIR = "DOCUMENT_NUMBER_REPAIR_AMBIGUOUS"

# Characters OCR reads for the filler "<", and stray marks it adds to a line.
_FILLER_LOOKALIKES = str.maketrans(
    {
        "«": "<<",
        "≪": "<<",
        "‹": "<",
        "(": "<",
        "[": "<",
        "{": "<",
        "〈": "<",
        "⟨": "<",
        "＜": "<",
        "‚": None,
        ".": None,
        ",": None,
        "'": None,
        "`": None,
        '"': None,
    }
)
_MRZ_CHARS = frozenset(_VALUES)
_DOCUMENT_CODES = frozenset("ACIPV")


class MrzError(ValueError):
    """The lines do not have the shape of the MRZ format asked for."""


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data``.

    Raises ValueError for an empty string or a character outside ``A-Z0-9<``
    (lowercase letters and spaces included).
    """
    if not data:
        raise ValueError("an empty field has no check digit")
    total = 0
    for index, char in enumerate(data):
        value = _VALUES.get(char)
        if value is None:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += value * _WEIGHTS[index % 3]
    return total % 10


def _digit_matches(data: str, digit: str) -> bool:
    if digit == FILLER:  # allowed for a field left empty (all filler)
        return bool(data) and set(data) == {FILLER}
    if len(digit) != 1 or not digit.isascii() or not digit.isdigit():
        return False
    try:
        return check_digit(data) == int(digit)
    except ValueError:
        return False


def normalize_line(text: str) -> str:
    """Uppercase, whitespace removed, filler look-alikes read as ``<``, stray marks dropped."""
    return "".join(text.split()).upper().translate(_FILLER_LOOKALIKES)


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class _Span:
    line: int
    start: int
    end: int

    def positions(self) -> list[tuple[int, int]]:
        return [(self.line, index) for index in range(self.start, self.end)]


@dataclass(frozen=True)
class _Layout:
    name: str
    lines: int
    width: int
    document_type: _Span
    issuing_state: _Span
    names: _Span
    document_number: _Span
    document_number_check: _Span
    nationality: _Span
    birth_date: _Span
    birth_date_check: _Span
    sex: _Span
    expiry_date: _Span
    expiry_date_check: _Span
    optional_1: _Span
    optional_2: _Span | None = None
    optional_1_check: _Span | None = None  # TD3: the personal number's check digit
    composite: _Span | None = None
    composite_data: tuple[_Span, ...] = ()
    overflow: _Span | None = None  # where a long document number continues


def _line2() -> dict[str, _Span]:
    """The line-2 fields shared by TD2, TD3 and the visas."""
    return {
        "document_number": _Span(1, 0, 9),
        "document_number_check": _Span(1, 9, 10),
        "nationality": _Span(1, 10, 13),
        "birth_date": _Span(1, 13, 19),
        "birth_date_check": _Span(1, 19, 20),
        "sex": _Span(1, 20, 21),
        "expiry_date": _Span(1, 21, 27),
        "expiry_date_check": _Span(1, 27, 28),
    }


TD1 = _Layout(
    name="TD1",
    lines=3,
    width=30,
    document_type=_Span(0, 0, 2),
    issuing_state=_Span(0, 2, 5),
    document_number=_Span(0, 5, 14),
    document_number_check=_Span(0, 14, 15),
    optional_1=_Span(0, 15, 30),
    birth_date=_Span(1, 0, 6),
    birth_date_check=_Span(1, 6, 7),
    sex=_Span(1, 7, 8),
    expiry_date=_Span(1, 8, 14),
    expiry_date_check=_Span(1, 14, 15),
    nationality=_Span(1, 15, 18),
    optional_2=_Span(1, 18, 29),
    composite=_Span(1, 29, 30),
    composite_data=(_Span(0, 5, 30), _Span(1, 0, 7), _Span(1, 8, 15), _Span(1, 18, 29)),
    names=_Span(2, 0, 30),
    overflow=_Span(0, 15, 30),
)
TD2 = _Layout(
    name="TD2",
    lines=2,
    width=36,
    document_type=_Span(0, 0, 2),
    issuing_state=_Span(0, 2, 5),
    names=_Span(0, 5, 36),
    optional_1=_Span(1, 28, 35),
    composite=_Span(1, 35, 36),
    composite_data=(_Span(1, 0, 10), _Span(1, 13, 20), _Span(1, 21, 35)),
    overflow=_Span(1, 28, 35),
    **_line2(),
)
TD3 = _Layout(
    name="TD3",
    lines=2,
    width=44,
    document_type=_Span(0, 0, 2),
    issuing_state=_Span(0, 2, 5),
    names=_Span(0, 5, 44),
    optional_1=_Span(1, 28, 42),
    optional_1_check=_Span(1, 42, 43),
    composite=_Span(1, 43, 44),
    composite_data=(_Span(1, 0, 10), _Span(1, 13, 20), _Span(1, 21, 43)),
    **_line2(),
)
MRVA = _Layout(
    name="MRVA",
    lines=2,
    width=44,
    document_type=_Span(0, 0, 2),
    issuing_state=_Span(0, 2, 5),
    names=_Span(0, 5, 44),
    optional_1=_Span(1, 28, 44),
    **_line2(),
)
MRVB = _Layout(
    name="MRVB",
    lines=2,
    width=36,
    document_type=_Span(0, 0, 2),
    issuing_state=_Span(0, 2, 5),
    names=_Span(0, 5, 36),
    optional_1=_Span(1, 28, 36),
    **_line2(),
)

# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class MrzResult:
    """A parsed MRZ. Text fields have the ``<`` filler removed (names: turned into spaces)."""

    format: str  # "TD1", "TD2", "TD3", "MRVA" or "MRVB"
    lines: list[str]  # after repair
    document_type: str  # "I", "ID", "P", "PT", "V", ...
    issuing_state: str
    document_number: str
    birth_date_raw: str  # YYMMDD as printed (after repair)
    birth_date: date | None
    sex: str | None  # "M", "F", "X" (unspecified, printed "<" or "X"); None if unreadable
    expiry_date_raw: str
    expiry_date: date | None
    nationality: str
    optional_data_1: str  # TD3: the personal number
    optional_data_2: str  # TD1 line 2 only
    surname: str
    given_names: str
    check_digits: dict[str, str]  # as printed (after repair), by field
    checks: dict[str, bool]
    valid: bool  # every check digit passes by the strict ICAO rule
    corrections: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A long document number's check digit computed with the "<" filler (None: not long).
    document_number_filler_check: bool | None = None
    # Document number + check + birth date + check + expiry + check (ICAO 9303 Part 11).
    mrz_information: str = ""

    @property
    def lenient_valid(self) -> bool:
        """Valid when a long document number may follow the filler-included convention."""
        failed = [name for name, ok in self.checks.items() if not ok]
        if not failed:
            return True
        return failed == ["document_number"] and bool(self.document_number_filler_check)


# --------------------------------------------------------------------------- parsing

_Grid = list[list[str]]


def _get(grid: _Grid, span: _Span) -> str:
    return "".join(grid[span.line][span.start : span.end])


def _map(grid: _Grid, positions: Iterable[tuple[int, int]], table: dict[str, str]) -> bool:
    changed = False
    for line, index in positions:
        char = grid[line][index]
        if char in table:
            grid[line][index] = table[char]
            changed = True
    return changed


@dataclass(frozen=True)
class _DocumentNumber:
    data: str  # what the check digit covers (strict ICAO)
    check: str
    check_position: tuple[int, int]
    positions: list[tuple[int, int]]  # the number's own characters
    filler_data: str | None  # long numbers: the data with the "<" filler kept


def _document_number(layout: _Layout, grid: _Grid) -> _DocumentNumber:
    span, check_span = layout.document_number, layout.document_number_check
    main = _get(grid, span)
    check = _get(grid, check_span)
    overflow = layout.overflow
    if check == FILLER and overflow is not None:
        region = _get(grid, overflow)
        run = region.split(FILLER, 1)[0]
        if len(run) >= 2:
            extra = run[:-1]
            return _DocumentNumber(
                data=main + extra,
                check=run[-1],
                check_position=(overflow.line, overflow.start + len(run) - 1),
                positions=span.positions()
                + [(overflow.line, overflow.start + i) for i in range(len(extra))],
                filler_data=main + FILLER + extra,
            )
    return _DocumentNumber(
        data=main,
        check=check,
        check_position=(check_span.line, check_span.start),
        positions=span.positions(),
        filler_data=None,
    )


def _composite_ok(layout: _Layout, grid: _Grid) -> bool | None:
    if layout.composite is None:
        return None
    data = "".join(_get(grid, span) for span in layout.composite_data)
    return _digit_matches(data, _get(grid, layout.composite))


def _evaluate(layout: _Layout, grid: _Grid) -> tuple[dict[str, bool], dict[str, str]]:
    number = _document_number(layout, grid)
    checks = {"document_number": _digit_matches(number.data, number.check)}
    digits = {"document_number": number.check}
    for name, data_span, check_span in (
        ("birth_date", layout.birth_date, layout.birth_date_check),
        ("expiry_date", layout.expiry_date, layout.expiry_date_check),
        ("personal_number", layout.optional_1, layout.optional_1_check),
    ):
        if check_span is None:
            continue
        digits[name] = _get(grid, check_span)
        checks[name] = _digit_matches(_get(grid, data_span), digits[name])
    composite = _composite_ok(layout, grid)
    if composite is not None and layout.composite is not None:
        checks["composite"] = composite
        digits["composite"] = _get(grid, layout.composite)
    return checks, digits


def _search_document_number(layout: _Layout, grid: _Grid) -> tuple[_Grid | None, bool]:
    """A look-alike variant of the document number that passes its check digit.

    Returns (the repaired grid or None, whether several variants passed). Variants are
    tried in groups: letters read for digits first (most document numbers are mostly
    digits), then digits read for letters; fewest changes first. The first group with a
    passing variant decides, and only if it has exactly one: a check digit is passed by
    one random variant in ten, so two passing variants mean the digit cannot tell.

    Where the format has a composite check digit the variant must pass it too; that adds
    little, since the composite data starts with the number at the same weights (a change
    in the number moves both sums alike), but it rejects readings where the fault is
    elsewhere.
    """
    number = _document_number(layout, grid)
    if layout.composite is not None and not _get(grid, layout.composite).isdigit():
        return None, False
    letters = [pos for pos in number.positions if grid[pos[0]][pos[1]] in TO_DIGIT]
    digits = [pos for pos in number.positions if grid[pos[0]][pos[1]] in TO_LETTER]
    ambiguous = (letters + digits)[:MAX_AMBIGUOUS_POSITIONS]
    subsets = [
        chosen
        for count in range(1, len(ambiguous) + 1)
        for chosen in itertools.combinations(ambiguous, count)
    ]
    subsets.sort(key=lambda chosen: (sum(pos in digits for pos in chosen), len(chosen)))
    for _, group in itertools.groupby(
        subsets, key=lambda chosen: (sum(pos in digits for pos in chosen), len(chosen))
    ):
        passing = []
        for chosen in group:
            trial = [row[:] for row in grid]
            for line, index in chosen:
                char = trial[line][index]
                trial[line][index] = TO_DIGIT.get(char) or TO_LETTER[char]
            candidate = _document_number(layout, trial)
            if not _digit_matches(candidate.data, candidate.check):
                continue
            if _composite_ok(layout, trial) is False:
                continue
            passing.append(trial)
        if len(passing) == 1:
            return passing[0], False
        if passing:
            return None, True
    return None, False


def _repair_vietnamese(layout: _Layout, grid: _Grid, corrections: list[str]) -> None:
    """IDVNM: the document number and the 12-digit ID in the optional data are digits."""
    if layout is not TD1 or _get(grid, layout.issuing_state) != "VNM":
        return
    number = _document_number(layout, grid)
    if not _digit_matches(number.data, number.check):
        trial = [row[:] for row in grid]
        if _map(trial, number.positions, TO_DIGIT):
            fixed = _document_number(layout, trial)
            if _digit_matches(fixed.data, fixed.check):
                grid[:] = trial
                corrections.append("document_number")
    id_span, id_check = _Span(0, 15, 27), _Span(0, 29, 30)
    trial = [row[:] for row in grid]
    changed = _map(trial, id_span.positions() + id_check.positions(), TO_DIGIT)
    if changed and _digit_matches(_get(trial, id_span), _get(trial, id_check)):
        grid[:] = trial
        corrections.append("optional_data_1")
    # The ID (proven by its own check digit) also gives the document number: its last 9.
    number = _document_number(layout, grid)
    id_number = _get(grid, id_span)
    if (
        number.filler_data is None
        and not _digit_matches(number.data, number.check)
        and _digit_matches(id_number, _get(grid, id_check))
        and id_number.isdigit()
        and _digit_matches(id_number[3:], number.check)
    ):
        grid[0][5:14] = list(id_number[3:])
        corrections.append("document_number")


def _repair(layout: _Layout, grid: _Grid, warnings: list[str]) -> list[str]:
    corrections: list[str] = []
    for name, spans in (
        ("document_type", [layout.document_type]),
        ("issuing_state", [layout.issuing_state]),
        ("nationality", [layout.nationality]),
        ("names", [layout.names]),
    ):
        if _map(grid, (pos for span in spans for pos in span.positions()), TO_LETTER):
            corrections.append(name)
    numeric: list[tuple[str, list[_Span | None]]] = [
        ("document_number", [layout.document_number_check]),
        ("birth_date", [layout.birth_date, layout.birth_date_check]),
        ("expiry_date", [layout.expiry_date, layout.expiry_date_check]),
        ("personal_number", [layout.optional_1_check]),
        ("composite", [layout.composite]),
    ]
    for name, maybe_spans in numeric:
        spans = [span for span in maybe_spans if span is not None]
        if _map(grid, (pos for span in spans for pos in span.positions()), TO_DIGIT):
            corrections.append(name)
    number = _document_number(layout, grid)
    if number.filler_data is not None and _map(grid, [number.check_position], TO_DIGIT):
        corrections.append("document_number")

    _repair_vietnamese(layout, grid, corrections)

    number = _document_number(layout, grid)
    strict_ok = _digit_matches(number.data, number.check)
    filler_ok = number.filler_data is not None and _digit_matches(number.filler_data, number.check)
    if not strict_ok and not filler_ok:
        variant, ambiguous = _search_document_number(layout, grid)
        if variant is not None:
            grid[:] = variant
            corrections.append("document_number")
        if ambiguous:
            warnings.append(WARNING_AMBIGUOUS_REPAIR)
    return list(dict.fromkeys(corrections))


def _birth_date(raw: str, today: date) -> date | None:
    if len(raw) != 6 or not raw.isascii() or not raw.isdigit():
        return None
    yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    year = today.year // 100 * 100 + yy
    if (year, mm, dd) > (today.year, today.month, today.day):
        year -= 100  # a birth date lies in the past
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def _expiry_date(raw: str, today: date) -> date | None:
    if len(raw) != 6 or not raw.isascii() or not raw.isdigit():
        return None
    yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    year = today.year // 100 * 100 + yy
    if year > today.year + 49:  # window: 50 years back to 49 years ahead
        year -= 100
    elif year < today.year - 50:
        year += 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def _names(raw: str) -> tuple[str, str]:
    primary, _, secondary = raw.partition(FILLER * 2)
    surname = " ".join(part for part in primary.split(FILLER) if part)
    given = " ".join(part for part in secondary.split(FILLER) if part)
    return surname, given


def _text(raw: str) -> str:
    return raw.replace(FILLER, " ").strip()


def _sex(raw: str) -> str | None:
    if raw in ("M", "F"):
        return raw
    if raw in (FILLER, "X"):
        return "X"
    return None


def _parse(layout: _Layout, lines: Sequence[str], *, repair: bool, today: date | None) -> MrzResult:
    normalized = [normalize_line(line) for line in lines]
    if len(normalized) != layout.lines or any(len(line) != layout.width for line in normalized):
        shape = [len(line) for line in normalized]
        raise MrzError(f"{layout.name} needs {layout.lines} lines of {layout.width}: got {shape}")
    grid: _Grid = [list(line) for line in normalized]
    warnings: list[str] = []
    corrections = _repair(layout, grid, warnings) if repair else []
    checks, digits = _evaluate(layout, grid)
    number = _document_number(layout, grid)
    filler_check = (
        _digit_matches(number.filler_data, number.check) if number.filler_data is not None else None
    )
    if filler_check and not checks["document_number"]:
        warnings.append(WARNING_FILLER_CHECK)
    surname, given = _names(_get(grid, layout.names))
    today = today or date.today()
    birth_raw, expiry_raw = _get(grid, layout.birth_date), _get(grid, layout.expiry_date)
    return MrzResult(
        format=layout.name,
        lines=["".join(row) for row in grid],
        document_type=_get(grid, layout.document_type).replace(FILLER, ""),
        issuing_state=_get(grid, layout.issuing_state).replace(FILLER, ""),
        document_number=number.data.rstrip(FILLER),
        birth_date_raw=birth_raw,
        birth_date=_birth_date(birth_raw, today),
        sex=_sex(_get(grid, layout.sex)),
        expiry_date_raw=expiry_raw,
        expiry_date=_expiry_date(expiry_raw, today),
        nationality=_get(grid, layout.nationality).replace(FILLER, ""),
        optional_data_1=_text(_get(grid, layout.optional_1)),
        optional_data_2=_text(_get(grid, layout.optional_2)) if layout.optional_2 else "",
        surname=surname,
        given_names=given,
        check_digits=digits,
        checks=checks,
        valid=all(checks.values()),
        corrections=corrections,
        warnings=warnings,
        document_number_filler_check=filler_check,
        mrz_information=(
            number.data
            + number.check
            + birth_raw
            + digits["birth_date"]
            + expiry_raw
            + digits["expiry_date"]
        ),
    )


def parse_td1(lines: Sequence[str], *, repair: bool = True, today: date | None = None) -> MrzResult:
    """Parse a 3 x 30 TD1 zone (ID cards). ``today`` fixes the century windows (tests)."""
    return _parse(TD1, lines, repair=repair, today=today)


def parse_td2(lines: Sequence[str], *, repair: bool = True, today: date | None = None) -> MrzResult:
    """Parse a 2 x 36 zone: TD2, or an MRV-B visa when the document code starts with V."""
    layout = MRVB if lines and normalize_line(lines[0])[:1] == "V" else TD2
    return _parse(layout, lines, repair=repair, today=today)


def parse_td3(lines: Sequence[str], *, repair: bool = True, today: date | None = None) -> MrzResult:
    """Parse a 2 x 44 zone: TD3 (passports), or an MRV-A visa when the code starts with V."""
    layout = MRVA if lines and normalize_line(lines[0])[:1] == "V" else TD3
    return _parse(layout, lines, repair=repair, today=today)


def parse_mrz(lines: Sequence[str], *, repair: bool = True, today: date | None = None) -> MrzResult:
    """Parse a zone of any supported format, chosen by the number and length of its lines."""
    normalized = [normalize_line(line) for line in lines]
    widths = {len(line) for line in normalized}
    if len(normalized) == 3 and widths == {30}:
        return parse_td1(normalized, repair=repair, today=today)
    if len(normalized) == 2 and widths == {44}:
        return parse_td3(normalized, repair=repair, today=today)
    if len(normalized) == 2 and widths == {36}:
        return parse_td2(normalized, repair=repair, today=today)
    raise MrzError(f"not a TD1, TD2 or TD3 shape: {[len(line) for line in normalized]}")


# --------------------------------------------------------------------------- finding

_FORMATS: tuple[tuple[int, int], ...] = ((3, 30), (2, 44), (2, 36))
_MAX_CANDIDATES = 8  # lines per format tried in every order (8 P 3 = 336 parses at most)


def _fit(line: str, width: int) -> tuple[str, bool] | None:
    """The line at ``width`` and whether it had to be padded or trimmed."""
    size = len(line)
    if size == width:
        return line, False
    if size > width:
        tail = line[width:]
        if (size - width <= 2 and set(tail) == {FILLER}) or line[width - 2 : width] == "<<":
            return line[:width], True  # extra filler, or junk glued after the filler run
        return None
    if width - size <= 2:
        return line + FILLER * (width - size), True
    return None


def _score(result: MrzResult, adjusted: int, consecutive: bool) -> tuple[float, ...]:
    passed = sum(result.checks.values())
    return (
        float(result.valid),
        float(result.lenient_valid),
        passed / len(result.checks),
        -adjusted,
        float(consecutive),
        -len(result.corrections),
    )


def _plausible(result: MrzResult, adjusted: int) -> bool:
    if adjusted and not result.valid:
        return False  # padding or trimming is accepted only when every check then passes
    return sum(result.checks.values()) >= 2 and result.lines[0][:1] in _DOCUMENT_CODES


def _split(lines: Iterable[str]) -> list[str]:
    out = []
    for text in lines:
        for piece in text.splitlines():
            line = normalize_line(piece)
            if line:
                out.append(line)
    return out


def _find(lines: Iterable[str], today: date | None) -> tuple[list[str], MrzResult] | None:
    normalized = _split(lines)
    best: tuple[tuple[float, ...], list[str], MrzResult] | None = None

    def consider(chosen: Sequence[int], count: int, width: int, consecutive: bool) -> None:
        nonlocal best
        fitted = [_fit(normalized[i], width) for i in chosen]
        if any(fit is None or not set(fit[0]) <= _MRZ_CHARS for fit in fitted):
            return
        zone = [fit[0] for fit in fitted if fit is not None]
        adjusted = sum(fit[1] for fit in fitted if fit is not None)
        try:
            result = parse_mrz(zone, today=today)
        except MrzError:
            return
        if not _plausible(result, adjusted):
            return
        score = _score(result, adjusted, consecutive)
        if best is None or score > best[0]:
            best = (score, zone, result)

    for count, width in _FORMATS:
        for start in range(len(normalized) - count + 1):
            consider(range(start, start + count), count, width, consecutive=True)
    if best is not None and best[2].valid:
        return best[1], best[2]
    # OCR may return the lines in any order: try every order of the likely lines.
    for count, width in _FORMATS:
        candidates = [i for i, line in enumerate(normalized) if _fit(line, width) is not None]
        candidates = sorted(candidates, key=lambda i: -normalized[i].count(FILLER))
        candidates = sorted(candidates[:_MAX_CANDIDATES])
        for chosen in itertools.permutations(candidates, count):
            if list(chosen) == list(range(chosen[0], chosen[0] + count)):
                continue  # already tried as a consecutive run
            consider(chosen, count, width, consecutive=False)
    return (best[1], best[2]) if best is not None else None


def find_mrz(lines: list[str], *, today: date | None = None) -> list[str] | None:
    """The MRZ lines (normalized, not repaired) among OCR text lines, or None.

    Looks for 3 TD1 lines of 30 characters, or 2 lines of 44 (TD3, MRV-A) or 36 (TD2,
    MRV-B), consecutive lines first, then in any order. A line 1-2 characters short or
    long (with ``<`` at the end) is padded/trimmed, and junk glued after a filler run is
    cut, only when every check digit then passes. Elements may hold several lines.
    """
    found = _find(lines, today)
    return found[0] if found is not None else None


def read_mrz(lines: list[str], *, today: date | None = None) -> MrzResult | None:
    """:func:`find_mrz` then parse with repair: the best MRZ reading in OCR lines, or None."""
    found = _find(lines, today)
    return found[1] if found is not None else None


# --------------------------------------------------------------------------- Vietnam


def vietnamese_id_number(result: MrzResult) -> str | None:
    """The 12-digit personal ID number carried by a Vietnamese TD1 zone, or None.

    Inference from public samples (not an official rule): positions 16-27 of line 1 hold
    the 12-digit ID and position 30 its check digit, and the document number is the ID's
    last 9 digits. The ID is returned when its own check digit passes, or when the
    document number (with a passing check digit) equals its last 9 digits.
    """
    if result.format != "TD1" or "VNM" not in (result.issuing_state, result.nationality):
        return None
    line = result.lines[0]
    candidate, digit = line[15:27], line[29]
    if not (candidate.isascii() and candidate.isdigit()):
        return None
    if _digit_matches(candidate, digit):
        return candidate
    if result.checks.get("document_number") and result.document_number == candidate[3:]:
        return candidate
    return None
