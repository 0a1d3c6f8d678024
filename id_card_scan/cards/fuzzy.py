"""Finding printed labels in OCR text despite lost accents, merged words and misread letters.

Text is *folded* for matching: lower case, accents and spaces dropped, ``đ`` -> ``d``, and
the letters OCR confuses with each other made equal (``0``/``o``, ``1``/``l``/``i``,
``rn``/``m``...). Every folded character remembers the index of the original character it
came from, so a match can be cut out of the original line. A label is then found by
approximate substring search (Myers' bit-parallel edit distance), which costs one pass
over the line per label; a bigram filter skips labels that cannot be in the line.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from id_card_scan.cards.names import is_syllable
from id_card_scan.text import strip_marks

# OCR confusions that only matter for *finding* labels (values are never folded like this).
# Digits stay digits: "s. 079..." must not read as the label "so" eating the number's 0.
_CONFUSIONS = str.maketrans({"ø": "o", "l": "i", "|": "i", "!": "i", "j": "i", "$": "s", "z": "s"})
_DIGRAPHS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, the index of its original character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def plain(text: str) -> str:
    """Lower case without accents (``đ`` -> ``d``); spaces and punctuation kept."""
    return strip_marks(text.casefold())


def fold(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        bare = plain(char).translate(_CONFUSIONS)
        for piece in bare:
            if piece.isalnum():
                chars.append(piece)
                origin.append(index)
    folded = "".join(chars)
    for pair, single in _DIGRAPHS:
        while (at := folded.find(pair)) >= 0:
            folded = folded[:at] + single + folded[at + 2 :]
            origin = origin[: at + 1] + origin[at + 2 :]
    return Folded(folded, tuple(origin))


def fold_text(text: str) -> str:
    return fold(text).text


def allowed_errors(length: int) -> int:
    """Edits a label of ``length`` folded characters may show and still be that label."""
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    return max(2, round(length * 0.22))


@dataclass(frozen=True)
class Match:
    start: int  # in folded text
    end: int
    distance: int


def _scores(pattern: str, text: str) -> list[int]:
    """For each end position j: edit distance of ``pattern`` to the best text[i:j+1].

    Myers (1999) bit-parallel algorithm in the search variant (a free start in the text).
    """
    m = len(pattern)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    out: list[int] = []
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        out.append(score)
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def search(
    pattern: str, text: str, max_errors: int, text_bigrams: set[str] | None = None
) -> list[Match]:
    """Non-overlapping approximate occurrences of ``pattern`` in ``text``, best first."""
    if not pattern or not text:
        return []
    if len(pattern) >= 3:
        grams = _bigrams(pattern)
        present = len(grams & (text_bigrams if text_bigrams is not None else _bigrams(text)))
        if present < len(grams) - 2 * max_errors:
            return []
    scores = _scores(pattern, text)
    ends = [j for j, score in enumerate(scores) if score <= max_errors]
    # A run of passing ends is one occurrence: keep the lowest score, latest on ties
    # (the label's last letters matched rather than dropped).
    found: list[Match] = []
    for j in ends:
        if found and j - found[-1].end <= max_errors + 1 and scores[j] <= found[-1].distance:
            found[-1] = Match(found[-1].start, j + 1, scores[j])
        elif not found or j - found[-1].end > max_errors + 1:
            found.append(Match(-1, j + 1, scores[j]))
    return [
        Match(_start(pattern, text, match.end, match.distance), match.end, match.distance)
        for match in sorted(found, key=lambda match: match.distance)
    ]


def _start(pattern: str, text: str, end: int, distance: int) -> int:
    """Where the occurrence ending at ``end`` starts: the reversed search, length nearest m."""
    window = text[max(0, end - len(pattern) - distance) : end][::-1]
    scores = _scores(pattern[::-1], window)
    best = min(
        (j for j, score in enumerate(scores) if score <= distance),
        key=lambda j: (scores[j], abs(j + 1 - len(pattern))),
        default=len(pattern) - 1,
    )
    return end - (best + 1)


def similarity(a: str, b: str) -> float:
    """1 - edit distance / longer length, on folded text."""
    fa, fb = fold_text(a), fold_text(b)
    if not fa and not fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    return 1.0 - edit_distance(fa, fb) / max(len(fa), len(fb))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def mend_words(reading: str, reference: str, *, near: bool = True) -> str:
    """``reading`` with each word that a word of ``reference`` spells with the same bare
    letters, or one letter apart (four letters at least), written as ``reference`` has
    it ("Tân Hiệb" with "Tân Hiệp, ..."): the reading keeps its own words and order."""
    known = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", reference))
    by_bare: dict[str, str] = {}
    for word in known:
        by_bare.setdefault(plain(word), word)

    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known:
            return word
        bare = plain(word)
        if bare in by_bare:
            return _in_case_of(word, by_bare[bare])
        # One letter off: in words of four letters, or of three that are no syllable
        # ("SQn" for "Sơn").
        if near and (len(bare) >= 4 or (len(bare) == 3 and not is_syllable(word))):
            close = [
                w for b, w in by_bare.items() if len(b) >= len(bare) and edit_distance(b, bare) <= 1
            ]
            if len(close) == 1:
                return _in_case_of(word, close[0])
        return word

    mended = re.sub(r"[^\W\d_]+", mend, unicodedata.normalize("NFC", reading))
    return _mend_in_place(mended, known) if near else mended


def _mend_in_place(reading: str, known: list[str]) -> str:
    """A word of ``reading`` that is no syllable at all ("SQh"), alone between words the
    reference has in the same order, written as the reference's word in its place."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", reading)]
    words = [reading[a:b] for a, b in spans]
    matcher = difflib.SequenceMatcher(
        None, [plain(w) for w in words], [plain(w) for w in known], autojunk=False
    )
    blocks = matcher.get_opcodes()
    changes = []
    for index, (tag, i1, i2, j1, j2) in enumerate(blocks):
        if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        framed = 0 < index < len(blocks) - 1 and all(
            blocks[k][0] == "equal" for k in (index - 1, index + 1)
        )
        word = words[i1]
        if framed and word.isalpha() and not is_syllable(word):
            changes.append((spans[i1], _in_case_of(word, known[j1])))
    for (start, end), word in reversed(changes):
        reading = reading[:start] + word + reading[end:]
    return reading


def _in_case_of(model: str, word: str) -> str:
    return word.upper() if model.isupper() and len(model) > 1 else word
