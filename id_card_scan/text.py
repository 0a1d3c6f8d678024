"""Vietnamese text helpers shared by the stages that compare readings."""

from __future__ import annotations

import unicodedata


def strip_marks(text: str) -> str:
    """``NGUYỄN Thị Đào`` -> ``NGUYEN Thi Dao``: tone marks and vowel marks dropped, ``Đ``
    read as ``D``, case and everything else kept (NFC)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)
