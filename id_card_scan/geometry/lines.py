"""Card outlines from straight edges: Hough lines paired into quadrilaterals.

Region masks need the card's whole border to separate it from the surface; a finger over
one side, a plastic sleeve or a card barely lighter than the table breaks that. Straight
lines survive all three: a side half hidden by a thumb still collects the votes of its
visible half. Every pair of roughly parallel lines crossed with another such pair is a
candidate, checked and scored with numpy all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Canny thresholds on the smoothed Lab image, in Sobel units (8x Lab units per pixel):
# low enough for a white card on a light grey desk (a step of ~3 L units per pixel).
CANNY_LOW, CANNY_HIGH = 12.0, 36.0
# Orientation bins for side support: an edge pixel supports a side only if its gradient
# is within a bin of the side's normal, so texture and print crossing a side do not count.
ORIENTATION_BINS = 18
# Lines kept for pairing, strongest first (pairs grow with the square, quads with the 4th).
MAX_LINES = 26
# Opposite sides of a card in perspective are within this angle of each other...
MAX_PARALLEL_DEGREES = 22.0
# ... and adjacent ones at least this far from parallel.
MIN_CROSSING_DEGREES = 55.0


@dataclass(frozen=True)
class EdgeMaps:
    """Thin edges of the reduced image, and for each orientation bin where they lie."""

    edges: np.ndarray  # (h, w) uint8, 255 on an edge
    aligned: np.ndarray  # (bins, h, w) bool, an edge of that normal direction within 2 px


def edge_maps(lab: np.ndarray) -> EdgeMaps:
    """Colour Canny edges of ``lab`` (float32, smoothed) and their orientation maps."""
    weighted = lab * np.array([1.0, 2.0, 2.0], np.float32)
    dx = cv2.Sobel(weighted, cv2.CV_32F, 1, 0, ksize=3)
    dy = cv2.Sobel(weighted, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = dx * dx + dy * dy
    # The strongest channel at each pixel gives the edge its direction (as colour Canny).
    strongest = magnitude.argmax(axis=2)[..., None]
    gx = np.take_along_axis(dx, strongest, axis=2)[..., 0]
    gy = np.take_along_axis(dy, strongest, axis=2)[..., 0]
    edges = cv2.Canny(
        np.clip(dx, -32767, 32767).astype(np.int16),
        np.clip(dy, -32767, 32767).astype(np.int16),
        CANNY_LOW,
        CANNY_HIGH,
        L2gradient=True,
    )
    edges = _long_edges(edges, min_length=0.04 * max(edges.shape))
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.floor(angle / np.pi * ORIENTATION_BINS).astype(np.int32) % ORIENTATION_BINS
    on = edges > 0
    kernel = np.ones((3, 3), np.uint8)
    per_bin = [(on & (bins == b)).astype(np.uint8) for b in range(ORIENTATION_BINS)]
    aligned = np.zeros((ORIENTATION_BINS, *edges.shape), bool)
    for b in range(ORIENTATION_BINS):
        # A bin and its two neighbours: a side's normal falls between bin centres.
        near = per_bin[b] | per_bin[b - 1] | per_bin[(b + 1) % ORIENTATION_BINS]
        aligned[b] = cv2.dilate(near, kernel) > 0
    return EdgeMaps(edges=edges, aligned=aligned)


def _long_edges(edges: np.ndarray, min_length: float) -> np.ndarray:
    """Only the edge curves at least ``min_length`` across.

    Print is made of short curves (a glyph's outline), and a line of print has as many edge
    pixels in a row as a card's side: left in, it would outvote the card in the Hough space.
    """
    _, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    extent = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep = extent >= min_length
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def side_supports(quads: np.ndarray, maps: EdgeMaps, samples: int = 40) -> np.ndarray:
    """(n, 4) share of each side's middle 80% that lies on an edge running along it."""
    quads = np.asarray(quads, np.float32).reshape(-1, 4, 2)
    if len(quads) == 0:
        return np.zeros((0, 4), np.float32)
    _, height, width = maps.aligned.shape
    start = quads
    end = np.roll(quads, -1, axis=1)
    direction = end - start
    normal_angle = np.mod(np.arctan2(direction[..., 0], -direction[..., 1]), np.pi)
    bins = np.floor(normal_angle / np.pi * ORIENTATION_BINS).astype(np.int32) % ORIENTATION_BINS
    t = ((np.arange(samples) + 0.5) / samples * 0.8 + 0.1).astype(np.float32)
    points = start[:, :, None, :] + direction[:, :, None, :] * t[None, None, :, None]
    xs = np.round(points[..., 0]).astype(np.int32)
    ys = np.round(points[..., 1]).astype(np.int32)
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    xs, ys = np.clip(xs, 0, width - 1), np.clip(ys, 0, height - 1)
    hits = maps.aligned[np.broadcast_to(bins[..., None], xs.shape), ys, xs] & inside
    return hits.mean(axis=2)


def line_quads(maps: EdgeMaps, min_side: float) -> np.ndarray:
    """(n, 4, 2) candidate quads (unordered corners) from the strongest straight edges."""
    lines = _strong_lines(maps.edges, threshold=max(12, int(0.5 * min_side)))
    if len(lines) < 4:
        return np.zeros((0, 4, 2), np.float32)
    rho, theta = lines[:, 0], lines[:, 1]
    count = len(lines)
    i, j = np.triu_indices(count, 1)
    difference = np.abs(theta[i] - theta[j])
    wrapped = difference > np.pi / 2
    difference = np.where(wrapped, np.pi - difference, difference)
    # Across the wrap at 0/180 degrees the same line has the opposite rho.
    gap = np.abs(rho[i] - np.where(wrapped, -rho[j], rho[j]))
    parallel = (difference < np.radians(MAX_PARALLEL_DEGREES)) & (gap > min_side)
    pi, pj = i[parallel], j[parallel]
    if len(pi) < 2:
        return np.zeros((0, 4, 2), np.float32)
    # Each pair's direction, for the crossing test: the mean of its two normals (mod 180).
    normal = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    flip = np.where(np.sum(normal[pi] * normal[pj], axis=1) < 0, -1.0, 1.0)
    pair_normal = normal[pi] + flip[:, None] * normal[pj]
    pair_normal /= np.linalg.norm(pair_normal, axis=1, keepdims=True)
    a, b = np.triu_indices(len(pi), 1)
    cosine = np.abs(np.sum(pair_normal[a] * pair_normal[b], axis=1))
    crossing = cosine < np.cos(np.radians(MIN_CROSSING_DEGREES))
    # No line may serve as two sides.
    distinct = (pi[a] != pi[b]) & (pi[a] != pj[b]) & (pj[a] != pi[b]) & (pj[a] != pj[b])
    a, b = a[crossing & distinct], b[crossing & distinct]
    if len(a) == 0:
        return np.zeros((0, 4, 2), np.float32)
    first, third, second, fourth = pi[a], pj[a], pi[b], pj[b]
    # Walking round: side 1, side 2, side 3 (opposite 1), side 4 (opposite 2).
    corners = np.stack(
        [
            _intersect(lines[fourth], lines[first]),
            _intersect(lines[first], lines[second]),
            _intersect(lines[second], lines[third]),
            _intersect(lines[third], lines[fourth]),
        ],
        axis=1,
    )
    return corners[np.isfinite(corners).all(axis=(1, 2))].astype(np.float32)


def _strong_lines(edges: np.ndarray, threshold: int) -> np.ndarray:
    """(n, 2) rho, theta of the strongest distinct lines, strongest first."""
    found = cv2.HoughLinesWithAccumulator(edges, 1, np.pi / 180, threshold)
    if found is None:
        return np.zeros((0, 2), np.float32)
    found = found.reshape(-1, 3)
    found = found[np.argsort(-found[:, 2], kind="stable")][:400]
    height, width = edges.shape
    ends = _span(found[:, :2].astype(np.float64), width, height)  # (n, 2, 2)
    kept: list[int] = []
    for index in range(len(found)):
        # The same edge gives many Hough peaks a degree or a pixel apart: a line is new
        # only if it runs more than a few pixels away from every kept one somewhere in view.
        if kept:
            rho, theta = found[kept, 0], found[kept, 1]
            normal = np.stack([np.cos(theta), np.sin(theta)], axis=1)
            offsets = np.abs(ends[index] @ normal.T - rho[None, :])  # (2, kept)
            if (offsets.max(axis=0) < 5.0).any():
                continue
        kept.append(index)
        if len(kept) == MAX_LINES:
            break
    return found[kept, :2].astype(np.float64)


def _span(lines: np.ndarray, width: int, height: int) -> np.ndarray:
    """Where each (rho, theta) line enters and leaves the image (its two far points)."""
    rho, theta = lines[:, 0], lines[:, 1]
    cos, sin = np.cos(theta), np.sin(theta)
    mostly_vertical = np.abs(cos) > np.abs(sin)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Vertical-ish: x at y = 0 and y = height; horizontal-ish: y at x = 0 and x = width.
        x_top, x_bottom = rho / cos, (rho - height * sin) / cos
        y_left, y_right = rho / sin, (rho - width * cos) / sin
    first = np.where(
        mostly_vertical[:, None],
        np.stack([x_top, np.zeros_like(rho)], axis=1),
        np.stack([np.zeros_like(rho), y_left], axis=1),
    )
    second = np.where(
        mostly_vertical[:, None],
        np.stack([x_bottom, np.full_like(rho, height)], axis=1),
        np.stack([np.full_like(rho, width), y_right], axis=1),
    )
    return np.stack([first, second], axis=1)


def _intersect(one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Crossing points of lines given as (n, 2) rho, theta; inf where parallel."""
    c1, s1 = np.cos(one[:, 1]), np.sin(one[:, 1])
    c2, s2 = np.cos(other[:, 1]), np.sin(other[:, 1])
    det = c1 * s2 - s1 * c2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (one[:, 0] * s2 - other[:, 0] * s1) / det
        y = (other[:, 0] * c1 - one[:, 0] * c2) / det
    bad = np.abs(det) < 1e-6
    x[bad], y[bad] = np.inf, np.inf
    return np.stack([x, y], axis=1)


def clockwise(quads: np.ndarray) -> np.ndarray:
    """(n, 4, 2) quads with their corners in clockwise order on screen (y down)."""
    x, y = quads[..., 0], quads[..., 1]
    signed = np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)
    return np.where((signed > 0)[:, None, None], quads, quads[:, ::-1])


def card_shaped(
    quads: np.ndarray,
    size: tuple[int, int],
    *,
    min_area_fraction: float,
    aspect_range: tuple[float, float],
    max_opposite_ratio: float,
    max_corner_cosine: float,
    within: bool = True,
) -> np.ndarray:
    """(n,) bool: convex clockwise quads shaped like ID-1 in perspective, and (``within``)
    inside the image."""
    width, height = size
    if len(quads) == 0:
        return np.zeros(0, bool)
    edges = np.roll(quads, -1, axis=1) - quads
    sides = np.linalg.norm(edges, axis=2)
    previous = np.roll(edges, 1, axis=1)
    cross = previous[..., 0] * edges[..., 1] - previous[..., 1] * edges[..., 0]
    convex = (cross > 0).all(axis=1)
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)
    margin = 0.03 * max(width, height)
    inside = (not within) | (
        (quads >= -margin).all(axis=(1, 2))
        & (x <= width + margin).all(axis=1)
        & (y <= height + margin).all(axis=1)
    )
    safe = np.maximum(sides, 1e-6)
    opposite = np.maximum.reduce(
        [
            safe[:, 0] / safe[:, 2],
            safe[:, 2] / safe[:, 0],
            safe[:, 1] / safe[:, 3],
            safe[:, 3] / safe[:, 1],
        ]
    )
    cosine = np.abs(np.sum(-previous * edges, axis=2)) / (np.roll(safe, 1, axis=1) * safe)
    pair_a, pair_b = sides[:, 0] + sides[:, 2], sides[:, 1] + sides[:, 3]
    aspect = np.maximum(pair_a, pair_b) / np.maximum(np.minimum(pair_a, pair_b), 1e-6)
    return (
        convex
        & inside
        & (area >= min_area_fraction * width * height)
        & (sides.min(axis=1) >= 8)
        & (opposite <= max_opposite_ratio)
        & (cosine.max(axis=1) <= max_corner_cosine)
        & (aspect >= aspect_range[0])
        & (aspect <= aspect_range[1])
    )


def side_contrasts(
    quads: np.ndarray, lab: np.ndarray, offset: float = 3.0, samples: int = 24
) -> np.ndarray:
    """(n, 4) median colour step across each side, just inside against just outside.

    A card's side divides card from surface all along it; a line through the surface or
    through the card has much the same colour on both sides for most of its length.
    """
    quads = np.asarray(quads, np.float32).reshape(-1, 4, 2)
    if len(quads) == 0:
        return np.zeros((0, 4), np.float32)
    height, width = lab.shape[:2]
    direction = np.roll(quads, -1, axis=1) - quads
    length = np.maximum(np.linalg.norm(direction, axis=2, keepdims=True), 1e-6)
    inward = np.stack([-direction[..., 1], direction[..., 0]], axis=2) / length
    t = ((np.arange(samples) + 0.5) / samples * 0.8 + 0.1).astype(np.float32)
    points = quads[:, :, None, :] + direction[:, :, None, :] * t[None, None, :, None]
    shift = inward[:, :, None, :] * offset

    def sample(at: np.ndarray) -> np.ndarray:
        xs = np.clip(np.round(at[..., 0]).astype(np.int32), 0, width - 1)
        ys = np.clip(np.round(at[..., 1]).astype(np.int32), 0, height - 1)
        return lab[ys, xs]

    step = (sample(points + shift) - sample(points - shift)) * np.array([1.0, 2.0, 2.0], np.float32)
    # The step's typical size in its usual direction: text along a line steps only where
    # a glyph touches it, so the median ignores it; a hand over part of a side still leaves
    # the card lighter than what lies outside most of the way.
    mean = step.mean(axis=2, keepdims=True)
    unit = mean / np.maximum(np.linalg.norm(mean, axis=3, keepdims=True), 1e-6)
    return np.median(np.sum(step * unit, axis=3), axis=2)


def snap_sides(quads: np.ndarray, maps: EdgeMaps, reach: int = 4) -> np.ndarray:
    """Quads with each side moved (parallel, up to ``reach`` px) onto its best edge.

    Region hulls sit a pixel or three off the edge after the masks' morphology, and Hough
    lines are quantised; the side supports below count only edges within a pixel.
    """
    quads = np.asarray(quads, np.float64).reshape(-1, 4, 2)
    if len(quads) == 0:
        return quads.astype(np.float32)
    direction = np.roll(quads, -1, axis=1) - quads
    length = np.maximum(np.linalg.norm(direction, axis=2, keepdims=True), 1e-6)
    normal = np.stack([-direction[..., 1], direction[..., 0]], axis=2) / length
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)
    scores = np.stack(
        [
            side_supports(
                quads + offset * normal,  # every side moved by the same offset...
                maps,
            )
            for offset in offsets
        ]
    )  # ... but each side's score is read on its own: (offsets, n, 4)
    # Prefer the smallest move among equally good ones.
    scores = scores - 1e-3 * np.abs(offsets)[:, None, None]
    best = offsets[np.argmax(scores, axis=0)]  # (n, 4)
    points = quads + best[..., None] * normal  # a point on each moved side
    lines_start, lines_direction = points, direction / length
    corners = []
    for index in range(4):
        p1, d1 = lines_start[:, index - 1], lines_direction[:, index - 1]
        p2, d2 = lines_start[:, index], lines_direction[:, index]
        det = d1[:, 0] * (-d2[:, 1]) - d1[:, 1] * (-d2[:, 0])
        rhs = p2 - p1
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (rhs[:, 0] * (-d2[:, 1]) - rhs[:, 1] * (-d2[:, 0])) / det
        corner = p1 + t[:, None] * d1
        corner = np.where((np.abs(det) < 1e-6)[:, None], quads[:, index], corner)
        corners.append(corner)
    return np.stack(corners, axis=1).astype(np.float32)
