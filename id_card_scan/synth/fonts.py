"""The pool of system fonts the generator draws with, each checked to render Vietnamese."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

# Debian/Ubuntu paths first (fonts-dejavu-core, fonts-noto-core), then other distributions'.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/google-noto",
)

# (family, serif, regular file, bold file)
_FAMILIES = (
    ("DejaVu Sans", False, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("DejaVu Serif", True, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("Noto Sans", False, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("Noto Serif", True, "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
)

# Every letter Vietnamese adds to ASCII, in both cases, precomposed (NFC).
VIETNAMESE_LETTERS = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)

# The machine-readable zone is printed in OCR-B (ICAO 9303); fonts-ocr-b ships it. DejaVu
# Sans Mono, also monospaced, stands in where it is missing.
MRZ_FONTS = (
    "/usr/share/fonts/opentype/ocr-b/OCRB.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
)

INSTALL_HINT = "install the Debian package fonts-dejavu-core (apt-get install fonts-dejavu-core)"

# BASIC layout does not depend on whether Pillow was built with libraqm, so the same seed
# gives the same pixels on every machine with the same fonts; precomposed Vietnamese needs
# no shaping.
LAYOUT = ImageFont.Layout.BASIC


@dataclass(frozen=True)
class FontFamily:
    """A regular and a bold face of one family (bold falls back to regular if missing)."""

    name: str
    serif: bool
    regular: str
    bold: str


def _find(filename: str) -> str | None:
    for folder in FONT_DIRS:
        path = Path(folder) / filename
        if path.is_file():
            return str(path)
    return None


def renders_vietnamese(path: str) -> bool:
    """True if the font has a glyph of its own for every Vietnamese letter."""
    try:
        font = ImageFont.truetype(path, 24, layout_engine=LAYOUT)
    except OSError:
        return False
    # A missing character is drawn as glyph 0 (.notdef); U+FFFF is never mapped, so its
    # mask is what a missing glyph looks like in this font.
    missing = font.getmask("\uffff")
    missing_key = (missing.size, bytes(missing))
    for letter in VIETNAMESE_LETTERS:
        mask = font.getmask(letter)
        if mask.size[0] == 0 or (mask.size, bytes(mask)) == missing_key:
            return False
    return True


@functools.cache
def font_pool() -> tuple[FontFamily, ...]:
    """The families found on this machine; raises RuntimeError if there is none."""
    pool = []
    for name, serif, regular_file, bold_file in _FAMILIES:
        regular = _find(regular_file)
        if regular is None or not renders_vietnamese(regular):
            continue
        bold = _find(bold_file)
        if bold is None or not renders_vietnamese(bold):
            bold = regular
        pool.append(FontFamily(name=name, serif=serif, regular=regular, bold=bold))
    if not pool:
        raise RuntimeError(
            f"no font that renders Vietnamese was found in {', '.join(FONT_DIRS)}; {INSTALL_HINT}"
        )
    return tuple(pool)


@functools.cache
def _cap_height_per_point(path: str) -> float:
    font = ImageFont.truetype(path, 200, layout_engine=LAYOUT)
    top = font.getbbox("H", anchor="ls")[1]
    return -top / 200.0


def size_for_cap_height(path: str, cap_px: float) -> int:
    """The point size at which capital letters of ``path`` are ``cap_px`` pixels tall."""
    return max(4, round(cap_px / _cap_height_per_point(path)))


class FontCache:
    """Loaded faces for one rendering; not shared between calls, so threads are safe."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def get(self, path: str, size: int) -> ImageFont.FreeTypeFont:
        key = (path, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(path, size, layout_engine=LAYOUT)
        return self._fonts[key]

    def by_cap(self, path: str, cap_px: float) -> ImageFont.FreeTypeFont:
        return self.get(path, size_for_cap_height(path, cap_px))


@functools.cache
def mrz_font_path() -> str:
    """OCR-B if installed, else a monospaced stand-in; raises RuntimeError if neither is."""
    for path in MRZ_FONTS:
        if Path(path).is_file():
            return path
    raise RuntimeError(
        f"no monospaced font for the MRZ in {', '.join(MRZ_FONTS)}; "
        "install the Debian package fonts-ocr-b (or fonts-dejavu-core)"
    )
