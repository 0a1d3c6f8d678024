"""Reading a model's JSON answer leniently but safely.

Small models wrap JSON in prose or code fences, put raw newlines inside strings (invalid
JSON, but the intent is clear), or ramble inside one value until max_tokens cuts the
answer off. We accept those, keeping the key/value pairs that were complete; we never
evaluate anything.
"""

from __future__ import annotations

import json
from typing import Any

# Braces tried as an object's start: prose before the JSON has a few; an answer made of
# braces must not cost a parse from each of them (quadratic in its length).
_MAX_STARTS = 32


def parse_json_object(content: str) -> dict[str, Any] | None:
    """The first JSON object in ``content``, or None."""
    decoder = json.JSONDecoder(strict=False)  # strict=False: control characters in strings
    start = content.find("{")
    for _ in range(_MAX_STARTS):
        if start == -1:
            break
        try:
            value, _ = decoder.raw_decode(content, start)
        except (ValueError, RecursionError):
            start = content.find("{", start + 1)
            continue
        if isinstance(value, dict):
            return value
        start = content.find("{", start + 1)
    return _complete_pairs_of_truncated(content, decoder)


_MAX_SALVAGE_TRIES = 200


def _complete_pairs_of_truncated(content: str, decoder: json.JSONDecoder) -> dict[str, Any] | None:
    """An object cut off mid-way: close it after the last value that ended."""
    start = content.find("{")
    if start == -1:
        return None
    cut = len(content)
    for _ in range(_MAX_SALVAGE_TRIES):
        # Candidate ends: just after a closing quote, a null, or a number.
        cut = max(content.rfind('"', start, cut), content.rfind("null", start, cut) + 3)
        if cut <= start:
            return None
        try:
            value, _ = decoder.raw_decode(content[start : cut + 1] + "}")
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None
