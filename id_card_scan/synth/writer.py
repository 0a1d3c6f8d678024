"""What every card layout shares: the card's size, its print style and a writer that places
labels and values (one row at a time, or a table of rows) with exact ground truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from PIL import ImageFont

from id_card_scan.synth.draw import Canvas, Color, dotted_rule, text_width, underline
from id_card_scan.synth.fonts import (
    FontCache,
    FontFamily,
    card_sans_pool,
    card_serif_pool,
    mrz_font_path,
    typewriter_family,
)
from id_card_scan.synth.rng import choice, uniform
from id_card_scan.synth.textures import card_background

# ID-1 is 85.60 x 53.98 mm.
CARD_WIDTH = 1000
CARD_HEIGHT = round(CARD_WIDTH * 53.98 / 85.60)
RIGHT = CARD_WIDTH - 28  # right margin of the text column
PX_PER_MM = CARD_WIDTH / 85.60


@dataclass(frozen=True)
class Style:
    """How one card side is printed.

    ``family``: the sans of labels and values; ``header_family``: the serif of the national
    header; ``typewriter``: set when the values were typed onto the card (the old CMND),
    in which case they are all one size and the ID number alone is printed.
    """

    family: FontFamily
    header_family: FontFamily
    label_cap: float
    value_cap: float
    name_cap: float
    id_cap: float
    header_cap: float
    label_color: Color
    value_color: Color
    id_color: Color
    title_color: Color
    label_bold: bool = False
    value_bold: bool = True
    typewriter: FontFamily | None = None


def make_style(rng: np.random.Generator) -> Style:
    grey = int(rng.integers(20, 55))
    dark = int(rng.integers(0, 25))
    return Style(
        family=choice(rng, card_sans_pool()),
        header_family=choice(rng, card_serif_pool()),
        label_bold=bool(rng.random() < 0.6),
        value_bold=bool(rng.random() < 0.7),
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


def typed_style(rng: np.random.Generator, style: Style) -> Style:
    """``style`` with its values typed: a typewriter face and a ribbon's black or blue-black."""
    dark = int(rng.integers(15, 45))
    ink = (dark, dark, dark + 5) if rng.random() < 0.6 else (dark, dark + 5, dark + 45)
    return replace(style, typewriter=typewriter_family(), value_color=ink)


def start(
    rng: np.random.Generator, style: Style, design: str, *, right: int = RIGHT
) -> tuple[Canvas, Writer, int, int]:
    """A fresh card side: the security print of ``design`` (a key of
    ``textures.DESIGNS``), its writer, and the few pixels (dx, dy) by which this print is
    offset, as real prints are."""
    canvas = Canvas(card_background(rng, design, (CARD_WIDTH, CARD_HEIGHT)))
    writer = Writer(canvas, style, rng, right=right)
    return canvas, writer, int(rng.integers(-4, 5)), int(rng.integers(-4, 5))


@dataclass(frozen=True)
class Side:
    """What a layout drew: the canvas and the codes printed on this side."""

    canvas: Canvas
    qr_payload: str | None = None
    mrz: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Row:
    """One label and its value, as a layout's table lists them.

    ``below``: the value stands on its own line, this far under the label's baseline;
    ``wraps``: a long value continues on the next lines (breaking after commas, or with
    ``by_words`` between any words); ``advance``: from the row's last
    baseline to the next row's (None: the table's step); ``beside``: a second row printed
    on the same line, this far to the right.
    """

    label: str
    key: str
    value: str
    emphasis: Literal["value", "name", "id"] = "value"
    below: int | None = None
    wraps: bool = False
    by_words: bool = False
    advance: int | None = None
    beside: tuple[int, Row] | None = None


