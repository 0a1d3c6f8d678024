"""Back-side layouts: issue data, the issuer's signature block, fingerprints, chip, QR, MRZ.

Where each element sits follows the published card models and photos described in the
press (Thông tư 06/2021, 16/2024); distances are approximate, texts are as printed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from id_card_scan.synth import codes, data
from id_card_scan.synth.draw import (
    paste_barcode,
    paste_chip,
    paste_fingerprint,
    paste_qr,
    paste_seal,
    signature,
    text_width,
)
from id_card_scan.synth.writer import (
    CARD_WIDTH,
    PX_PER_MM,
    RIGHT,
    Row,
    Side,
    Style,
    Writer,
    start,
    typed_style,
)

# The signer's title is the place of issue these cards print.
DIRECTOR_C06 = "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
DIRECTOR_C06_EN = (
    "DIRECTOR GENERAL OF THE POLICE DEPARTMENT FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER"
)
# The department that issued the first CCCDs, before it was merged into the one above in
# 2018 (the month is approximate).
DIRECTOR_C72 = "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"
C72_UNTIL = dt.date(2018, 7, 1)
MINISTRY = "BỘ CÔNG AN"
MINISTRY_EN = "MINISTRY OF PUBLIC SECURITY"


def place_of_issue(kind: str, person: data.Person) -> str:
    """The issuer as the back of ``kind`` prints it; empty for fronts."""
    if kind == "chip_cccd_back":
        return DIRECTOR_C06
    if kind == "can_cuoc_2024_back":
        return MINISTRY
    if kind == "cccd_2016_back":
        return DIRECTOR_C72 if person.issue < C72_UNTIL else DIRECTOR_C06
    if kind in ("cmnd_9_back", "cmnd_12_back"):
        return f"GIÁM ĐỐC {data.issuing_police(person.residence_province)}"
    return ""


# Where the long titles break, as printed.
_BREAKS = {
    DIRECTOR_C06: ("CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"),
    DIRECTOR_C06_EN: (
        "DIRECTOR GENERAL OF THE POLICE DEPARTMENT",
        "FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER",
    ),
    DIRECTOR_C72: ("CỤC TRƯỞNG CỤC CẢNH SÁT", "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"),
}


def _split(w: Writer, text: str, cap: float, width: float, *, bold: bool) -> list[str]:
    """``text`` on one line if it fits ``width``, else on two of about equal length."""
    if text in _BREAKS:
        return list(_BREAKS[text])
    if text_width(w.font(cap, bold=bold), text) <= width:
        return [text]
    words = text.split(" ")
    best = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return [" ".join(words[:best]), " ".join(words[best:])]


def _title(
    w: Writer,
    cx: int,
    y: int,
    text: str,
    cap: float,
    width: float,
    *,
    field: str | None,
    bold: bool = True,
) -> int:
    """A centred title broken over at most two lines; returns the last baseline."""
    step = round(cap * 1.85)  # clear of stacked accents (Ả, Ậ) and dots below (Ự)
    lines = _split(w, text, cap, width, bold=bold)
    for index, line in enumerate(lines):
        w.centered(cx, y + index * step, line, cap, bold=bold, max_width=width, field=field)
    return y + (len(lines) - 1) * step


def _signature_block(
    w: Writer, rng: np.random.Generator, cx: int, y: int, *, name: bool = True
) -> None:
    """The round red seal, the signature over it and the signer's (invented) name."""
    paste_seal(w.canvas.image, (cx - 55 + int(rng.integers(-8, 9)), y + 46), 44)
    signature(w.canvas.image, (cx - 30, y + 12, cx + 100, y + 72), rng)
    if name:
        w.centered(cx, y + 122, data.signer_name(rng), w.style.value_cap * 0.95, max_width=300)


