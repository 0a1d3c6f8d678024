"""Card layouts: each kind draws its labels and values where the real card prints them.

Kinds are named ``<card type>_<side>``. One seed gives one holder on both sides of a card
type, so a front and a back rendered with the same seed belong together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from id_card_scan.synth import backs, codes, data
from id_card_scan.synth.draw import (
    paste_band,
    paste_emblem,
    paste_photo,
    paste_qr,
    paste_seal_ring,
)
from id_card_scan.synth.rng import make_rng, uniform
from id_card_scan.synth.textures import wear
from id_card_scan.synth.types import SyntheticCard
from id_card_scan.synth.writer import (
    CARD_WIDTH,
    RIGHT,
    Row,
    Side,
    Style,
    make_style,
    start,
    typed_style,
)

CARD_TYPES: tuple[str, ...] = ("chip_cccd", "can_cuoc_2024", "cccd_2016", "cmnd_12", "cmnd_9")

# The four fronts come first, as before the backs were added.
CARD_KINDS: tuple[str, ...] = (
    "chip_cccd_front",
    "can_cuoc_2024_front",
    "cccd_2016_front",
    "cmnd_9_front",
    "cmnd_12_front",
    "chip_cccd_back",
    "can_cuoc_2024_back",
    "cccd_2016_back",
    "cmnd_9_back",
    "cmnd_12_back",
)

_ISSUE_RULES = {
    "chip_cccd": data.IssueRules(dt.date(2021, 3, 1), dt.date(2024, 6, 30), min_age=14),
    # Luật Căn cước 2023 adds a renewal at 14 for the cards of children from 6.
    "can_cuoc_2024": data.IssueRules(
        dt.date(2024, 7, 1), dt.date(2025, 6, 30), min_age=6, renewal_ages=(14, 25, 40, 60)
    ),
    "cccd_2016": data.IssueRules(dt.date(2016, 1, 1), dt.date(2021, 6, 30), min_age=14),
    "cmnd_12": data.IssueRules(dt.date(2012, 7, 1), dt.date(2016, 6, 30), min_age=14),
    "cmnd_9": data.IssueRules(
        dt.date(1995, 1, 1), dt.date(2015, 12, 31), min_age=14, oldest_birth_year=1930
    ),
}


def _dark_number(rng: np.random.Generator, style: Style) -> Style:
    """The chip card and the 2024 card print the ID number in black, not red."""
    dark = int(rng.integers(0, 30))
    return replace(style, id_color=(dark, dark, dark + 4))


def _chip_cccd_front(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    style = _dark_number(rng, style)
    canvas, w, dx, dy = start(rng, style, "chip_cccd_front")
    paste_emblem(canvas.image, (98 + dx, 92 + dy), 62)
    payload = codes.chip_cccd_qr(person)
    # About 15 mm square, as printed; at least 3 px per module survives a photo.
    paste_qr(canvas.image, payload, (CARD_WIDTH - 186 + dx, 18 + dy, 166))

    cx, span = 500 + dx, 600
    w.national_header(cx, 44 + dy, 28, span)
    english = style.header_cap * 0.92
    w.centered(cx, 103 + dy, "SOCIALIST REPUBLIC OF VIET NAM", english, bold=False, max_width=span)
    w.centered(
        cx, 127 + dy, "Independence - Freedom - Happiness", english, bold=False, max_width=span
    )
    # Centred between the photo column and the QR code, and kept clear of both.
    tx, title_span = 545 + dx, 2 * (CARD_WIDTH - 195 - 545)
    title_cap = uniform(rng, 24, 27)
    w.centered(
        tx, 172 + dy, "CĂN CƯỚC CÔNG DÂN", title_cap, color=style.title_color, max_width=title_span
    )
    w.centered(tx, 198 + dy, "Citizen Identity Card", style.label_cap, bold=False, max_width=480)

    photo = (40 + dx, 214 + dy, 232 + dx, 466 + dy)
    paste_photo(canvas.image, photo, rng, male=person.male)
    expiry = ((0, "Có giá trị đến:"), (26, "Date of expiry"))
    value = (62, person.date_of_expiry)
    w.stacked(
        photo[0],
        photo[3] + 34,
        expiry,
        value,
        "date_of_expiry",
        label_width=226,
        right=photo[2] + 20,
    )

    step = w.row_step
    rows = [
        Row("Số / No.:", "id_number", person.id_number, "id", advance=round(style.id_cap * 1.3)),
        Row("Họ và tên / Full name:", "full_name", person.full_name, "name", below=w.name_gap,
            advance=step + 4),
        Row("Ngày sinh / Date of birth:", "date_of_birth", data.format_date(person.birth)),
        Row("Giới tính / Sex:", "sex", person.sex,
            beside=(300, Row("Quốc tịch / Nationality:", "nationality", data.NATIONALITY))),
        Row("Quê quán / Place of origin:", "place_of_origin", person.place_of_origin, wraps=True),
        Row("Nơi thường trú / Place of residence:", "place_of_residence",
            person.place_of_residence, wraps=True),
    ]  # fmt: skip
    w.rows(265 + dx, 248 + dy, rows, step=step)
    return Side(canvas, qr_payload=payload)


def _can_cuoc_2024_front(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    style = _dark_number(rng, style)
    canvas, w, dx, dy = start(rng, style, "can_cuoc_2024_front")
    paste_emblem(canvas.image, (100 + dx, 98 + dy), 66)
    cx = 570 + dx
    w.national_header(cx, 52 + dy, 32, 700)
    title_cap = uniform(rng, 30, 34)
    w.centered(cx, 148 + dy, "CĂN CƯỚC", title_cap, color=style.title_color, max_width=600)
    w.centered(cx, 180 + dy, "IDENTITY CARD", style.label_cap * 1.05, max_width=600)

    paste_photo(canvas.image, (40 + dx, 212 + dy, 236 + dx, 470 + dy), rng, male=person.male)
    step = w.row_step
    rows = [
        Row("Số định danh cá nhân / Personal identification number:", "id_number",
            person.id_number, "id", below=round(style.id_cap * 1.45), advance=step + 4),
        Row("Họ, chữ đệm và tên khai sinh / Full name:", "full_name", person.full_name, "name",
            below=w.name_gap, advance=step + 6),
        Row("Ngày, tháng, năm sinh / Date of birth:", "date_of_birth",
            data.format_date(person.birth)),
        Row("Giới tính / Sex:", "sex", person.sex,
            beside=(300, Row("Quốc tịch / Nationality:", "nationality", data.NATIONALITY))),
    ]  # fmt: skip
    w.rows(265 + dx, 236 + dy, rows, step=step)
    return Side(canvas)


def _cccd_2016_front(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    canvas, w, dx, dy = start(rng, style, "cccd_2016_front")
    paste_emblem(canvas.image, (100 + dx, 98 + dy), 66)
    cx = 575 + dx
    w.national_header(cx, 54 + dy, 32, 700)
    title_cap = uniform(rng, 26, 29)
    w.centered(cx, 146 + dy, "CĂN CƯỚC CÔNG DÂN", title_cap, color=style.title_color, max_width=700)
    w.row(400 + dx, 200 + dy, Row("Số:", "id_number", person.id_number, "id"))

    photo = (40 + dx, 200 + dy, 232 + dx, 452 + dy)
    paste_photo(canvas.image, photo, rng, male=person.male)
    expiry = ((0, "Có giá trị đến:"),)
    value = (36, person.date_of_expiry)
    w.stacked(
        photo[0],
        photo[3] + 36,
        expiry,
        value,
        "date_of_expiry",
        label_width=226,
        right=photo[2] + 20,
    )

    step = w.row_step + 2
    rows = [
        Row("Họ và tên:", "full_name", person.full_name, "name", advance=step + 4),
        Row("Ngày, tháng, năm sinh:", "date_of_birth", data.format_date(person.birth)),
        Row("Giới tính:", "sex", person.sex,
            beside=(260, Row("Quốc tịch:", "nationality", data.NATIONALITY))),
        Row("Quê quán:", "place_of_origin", person.place_of_origin, wraps=True),
        Row("Nơi thường trú:", "place_of_residence", person.place_of_residence, wraps=True),
    ]  # fmt: skip
    w.rows(265 + dx, 256 + dy, rows, step=step)
    return Side(canvas)


def _cmnd_front(
    rng: np.random.Generator,
    person: data.Person,
    style: Style,
    title: str,
    number: str,
    rows: list[Row],
    *,
    old: bool,
) -> Side:
    """Both CMND generations: emblem left, title and number right, the photo under the
    emblem. The old card (``old``) prints its number in red on a pink band, has its values
    typed on dotted writing lines and its photo, an old print, sealed at a corner."""
    canvas, w, dx, dy = start(rng, style, "cmnd_9_front" if old else "cmnd_12_front")
    paste_emblem(canvas.image, (128 + dx, 122 + dy), 86)
    cx = 610 + dx
    w.national_header(cx, 50 + dy, 32, 640)
    title_cap = uniform(rng, 24, 27)
    w.centered(cx, 142 + dy, title, title_cap, color=style.title_color)
    nx, ny = 450 + dx, 196 + dy
    if old:
        top = round(ny - style.id_cap * 1.35)
        paste_band(
            canvas.image,
            (nx - 16, top, RIGHT - 60, round(ny + style.id_cap * 0.4)),
            (238, 168, 182),
            rng,
        )
        vx = w.label(nx, ny, "Số", "id_number", color=style.id_color)
        # The numbering machine's digits: a bold serif, spaced out.
        w.value(
            vx,
            ny,
            number,
            "id_number",
            cap=style.id_cap,
            color=style.id_color,
            emphasis="id",
            tracking=round(style.id_cap * 0.12),
            path=style.header_family.bold,
        )
    else:
        w.row(nx, ny, Row("Số", "id_number", number, "id"))

    photo = (44 + dx, 250 + dy, 220 + dx, 480 + dy)
    paste_photo(canvas.image, photo, rng, male=person.male, faded=old)
    if old:
        paste_seal_ring(canvas.image, (photo[2] - 30, photo[3] - 30), 34)
    step = max(w.row_step, w.wrap_step) + 2
    rule = (110, 120, 120) if old else None
    w.rows(255 + dx, 256 + dy, rows, step=step, wrap_step=step, rule=rule)
    return Side(canvas)


def _cmnd_9_front(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    # Typed in 1999-2015 as the typewriter wrote dates: 05-03-1980.
    birth = data.format_date(person.birth).replace("/", "-")
    rows = [
        Row("Họ tên:", "full_name", person.full_name, "name"),
        Row("Sinh ngày:", "date_of_birth", birth),
        Row("Nguyên quán:", "place_of_origin", person.place_of_origin, wraps=True),
        Row("Nơi ĐKHK thường trú:", "place_of_residence", person.place_of_residence, wraps=True),
    ]
    magenta = rng.random() < 0.35
    red = (
        int(rng.integers(185, 215)),
        int(rng.integers(20, 50)),
        int(rng.integers(100, 140)) if magenta else int(rng.integers(30, 60)),
    )
    style = replace(typed_style(rng, style), id_color=red)
    title = "GIẤY CHỨNG MINH NHÂN DÂN"
    return _cmnd_front(rng, person, style, title, person.cmnd_number, rows, old=True)


def _cmnd_12_front(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    # The 12-digit CMND (2012-2016) names its rows as the later CCCD does, with the
    # ethnicity beside the sex; the layout is otherwise the older card's.
    rows = [
        Row("Họ và tên:", "full_name", person.full_name, "name"),
        Row("Ngày, tháng, năm sinh:", "date_of_birth", data.format_date(person.birth)),
        Row("Giới tính:", "sex", person.sex,
            beside=(250, Row("Dân tộc:", "ethnicity", person.ethnicity))),
        Row("Quê quán:", "place_of_origin", person.place_of_origin, wraps=True),
        Row("Nơi thường trú:", "place_of_residence", person.place_of_residence, wraps=True),
    ]  # fmt: skip
    title = "CHỨNG MINH NHÂN DÂN"
    return _cmnd_front(rng, person, style, title, person.id_number, rows, old=False)


_Layout = Callable[[np.random.Generator, data.Person, Style], Side]
_LAYOUTS: dict[str, _Layout] = {
    "chip_cccd_front": _chip_cccd_front,
    "can_cuoc_2024_front": _can_cuoc_2024_front,
    "cccd_2016_front": _cccd_2016_front,
    "cmnd_9_front": _cmnd_9_front,
    "cmnd_12_front": _cmnd_12_front,
    "chip_cccd_back": backs.chip_cccd_back,
    "can_cuoc_2024_back": backs.can_cuoc_2024_back,
    "cccd_2016_back": backs.cccd_2016_back,
    "cmnd_9_back": backs.cmnd_9_back,
    "cmnd_12_back": backs.cmnd_12_back,
}

_PERSONAL = (
    "id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
    "place_of_residence",
)  # fmt: skip
_ISSUED = ("personal_identification", "date_of_issue", "place_of_issue")
# What each side prints, in the order it prints it.
FIELDS: dict[str, tuple[str, ...]] = {
    "chip_cccd_front": (*_PERSONAL, "date_of_expiry"),
    "can_cuoc_2024_front": ("id_number", "full_name", "date_of_birth", "sex", "nationality"),
    "cccd_2016_front": (*_PERSONAL, "date_of_expiry"),
    # The old card prints neither sex nor nationality on the front.
    "cmnd_9_front": (
        "id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence",
    ),
    "cmnd_12_front": (
        "id_number", "full_name", "date_of_birth", "sex", "ethnicity", "place_of_origin",
        "place_of_residence",
    ),
    "chip_cccd_back": _ISSUED,
    "can_cuoc_2024_back": (
        "place_of_residence", "place_of_birth_registration", "date_of_issue", "date_of_expiry",
        "place_of_issue",
    ),
    "cccd_2016_back": _ISSUED,
    "cmnd_9_back": ("ethnicity", "religion", *_ISSUED),
    "cmnd_12_back": ("religion", *_ISSUED),
}  # fmt: skip


def _fields(kind: str, person: data.Person) -> dict[str, str]:
    every = {
        "id_number": person.cmnd_number if kind == "cmnd_9_front" else person.id_number,
        "full_name": person.full_name,
        "date_of_birth": data.format_date(person.birth),
        "sex": person.sex,
        "nationality": data.NATIONALITY,
        "place_of_origin": person.place_of_origin,
        "place_of_residence": person.place_of_residence,
        "date_of_expiry": person.date_of_expiry,
        "date_of_issue": data.format_date(person.issue),
        "place_of_issue": backs.place_of_issue(kind, person),
        "ethnicity": person.ethnicity,
        "religion": person.religion,
        "personal_identification": person.personal_identification,
        # Registered where the holder was born, which is the province the ID number names.
        "place_of_birth_registration": person.place_of_origin,
    }
    return {key: every[key] for key in FIELDS[kind]}


# How worn each generation's cards are when photographed, from new to years in a wallet:
# the old CMND's laminate yellows and scratches, the chip cards are mostly recent.
_WEAR: dict[str, tuple[float, float]] = {
    "chip_cccd": (0.0, 0.2),
    "can_cuoc_2024": (0.0, 0.15),
    "cccd_2016": (0.1, 0.4),
    "cmnd_12": (0.2, 0.6),
    "cmnd_9": (0.5, 1.0),
}


def card_type(kind: str) -> str:
    """``chip_cccd`` for ``chip_cccd_back``: the card generation a kind belongs to."""
    return kind.rsplit("_", 1)[0]


def render_card(seed: int, kind: str = "chip_cccd_front") -> SyntheticCard:
    """Render the card ``kind`` for an invented holder; the same arguments give the same bytes."""
    if kind not in _LAYOUTS:
        raise ValueError(f"unknown card kind {kind!r}; expected one of {', '.join(CARD_KINDS)}")
    generation = card_type(kind)
    # The holder is drawn under the front's name, so both sides show the same person (and
    # fronts are what they were before backs existed).
    front = f"{generation}_front"
    person = data.person(make_rng(seed, front, "person"), _ISSUE_RULES[generation])
    if generation == "cmnd_9" and not person.cmnd_number:
        # Everyone who holds this card has a number; the empty value is for the QR field.
        person = _with_cmnd(person, make_rng(seed, front, "cmnd"))
    layout_rng = make_rng(seed, kind, "layout")
    style = make_style(layout_rng)
    side = _LAYOUTS[kind](layout_rng, person, style)
    low, high = _WEAR[generation]
    finish = make_rng(seed, kind, "finish")
    image = wear(side.canvas.image, finish, uniform(finish, low, high))
    return SyntheticCard(
        image=image,
        lines=side.canvas.lines,
        fields=_fields(kind, person),
        kind=kind,
        qr_payload=side.qr_payload,
        mrz=side.mrz,
    )


def _with_cmnd(person: data.Person, rng: np.random.Generator) -> data.Person:
    number = f"{int(rng.integers(1, 39)):02d}{int(rng.integers(0, 10_000_000)):07d}"
    return replace(person, cmnd_number=number)
