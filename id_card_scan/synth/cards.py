"""Card layouts: each kind draws its labels and values where the real card prints them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageFont

from id_card_scan.synth import data
from id_card_scan.synth.draw import (
    Canvas,
    Color,
    dotted_rule,
    guilloche,
    paste_emblem,
    paste_photo,
    paste_qr,
    text_width,
    underline,
)
from id_card_scan.synth.fonts import FontCache, FontFamily, font_pool
from id_card_scan.synth.rng import choice, make_rng, uniform
from id_card_scan.synth.types import SyntheticCard

# ID-1 is 85.60 x 53.98 mm.
CARD_WIDTH = 1000
CARD_HEIGHT = round(CARD_WIDTH * 53.98 / 85.60)
_RIGHT = CARD_WIDTH - 28  # right margin of the text column

CARD_KINDS: tuple[str, ...] = (
    "chip_cccd_front",
    "can_cuoc_2024_front",
    "cccd_2016_front",
    "cmnd_9_front",
)

_ISSUE_RULES = {
    "chip_cccd_front": data.IssueRules(dt.date(2021, 3, 1), dt.date(2024, 6, 30), min_age=14),
    "can_cuoc_2024_front": data.IssueRules(dt.date(2024, 7, 1), dt.date(2025, 6, 30), min_age=6),
    "cccd_2016_front": data.IssueRules(dt.date(2016, 1, 1), dt.date(2021, 6, 30), min_age=14),
    "cmnd_9_front": data.IssueRules(
        dt.date(1995, 1, 1), dt.date(2015, 12, 31), min_age=14, oldest_birth_year=1930
    ),
}


@dataclass(frozen=True)
class _Style:
    family: FontFamily
    label_cap: float
    value_cap: float
    name_cap: float
    id_cap: float
    header_cap: float
    label_color: Color
    value_color: Color
    id_color: Color
    title_color: Color


def _style(rng: np.random.Generator) -> _Style:
    grey = int(rng.integers(20, 55))
    dark = int(rng.integers(0, 25))
    return _Style(
        family=choice(rng, font_pool()),
        label_cap=uniform(rng, 15, 17),
        value_cap=uniform(rng, 18, 21),
        name_cap=uniform(rng, 21, 24),
        id_cap=uniform(rng, 28, 32),
        header_cap=uniform(rng, 15, 16.5),
        label_color=(grey, grey, grey + 5),
        value_color=(dark, dark, dark),
        id_color=(
            int(rng.integers(175, 215)),
            int(rng.integers(15, 40)),
            int(rng.integers(25, 50)),
        ),
        title_color=(
            int(rng.integers(180, 215)),
            int(rng.integers(20, 40)),
            int(rng.integers(25, 45)),
        ),
    )


class _Writer:
    """Places labels and values on a canvas with the card's style, fitting them to width."""

    def __init__(self, canvas: Canvas, style: _Style) -> None:
        self.canvas = canvas
        self.style = style
        self.fonts = FontCache()

    # Baseline-to-baseline distances. Capitals with stacked accents (Ễ, Ẫ) reach about 1.45
    # cap heights above the baseline and descenders 0.3 below; these keep rows apart.
    @property
    def row_step(self) -> int:
        return round(max(self.style.label_cap * 2.2, self.style.value_cap * 1.85))

    @property
    def wrap_step(self) -> int:
        return round(self.style.value_cap * 1.85)

    @property
    def name_gap(self) -> int:
        """From a label's baseline to the baseline of a name printed under it."""
        return round(self.style.name_cap * 1.5 + self.style.label_cap * 0.35 + 3)

    def font(self, cap: float, *, bold: bool) -> ImageFont.FreeTypeFont:
        family = self.style.family
        return self.fonts.by_cap(family.bold if bold else family.regular, cap)

    def fitted(
        self, text: str, cap: float, max_width: float, *, bold: bool
    ) -> ImageFont.FreeTypeFont:
        """The font at ``cap``, shrunk until ``text`` fits ``max_width``."""
        font = self.font(cap, bold=bold)
        while text_width(font, text) > max_width and cap > 6:
            cap -= 0.5
            font = self.font(cap, bold=bold)
        return font

    def label(
        self, x: int, y: int, text: str, field: str | None, *, max_width: float | None = None
    ) -> int:
        """Draw a label at baseline ``y``; returns where a value on the same line may start."""
        limit = max_width if max_width is not None else _RIGHT - x
        font = self.fitted(text, self.style.label_cap, limit, bold=False)
        self.canvas.text((x, y), text, font, self.style.label_color, is_label=True, field=field)
        return round(x + text_width(font, text) + 0.5 * self.style.label_cap)

    def value(
        self,
        x: int,
        y: int,
        text: str,
        field: str,
        *,
        cap: float | None = None,
        color: Color | None = None,
        right: int = _RIGHT,
    ) -> tuple[int, int, int, int]:
        font = self.fitted(text, cap or self.style.value_cap, right - x, bold=True)
        return self.canvas.text(
            (x, y), text, font, color or self.style.value_color, is_label=False, field=field
        )

    def centered(
        self,
        cx: int,
        y: int,
        text: str,
        cap: float,
        *,
        color: Color | None = None,
        bold: bool = True,
        max_width: float = 640,
    ) -> tuple[int, int, int, int]:
        """A heading centred on ``cx`` at baseline ``y``."""
        font = self.fitted(text, cap, max_width, bold=bold)
        fill = color or self.style.value_color
        return self.canvas.text((cx, y), text, font, fill, is_label=False, anchor="ms")

    def national_header(self, cx: int, y: int, gap: int, span: int) -> None:
        """The state name and the motto, underlined, as every card opens."""
        cap = self.style.header_cap
        self.centered(cx, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", cap, max_width=span)
        motto = self.centered(cx, y + gap, "Độc lập - Tự do - Hạnh phúc", cap, max_width=span)
        underline(self.canvas, motto, self.style.value_color)

    def wrapped(self, x_first: int, x_next: int, y: int, step: int, text: str, field: str) -> int:
        """A value that continues on the next line if needed; returns the last baseline used."""
        pieces = [p + "," for p in text.split(", ")]
        pieces[-1] = pieces[-1][:-1]
        font = self.font(self.style.value_cap, bold=True)
        fits = 0
        while (
            fits < len(pieces)
            and text_width(font, " ".join(pieces[: fits + 1])) <= _RIGHT - x_first
        ):
            fits += 1
        if fits == len(pieces):
            self.value(x_first, y, text, field)
            return y
        if fits > 0:
            self.value(x_first, y, " ".join(pieces[:fits]), field)
            y += step
            self.value(x_next, y, " ".join(pieces[fits:]), field)
            return y
        # Not even the first piece fits beside the label: the value starts on the next line.
        rest = pieces
        full = _RIGHT - x_next
        fits = 1
        while fits < len(rest) and text_width(font, " ".join(rest[: fits + 1])) <= full:
            fits += 1
        y += step
        self.value(x_next, y, " ".join(rest[:fits]), field)
        if fits < len(rest):
            y += step
            self.value(x_next, y, " ".join(rest[fits:]), field)
        return y


def _background(rng: np.random.Generator, base: Color, ink: Color) -> Image.Image:
    jitter = rng.integers(-4, 5, size=3)
    tinted = tuple(int(np.clip(c + j, 0, 255)) for c, j in zip(base, jitter, strict=True))
    return guilloche((CARD_WIDTH, CARD_HEIGHT), rng, tinted, ink, strength=uniform(rng, 0.3, 0.45))


def _qr_payload(person: data.Person) -> str:
    birth = person.birth.strftime("%d%m%Y")
    issue = person.issue.strftime("%d%m%Y")
    return "|".join(
        (
            person.id_number,
            person.cmnd_number,
            person.name_as_written,
            birth,
            person.sex,
            person.place_of_residence,
            issue,
        )
    )


def _chip_cccd_front(
    rng: np.random.Generator, person: data.Person, style: _Style
) -> tuple[Canvas, str]:
    canvas = Canvas(_background(rng, (231, 243, 238), (140, 190, 185)))
    w = _Writer(canvas, style)
    dx, dy = int(rng.integers(-4, 5)), int(rng.integers(-4, 5))
    paste_emblem(canvas.image, (98 + dx, 92 + dy), 62)
    payload = _qr_payload(person)
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
    paste_photo(canvas.image, photo, rng)
    left = photo[0]
    ey = photo[3] + 34
    w.label(left, ey, "Có giá trị đến:", "date_of_expiry", max_width=226)
    w.label(left, ey + 26, "Date of expiry", "date_of_expiry", max_width=226)
    w.value(left, ey + 62, person.date_of_expiry, "date_of_expiry", right=photo[2] + 20)

    x = 265 + dx
    step = w.row_step
    y = 248 + dy
    vx = w.label(x, y, "Số / No.:", "id_number")
    w.value(vx, y, person.id_number, "id_number", cap=style.id_cap, color=style.id_color)
    y += round(style.id_cap * 1.3)
    w.label(x, y, "Họ và tên / Full name:", "full_name")
    y += w.name_gap
    w.value(x, y, person.full_name, "full_name", cap=style.name_cap)
    y += step + 4
    vx = w.label(x, y, "Ngày sinh / Date of birth:", "date_of_birth")
    w.value(vx, y, data.format_date(person.birth), "date_of_birth")
    y += step
    vx = w.label(x, y, "Giới tính / Sex:", "sex")
    w.value(vx, y, person.sex, "sex")
    nx = x + 300
    vx = w.label(nx, y, "Quốc tịch / Nationality:", "nationality")
    w.value(vx, y, data.NATIONALITY, "nationality")
    y += step
    vx = w.label(x, y, "Quê quán / Place of origin:", "place_of_origin")
    y = w.wrapped(vx, x, y, w.wrap_step, person.place_of_origin, "place_of_origin")
    y += step
    vx = w.label(x, y, "Nơi thường trú / Place of residence:", "place_of_residence")
    w.wrapped(vx, x, y, w.wrap_step, person.place_of_residence, "place_of_residence")
    return canvas, payload


def _can_cuoc_2024_front(
    rng: np.random.Generator, person: data.Person, style: _Style
) -> tuple[Canvas, None]:
    canvas = Canvas(_background(rng, (246, 236, 228), (215, 165, 150)))
    w = _Writer(canvas, style)
    dx, dy = int(rng.integers(-4, 5)), int(rng.integers(-4, 5))
    paste_emblem(canvas.image, (100 + dx, 98 + dy), 66)
    cx = 570 + dx
    w.national_header(cx, 52 + dy, 32, 700)
    title_cap = uniform(rng, 30, 34)
    w.centered(cx, 148 + dy, "CĂN CƯỚC", title_cap, color=style.title_color, max_width=600)
    w.centered(cx, 180 + dy, "IDENTITY CARD", style.label_cap * 1.05, max_width=600)

    paste_photo(canvas.image, (40 + dx, 212 + dy, 236 + dx, 470 + dy), rng)
    x = 265 + dx
    step = w.row_step
    y = 236 + dy
    w.label(x, y, "Số định danh cá nhân / Personal identification number:", "id_number")
    y += round(style.id_cap * 1.45)
    w.value(x, y, person.id_number, "id_number", cap=style.id_cap, color=style.id_color)
    y += step + 4
    w.label(x, y, "Họ, chữ đệm và tên khai sinh / Full name:", "full_name")
    y += w.name_gap
    w.value(x, y, person.full_name, "full_name", cap=style.name_cap)
    y += step + 6
    vx = w.label(x, y, "Ngày, tháng, năm sinh / Date of birth:", "date_of_birth")
    w.value(vx, y, data.format_date(person.birth), "date_of_birth")
    y += step
    vx = w.label(x, y, "Giới tính / Sex:", "sex")
    w.value(vx, y, person.sex, "sex")
    nx = x + 300
    vx = w.label(nx, y, "Quốc tịch / Nationality:", "nationality")
    w.value(vx, y, data.NATIONALITY, "nationality")
    return canvas, None


def _cccd_2016_front(
    rng: np.random.Generator, person: data.Person, style: _Style
) -> tuple[Canvas, None]:
    canvas = Canvas(_background(rng, (230, 240, 248), (150, 185, 220)))
    w = _Writer(canvas, style)
    dx, dy = int(rng.integers(-4, 5)), int(rng.integers(-4, 5))
    paste_emblem(canvas.image, (100 + dx, 98 + dy), 66)
    cx = 575 + dx
    w.national_header(cx, 54 + dy, 32, 700)
    title_cap = uniform(rng, 26, 29)
    w.centered(cx, 146 + dy, "CĂN CƯỚC CÔNG DÂN", title_cap, color=style.title_color, max_width=700)
    vx = w.label(400 + dx, 200 + dy, "Số:", "id_number")
    w.value(vx, 200 + dy, person.id_number, "id_number", cap=style.id_cap, color=style.id_color)

    photo = (40 + dx, 200 + dy, 232 + dx, 452 + dy)
    paste_photo(canvas.image, photo, rng)
    ey = photo[3] + 36
    w.label(photo[0], ey, "Có giá trị đến:", "date_of_expiry", max_width=226)
    w.value(photo[0], ey + 36, person.date_of_expiry, "date_of_expiry", right=photo[2] + 20)

    x = 265 + dx
    step = w.row_step + 2
    y = 256 + dy
    vx = w.label(x, y, "Họ và tên:", "full_name")
    w.value(vx, y, person.full_name, "full_name", cap=style.name_cap)
    y += step + 4
    vx = w.label(x, y, "Ngày, tháng, năm sinh:", "date_of_birth")
    w.value(vx, y, data.format_date(person.birth), "date_of_birth")
    y += step
    vx = w.label(x, y, "Giới tính:", "sex")
    w.value(vx, y, person.sex, "sex")
    nx = x + 260
    vx = w.label(nx, y, "Quốc tịch:", "nationality")
    w.value(vx, y, data.NATIONALITY, "nationality")
    y += step
    vx = w.label(x, y, "Quê quán:", "place_of_origin")
    y = w.wrapped(vx, x, y, w.wrap_step, person.place_of_origin, "place_of_origin")
    y += step
    vx = w.label(x, y, "Nơi thường trú:", "place_of_residence")
    w.wrapped(vx, x, y, w.wrap_step, person.place_of_residence, "place_of_residence")
    return canvas, None


def _cmnd_9_front(
    rng: np.random.Generator, person: data.Person, style: _Style
) -> tuple[Canvas, None]:
    canvas = Canvas(_background(rng, (226, 240, 236), (150, 195, 175)))
    w = _Writer(canvas, style)
    dx, dy = int(rng.integers(-4, 5)), int(rng.integers(-4, 5))
    paste_emblem(canvas.image, (128 + dx, 122 + dy), 86)
    cx = 610 + dx
    w.national_header(cx, 50 + dy, 32, 640)
    title_cap = uniform(rng, 24, 27)
    w.centered(cx, 142 + dy, "GIẤY CHỨNG MINH NHÂN DÂN", title_cap, color=style.title_color)
    vx = w.label(450 + dx, 196 + dy, "Số", "id_number")
    w.value(vx, 196 + dy, person.cmnd_number, "id_number", cap=style.id_cap, color=style.id_color)

    paste_photo(canvas.image, (44 + dx, 250 + dy, 220 + dx, 480 + dy), rng)
    x = 255 + dx
    step = max(w.row_step, w.wrap_step) + 2
    dots = (120, 130, 130)
    y = 256 + dy
    rows: list[tuple[str, str, str, bool]] = [
        ("Họ tên:", person.full_name, "full_name", False),
        ("Sinh ngày:", data.format_date(person.birth), "date_of_birth", False),
        ("Nguyên quán:", person.place_of_origin, "place_of_origin", True),
        ("Nơi ĐKHK thường trú:", person.place_of_residence, "place_of_residence", True),
    ]
    for label, value, key, wraps in rows:
        vx = w.label(x, y, label, key)
        first = y
        if wraps:
            y = w.wrapped(vx, x, y, step, value, key)
        else:
            cap = style.name_cap if key == "full_name" else None
            w.value(vx, y, value, key, cap=cap)
        for row_y in range(first, y + 1, step):
            dotted_rule(canvas, vx if row_y == first else x, _RIGHT, row_y + 6, dots)
        y += step
    return canvas, None


_Layout = Callable[[np.random.Generator, data.Person, _Style], tuple[Canvas, str | None]]
_LAYOUTS: dict[str, _Layout] = {
    "chip_cccd_front": _chip_cccd_front,
    "can_cuoc_2024_front": _can_cuoc_2024_front,
    "cccd_2016_front": _cccd_2016_front,
    "cmnd_9_front": _cmnd_9_front,
}

_FIELDS = {
    "chip_cccd_front": (
        "id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
        "place_of_residence", "date_of_expiry",
    ),
    "can_cuoc_2024_front": ("id_number", "full_name", "date_of_birth", "sex", "nationality"),
    "cccd_2016_front": (
        "id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
        "place_of_residence", "date_of_expiry",
    ),
    # The old card prints neither sex nor nationality on the front.
    "cmnd_9_front": (
        "id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence",
    ),
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
    }
    return {key: every[key] for key in _FIELDS[kind]}


def render_card(seed: int, kind: str = "chip_cccd_front") -> SyntheticCard:
    """Render the card ``kind`` for an invented holder; the same arguments give the same bytes."""
    if kind not in _LAYOUTS:
        raise ValueError(f"unknown card kind {kind!r}; expected one of {', '.join(CARD_KINDS)}")
    person = data.person(make_rng(seed, kind, "person"), _ISSUE_RULES[kind])
    if kind == "cmnd_9_front" and not person.cmnd_number:
        # Everyone who holds this card has a number; the empty value is for the QR field.
        person = _with_cmnd(person, make_rng(seed, kind, "cmnd"))
    layout_rng = make_rng(seed, kind, "layout")
    style = _style(layout_rng)
    canvas, payload = _LAYOUTS[kind](layout_rng, person, style)
    return SyntheticCard(
        image=canvas.image,
        lines=canvas.lines,
        fields=_fields(kind, person),
        kind=kind,
        qr_payload=payload,
    )


def _with_cmnd(person: data.Person, rng: np.random.Generator) -> data.Person:
    number = f"{int(rng.integers(1, 39)):02d}{int(rng.integers(0, 10_000_000)):07d}"
    return replace(person, cmnd_number=number)