def _fingerprints(
    w: Writer,
    rng: np.random.Generator,
    x: int,
    y: int,
    size: tuple[int, int],
    captions: tuple[tuple[str, ...], tuple[str, ...]],
    *,
    above: bool,
) -> None:
    """Two fingerprint boxes side by side with their captions (one or two lines each)."""
    width, height = size
    cap = w.style.label_cap * 0.9
    step = round(cap * 1.45)
    for index, lines in enumerate(captions):
        x0 = x + index * (width + 14)
        box = (x0, y, x0 + width, y + height)
        paste_fingerprint(w.canvas.image, box, rng)
        first = y - 10 - (len(lines) - 1) * step if above else y + height + round(cap * 1.6)
        for n, line in enumerate(lines):
            w.centered(x0 + width // 2, first + n * step, line, cap, bold=False,
                       max_width=width + 10)  # fmt: skip


def _mrz(w: Writer, rng: np.random.Generator, person: data.Person, dx: int) -> tuple[str, ...]:
    lines = codes.td1_lines(person)
    pitch = PX_PER_MM * 2.54
    x = round((CARD_WIDTH - 30 * pitch) / 2) + dx
    w.mrz(x, 507 + int(rng.integers(-3, 4)), lines, rng)
    return lines


def chip_cccd_back(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    canvas, w, dx, dy = start(rng, style, "chip_cccd_back", right=590)
    captions = (
        ("Vân tay ngón trỏ trái", "Left index finger"),
        ("Vân tay ngón trỏ phải", "Right index finger"),
    )
    _fingerprints(w, rng, 604 + dx, 34 + dy, (172, 214), captions, above=False)

    x, step = 32 + dx, w.row_step
    rows = [
        Row("Đặc điểm nhân dạng / Personal identification:", "personal_identification",
            person.personal_identification, below=w.wrap_step, wraps=True, by_words=True),
        Row("Ngày, tháng, năm / Date, month, year:", "date_of_issue",
            data.format_date(person.issue)),
    ]  # fmt: skip
    y = w.rows(x, 56 + dy, rows, step=step)

    cx, width = (x + w.right) // 2, w.right - x
    y = _title(w, cx, y + 6, DIRECTOR_C06, style.value_cap * 0.8, width, field="place_of_issue")
    y = _title(w, cx, y + round(style.label_cap * 1.6), DIRECTOR_C06_EN, style.label_cap * 0.78,
               width, field=None, bold=False)  # fmt: skip
    paste_chip(canvas.image, (44 + dx, y + 40, 154 + dx, y + 124), rng)
    _signature_block(w, rng, cx + 40, y + 8)
    return Side(canvas, mrz=_mrz(w, rng, person, dx))


def can_cuoc_2024_back(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    canvas, w, dx, dy = start(rng, style, "can_cuoc_2024_back", right=744)
    parents = None
    if data.age_on(person.birth, person.issue) < 14:
        parents = data.parent_names(rng, person)
    payload = codes.can_cuoc_2024_qr(person, parents)
    # 18 mm square, as Thông tư 16/2024 sets it.
    side = round(18 * PX_PER_MM)
    paste_qr(canvas.image, payload, (RIGHT - side + dx, 20 + dy, side))

    x, step = 32 + dx, w.row_step
    rows = [
        Row("Nơi cư trú / Place of residence:", "place_of_residence", person.place_of_residence,
            wraps=True),
        Row("Nơi đăng ký khai sinh / Place of birth registration:", "place_of_birth_registration",
            person.place_of_origin, wraps=True),
    ]  # fmt: skip
    y = max(w.rows(x, 52 + dy, rows, step=step), 262 + dy)
    w.right = 700  # clear of the ministry's block
    dates = [
        Row("Ngày, tháng, năm cấp / Date of issue:", "date_of_issue",
            data.format_date(person.issue)),
        Row("Ngày, tháng, năm hết hạn / Date of expiry:", "date_of_expiry",
            person.date_of_expiry),
    ]  # fmt: skip
    y = w.rows(x, y, dates, step=step)
    paste_chip(canvas.image, (44 + dx, y + 4, 154 + dx, y + 88), rng)

    cx = 830 + dx
    w.centered(cx, 286 + dy, MINISTRY, style.value_cap * 0.95, max_width=260,
               field="place_of_issue")  # fmt: skip
    w.centered(cx, 312 + dy, MINISTRY_EN, style.label_cap * 0.8, bold=False, max_width=260)
    _signature_block(w, rng, cx + 10, 322 + dy, name=False)
    return Side(canvas, qr_payload=payload, mrz=_mrz(w, rng, person, dx))


def cccd_2016_back(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    canvas, w, dx, dy = start(rng, style, "cccd_2016_back")
    captions = (("Ngón trỏ trái",), ("Ngón trỏ phải",))
    _fingerprints(w, rng, 34 + dx, 90 + dy, (180, 260), captions, above=True)
    # What the barcode encodes is not published: it only has to look like one.
    paste_barcode(canvas.image, (60 + dx, 440 + dy, 380 + dx, 520 + dy), rng)

    x = 420 + dx
    row = Row("Đặc điểm nhân dạng:", "personal_identification", person.personal_identification,
              wraps=True, by_words=True)  # fmt: skip
    y = w.row(x, 100 + dy, row) + w.row_step
    w.worded_date(x + 40, y, person.issue, "date_of_issue")
    cx = (x + RIGHT) // 2
    y = _title(w, cx, y + w.row_step + 4, place_of_issue("cccd_2016_back", person),
               style.value_cap * 0.85, RIGHT - x, field="place_of_issue")  # fmt: skip
    _signature_block(w, rng, cx + 20, y + 12)
    return Side(canvas)


def _cmnd_back(
    rng: np.random.Generator,
    person: data.Person,
    style: Style,
    design: str,
    captions: tuple[tuple[str, ...], tuple[str, ...]],
    rows: list[Row],
) -> Side:
    """Both CMND generations: fingerprints left; data, date and signer right."""
    canvas, w, dx, dy = start(rng, style, design)
    _fingerprints(w, rng, 30 + dx, 130 + dy, (200, 290), captions, above=True)

    x = 480 + dx
    step = max(w.row_step, w.wrap_step) + 2
    y = w.rows(x, 110 + dy, rows, step=step, wrap_step=step, rule=(120, 130, 130))
    w.worded_date(x + 60, y + 6, person.issue, "date_of_issue")
    cx = (x + RIGHT) // 2
    issuer = place_of_issue("cmnd_9_back", person)
    y = _title(w, cx, y + step + 14, issuer, style.value_cap * 0.9, RIGHT - x,
               field="place_of_issue")  # fmt: skip
    _signature_block(w, rng, cx + 20, y + 8)
    return Side(canvas)


def cmnd_9_back(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    # The 1999 model prints its row names in capitals, and "dấu vết riêng và dị hình" for
    # distinguishing marks.
    rows = [
        Row("DÂN TỘC", "ethnicity", person.ethnicity,
            beside=(240, Row("TÔN GIÁO", "religion", person.religion))),
        Row("DẤU VẾT RIÊNG VÀ DỊ HÌNH", "personal_identification",
            person.personal_identification, wraps=True, by_words=True),
    ]  # fmt: skip
    captions = (("NGÓN TRỎ TRÁI",), ("NGÓN TRỎ PHẢI",))
    # Its values were typed, like the front's.
    style = typed_style(rng, style)
    return _cmnd_back(rng, person, style, "cmnd_9_back", captions, rows)


def cmnd_12_back(rng: np.random.Generator, person: data.Person, style: Style) -> Side:
    rows = [
        Row("Tôn giáo:", "religion", person.religion),
        Row("Đặc điểm nhận dạng:", "personal_identification", person.personal_identification,
            wraps=True, by_words=True),
    ]  # fmt: skip
    captions = (("Ngón trỏ trái",), ("Ngón trỏ phải",))
    return _cmnd_back(rng, person, style, "cmnd_12_back", captions, rows)
