"""The 54 ethnic groups of Viet Nam as identity cards print them (the General Statistics
Office's list, Decision 121-TCTK/PPCĐ of 1979), for the card's ``Dân tộc`` field."""

from __future__ import annotations

from id_card_scan.cards.fuzzy import plain, similarity

ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
    "Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
    "Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí",
    "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô",
    "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)  # fmt: skip
# Other spellings cards print for some of them, the commonest first.
_ALSO = ("H'Mông", "Êđê", "Stiêng", "Khơ-me", "Bru-Vân Kiều", "Giẻ-Triêng")


def _bare(name: str) -> str:
    return "".join(c for c in plain(name) if c.isalnum())


_BY_BARE: dict[str, list[str]] = {}
for _name in (*_ALSO, *ETHNIC_GROUPS):  # a spelling's bare letters: its first one
    if _name not in _BY_BARE.setdefault(_bare(_name), []):
        _BY_BARE[_bare(_name)].append(_name)


def known_group(reading: str) -> str | None:
    """The group a reading names, as cards spell it: the one whose letters it has with
    other marks ("Kình"), else the one a letter away when no other is as near; None
    for a reading like none of them (which is then kept as read)."""
    text = " ".join(reading.split())
    if text in ETHNIC_GROUPS or text in _ALSO:
        return text
    same = _BY_BARE.get(_bare(text), [])
    if same:
        return same[0]
    scored = sorted(((similarity(name, text), name) for name in ETHNIC_GROUPS), reverse=True)
    best, runner_up = scored[0], scored[1]
    if best[0] >= 0.75 and best[0] > runner_up[0] and len(_bare(text)) >= 3:
        return best[1]
    return None