class Writer:
    """Places labels and values on a canvas with the card's style, fitting them to width."""

    def __init__(
        self, canvas: Canvas, style: Style, rng: np.random.Generator, *, right: int = RIGHT
    ) -> None:
        self.canvas = canvas
        self.style = style
        self.rng = rng
        self.fonts = FontCache()
        # Where the current text column ends; layouts with two columns move it.
        self.right = right

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

    def font(self, cap: float, *, bold: bool, italic: bool = False) -> ImageFont.FreeTypeFont:
        return self.fonts.by_cap(self.style.family.face(bold=bold, italic=italic), cap)

    def fitted(
        self, text: str, cap: float, max_width: float, *, bold: bool, path: str | None = None
    ) -> ImageFont.FreeTypeFont:
        """The font at ``cap`` (the family's, or ``path``), shrunk until ``text`` fits."""
        face = path or self.style.family.face(bold=bold)
        font = self.fonts.by_cap(face, cap)
        while text_width(font, text) > max_width and cap > 6:
            cap -= 0.5
            font = self.fonts.by_cap(face, cap)
        return font

    def _value_face(self, emphasis: str) -> str:
        if self.style.typewriter is not None and emphasis != "id":
            # A typewriter's strike is heavier than the thin regular Courier.
            return self.style.typewriter.bold
        bold = emphasis != "value" or self.style.value_bold
        return self.style.family.face(bold=bold)

    def value_font(self, cap: float, emphasis: str = "value") -> ImageFont.FreeTypeFont:
        """The font values of ``emphasis`` are set in at ``cap``."""
        return self.fonts.by_cap(self._value_face(emphasis), cap)

    def _label_parts(self, text: str, *, italic: bool) -> list[tuple[str, str, float]]:
        """(text, face, size factor) of each part: a bilingual label sets its English half
        (from the " / ") in the family's italic, a little smaller, as the cards print it."""
        family, bold = self.style.family, self.style.label_bold
        if " / " in text:
            native, english = text.split(" / ", 1)
            return [
                (native, family.face(bold=bold), 1.0),
                (" / " + english, family.face(italic=True), 0.86),
            ]
        return [(text, family.face(bold=bold and not italic, italic=italic), 1.0)]

    def label(
        self,
        x: int,
        y: int,
        text: str,
        field: str | None,
        *,
        max_width: float | None = None,
        cap: float | None = None,
        italic: bool = False,
        color: Color | None = None,
    ) -> int:
        """Draw a label at baseline ``y``; returns where a value on the same line may start."""
        limit = max_width if max_width is not None else self.right - x
        size = cap or self.style.label_cap
        parts = self._label_parts(text, italic=italic)
        while True:
            fonts = [self.fonts.by_cap(face, size * factor) for _, face, factor in parts]
            width = sum(text_width(f, part) for f, (part, _, _) in zip(fonts, parts, strict=True))
            if width <= limit or size <= 6:
                break
            size -= 0.5
        fill = color or self.style.label_color
        runs = [(part, f) for f, (part, _, _) in zip(fonts, parts, strict=True)]
        self.canvas.runs((x, y), runs, fill, is_label=True, field=field)
        return round(x + width + 0.5 * self.style.label_cap)

    def value(
        self,
        x: int,
        y: int,
        text: str,
        field: str,
        *,
        cap: float | None = None,
        color: Color | None = None,
        right: int | None = None,
        emphasis: str = "value",
        tracking: float = 0.0,
        path: str | None = None,
    ) -> tuple[int, int, int, int]:
        """Draw a value at baseline ``y``; typed values (the old CMND) go through the
        typewriter, all at the values' size, a little off their writing line. ``tracking``
        spaces the letters out; ``path`` sets it in a face other than the style's."""
        limit = (self.right if right is None else right) - x
        fill = color or self.style.value_color
        face = path or self._value_face(emphasis)
        if self.style.typewriter is not None and emphasis != "id":
            font = self.fitted(text, self.style.value_cap, limit, bold=False, path=face)
            shift = round(float(np.clip(self.rng.normal(-1.0, 1.2), -3.5, 2.0)))
            return self.canvas.typed((x, y + shift), text, font, fill, self.rng, field=field)
        size = cap or self.style.value_cap
        while True:
            font = self.fonts.by_cap(face, size)
            width = text_width(font, text) + tracking * (len(text) - 1)
            if width <= limit or size <= 6:
                break
            size -= 0.5
        if tracking:
            parts = [(char, font) for char in text]
            return self.canvas.runs(
                (x, y), parts, fill, is_label=False, field=field, tracking=tracking
            )
        return self.canvas.text((x, y), text, font, fill, is_label=False, field=field)

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
        field: str | None = None,
        path: str | None = None,
    ) -> tuple[int, int, int, int]:
        """A heading (or, with ``field``, a value such as an issuer) centred on ``cx``;
        ``path``: a face other than the family's."""
        font = self.fitted(text, cap, max_width, bold=bold, path=path)
        fill = color or self.style.value_color
        return self.canvas.text((cx, y), text, font, fill, is_label=False, field=field, anchor="ms")

    def national_header(self, cx: int, y: int, gap: int, span: int) -> None:
        """The state name and the motto, underlined, as every card opens (in a bold serif)."""
        cap = self.style.header_cap
        face = self.style.header_family.bold
        state = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        self.centered(cx, y, state, cap, max_width=span, path=face)
        motto = "Độc lập - Tự do - Hạnh phúc"
        motto = self.centered(cx, y + gap, motto, cap * 1.05, max_width=span, path=face)
        underline(self.canvas, motto, self.style.value_color)

    def _emphasis(self, emphasis: str) -> tuple[float | None, Color | None]:
        if emphasis == "id":
            return self.style.id_cap, self.style.id_color
        if emphasis == "name":
            return self.style.name_cap, None
        return None, None

    def row(
        self, x: int, y: int, row: Row, *, wrap_step: int | None = None, rule: Color | None = None
    ) -> int:
        """Draw one row at baseline ``y``; returns the baseline of its last line.

        ``rule``: the colour of the dotted writing line older cards print under each value.
        """
        step = self.wrap_step if wrap_step is None else wrap_step
        vx = self.label(x, y, row.label, row.key)
        first = y
        cap, color = self._emphasis(row.emphasis)
        if row.below is not None:
            y += row.below
            if row.wraps:
                y = self.wrapped(x, x, y, step, row.value, row.key, by_words=row.by_words)
            else:
                self.value(x, y, row.value, row.key, cap=cap, color=color, emphasis=row.emphasis)
        elif row.wraps:
            y = self.wrapped(vx, x, y, step, row.value, row.key, by_words=row.by_words)
        else:
            self.value(vx, y, row.value, row.key, cap=cap, color=color, emphasis=row.emphasis)
        if row.beside is not None:
            dx, other = row.beside
            self.row(x + dx, first, other, wrap_step=step)
        if rule is not None:
            # Typed values sit on their dotted line; printed ones stand a little above it.
            drop = 3 if self.style.typewriter is not None else 6
            for row_y in range(first, y + 1, step):
                if row.below is not None and row_y == first:
                    continue  # the label's own line holds no value
                start = vx if row_y == first else x
                dotted_rule(self.canvas, start, self.right, row_y + drop, rule)
        return y

    def rows(
        self,
        x: int,
        y: int,
        rows: Sequence[Row],
        *,
        step: int,
        wrap_step: int | None = None,
        rule: Color | None = None,
    ) -> int:
        """A table of rows from baseline ``y`` down; returns where a next row would go."""
        for row in rows:
            y = self.row(x, y, row, wrap_step=wrap_step, rule=rule)
            y += step if row.advance is None else row.advance
        return y

    def stacked(
        self,
        x: int,
        y: int,
        labels: Sequence[tuple[int, str]],
        value: tuple[int, str],
        field: str,
        *,
        label_width: int,
        right: int,
    ) -> None:
        """Labels and their value one under the other (as under the photo), at offsets from
        ``y``; labels fit ``label_width``, the value ends before ``right``. Labels after the
        first are its English translation, set in italic."""
        for index, (dy, text) in enumerate(labels):
            self.label(x, y + dy, text, field, max_width=label_width, italic=index > 0)
        dy, text = value
        self.value(x, y + dy, text, field, right=right)

    def wrapped(
        self,
        x_first: int,
        x_next: int,
        y: int,
        step: int,
        text: str,
        field: str,
        *,
        by_words: bool = False,
    ) -> int:
        """A value that continues on the next line if needed; returns the last baseline used.

        Addresses break after a comma (the units stay whole); free text (``by_words``)
        between any two words.
        """
        if by_words:
            pieces = text.split(" ")
        else:
            pieces = [p + "," for p in text.split(", ")]
            pieces[-1] = pieces[-1][:-1]
        font = self.value_font(self.style.value_cap)
        fits = 0
        while (
            fits < len(pieces)
            and text_width(font, " ".join(pieces[: fits + 1])) <= self.right - x_first
        ):
            fits += 1
        if fits == len(pieces):
            self.value(x_first, y, text, field)
            return y
        if by_words and fits < 3:
            fits = 0  # a word or two left beside the label reads badly: start below instead
        if fits > 0:
            self.value(x_first, y, " ".join(pieces[:fits]), field)
            y += step
            self.value(x_next, y, " ".join(pieces[fits:]), field)
            return y
        # Not even the first piece fits beside the label: the value starts on the next line.
        rest = pieces
        full = self.right - x_next
        fits = 1
        while fits < len(rest) and text_width(font, " ".join(rest[: fits + 1])) <= full:
            fits += 1
        y += step
        self.value(x_next, y, " ".join(rest[:fits]), field)
        if fits < len(rest):
            y += step
            self.value(x_next, y, " ".join(rest[fits:]), field)
        return y

    def worded_date(self, x: int, y: int, day: dt.date, field: str) -> int:
        """``Ngày 15 tháng 08 năm 2010``, as the older backs print the issue date: the words
        are printed form text (labels), the numbers the card's data; returns the right end.
        """
        gap = round(0.45 * self.style.label_cap)
        parts = (("Ngày", f"{day.day:02d}"), ("tháng", f"{day.month:02d}"), ("năm", str(day.year)))
        for word, number in parts:
            x = self.label(x, y, word, field, max_width=200)
            x = self.value(x, y, number, field)[2] + gap
        return x

    def mrz(self, x: int, y: int, lines: Sequence[str], rng: np.random.Generator) -> None:
        """The machine-readable zone in OCR-B: ICAO's 2.54 mm pitch, about 6 lines an inch."""
        path = mrz_font_path()
        pitch = PX_PER_MM * 2.54 * uniform(rng, 0.96, 1.0)
        probe = self.fonts.get(path, 100)
        size = max(8, round(100 * pitch / text_width(probe, "<")))
        font = self.fonts.get(path, size)
        step = round(PX_PER_MM * 4.23 * uniform(rng, 0.97, 1.03))
        dark = int(rng.integers(0, 30))
        ink = (dark, dark, dark)
        for index, line in enumerate(lines):
            self.canvas.text((x, y + index * step), line, font, ink, is_label=False, field="mrz")
