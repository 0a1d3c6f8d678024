"""Seeded random generators, so that every output is a pure function of its arguments."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def make_rng(seed: int, *tags: str) -> np.random.Generator:
    """A generator for ``seed`` and ``tags``; tags keep unrelated draws independent."""
    # SeedSequence wants non-negative integers, so the sign gets a word of its own.
    words = [abs(seed), 1 if seed < 0 else 0]
    words += [zlib.crc32(tag.encode("utf-8")) for tag in tags]
    return np.random.default_rng(np.random.SeedSequence(words))


def choice(rng: np.random.Generator, items: Sequence[T]) -> T:
    """One item of ``items``, drawn by ``rng``."""
    return items[int(rng.integers(len(items)))]


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """A float in [low, high) as a plain Python float."""
    return float(rng.uniform(low, high))
