"""The pool of system fonts the generator draws with, each checked to render Vietnamese."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

_log = logging.getLogger(__name__)

# Debian/Ubuntu paths first (fonts-dejavu-core, fonts-noto-core, fonts-liberation2,
# fonts-freefont-ttf), then other distributions'.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/freefont",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/google-noto",
    "/usr/share/fonts/liberation",
    "/usr/share/fonts/gnu-free",
)

# (family, serif, regular file, bold file, italic file)
_FAMILIES = (
    ("DejaVu Sans", False, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    ("DejaVu Serif", True, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    ("Noto Sans", False, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"),
    ("Noto Serif", True, "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf"),
)
# What the cards themselves print: an Arial-like sans for labels and values (Liberation Sans
# has Arial's metrics, FreeSans Helvetica's) and a Times-like serif for the national header.
_CARD_SANS = (
    ("Liberation Sans", False, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
     "LiberationSans-Italic.ttf"),
    ("FreeSans", False, "FreeSans.ttf", "FreeSansBold.ttf", "FreeSansOblique.ttf"),
    _FAMILIES[0],
    _FAMILIES[2],
)  # fmt: skip
_CARD_SERIF = (
    ("Liberation Serif", True, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
     "LiberationSerif-Italic.ttf"),
    ("FreeSerif", True, "FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf"),
    _FAMILIES[1],
    _FAMILIES[3],
)  # fmt: skip
# The typewriter the old CMND's values were typed with: FreeMono is a Courier (slab serifs,
# even strokes); Liberation Mono, a sans monospace, is the stand-in.
TYPEWRITER_FONTS = (
    ("FreeMono", False, "FreeMono.ttf", "FreeMonoBold.ttf", "FreeMonoOblique.ttf"),
    ("Liberation Mono", False, "LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf",
     "LiberationMono-Italic.ttf"),
)  # fmt: skip
CARD_INSTALL_HINT = (
    "install the Debian packages fonts-liberation2 and fonts-freefont-ttf "
    "(apt-get install fonts-liberation2 fonts-freefont-ttf)"
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
    """A regular, a bold and an italic face of one family (bold and italic fall back to
    regular if missing)."""

    name: str
    serif: bool
    regular: str
    bold: str
    italic: str = ""

    def face(self, *, bold: bool = False, italic: bool = False) -> str:
        if italic and self.italic:
            return self.italic
        return self.bold if bold else self.regular


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


def _family(spec: tuple[str, bool, str, str, str]) -> FontFamily | None:
    """The family if its regular face is here and renders Vietnamese, else None."""
    name, serif, regular_file, bold_file, italic_file = spec
    regular = _find(regular_file)
    if regular is None or not renders_vietnamese(regular):
        return None
    bold = _find(bold_file)
    if bold is None or not renders_vietnamese(bold):
        bold = regular
    italic = _find(italic_file)
    if italic is None or not renders_vietnamese(italic):
        italic = ""
    return FontFamily(name=name, serif=serif, regular=regular, bold=bold, italic=italic)


def _pool(specs: tuple[tuple[str, bool, str, str, str], ...]) -> tuple[FontFamily, ...]:
    return tuple(f for f in (_family(spec) for spec in specs) if f is not None)


@functools.cache
def font_pool() -> tuple[FontFamily, ...]:
    """The families found on this machine; raises RuntimeError if there is none."""
    pool = _pool(_FAMILIES)
    if not pool:
        raise RuntimeError(
            f"no font that renders Vietnamese was found in {', '.join(FONT_DIRS)}; {INSTALL_HINT}"
        )
    return pool


def _card_pool(specs: tuple[tuple[str, bool, str, str, str], ...]) -> tuple[FontFamily, ...]:
    pool = _pool(specs)
    if not pool:
        raise RuntimeError(
            f"no font that renders Vietnamese was found in {', '.join(FONT_DIRS)}; "
            f"{CARD_INSTALL_HINT}"
        )
    if pool[0].name != specs[0][0]:
        _log.warning(
            "%s is missing, cards are drawn in %s; %s", specs[0][0], pool[0].name, CARD_INSTALL_HINT
        )
    return pool


@functools.cache
def card_sans_pool() -> tuple[FontFamily, ...]:
    """The sans families cards print labels and values in, the Arial-like first."""
    return _card_pool(_CARD_SANS)


@functools.cache
def card_serif_pool() -> tuple[FontFamily, ...]:
    """The serif families of the national header, the Times-like first."""
    return _card_pool(_CARD_SERIF)


@functools.cache
def typewriter_family() -> FontFamily:
    """FreeMono, or Liberation Mono with a warning; raises RuntimeError if neither is here."""
    pool = _pool(TYPEWRITER_FONTS)
    if not pool:
        raise RuntimeError(
            "no monospaced font that renders Vietnamese for the typed values of the old CMND "
            f"was found in {', '.join(FONT_DIRS)}; install the Debian package "
            "fonts-freefont-ttf (apt-get install fonts-freefont-ttf)"
        )
    if pool[0].name != TYPEWRITER_FONTS[0][0]:
        _log.warning(
            "FreeMono is missing; the old CMND's values are typed in %s instead "
            "(install fonts-freefont-ttf)",
            pool[0].name,
        )
    return pool[0]


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
