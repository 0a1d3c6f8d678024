"""Finding a card's outline in a photo with classical image processing (no model).

Candidate regions come from a few cheap segmentations of a reduced image (colour
distance from the surface seen at the image border, brightness, closed edges); each
candidate's convex hull is fitted with a quadrilateral, which is kept only if all four of
its sides run along a real edge and its shape can be an ID-1 card seen in perspective.
The winner's sides are then re-fitted on the full-resolution image.

:func:`outline_candidates` keeps every card-shaped quad, from these regions and from
straight edges (``lines``), for a caller that can judge them by the print inside them
(``textfit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from id_card_scan.geometry.lines import (
    card_shaped,
    clockwise,
    edge_maps,
    line_quads,
    side_contrasts,
    side_supports,
    snap_sides,
)
from id_card_scan.geometry.rectify import side_lengths
from id_card_scan.geometry.view import ID1_ASPECT

# Side of the reduced image the search runs on: enough for a card a quarter of the frame
# wide to span ~130 px, small enough to keep the search to a few tens of milliseconds.
WORK_SIDE = 512
# A card smaller than this share of the image is too small to read anyway.
MIN_AREA_FRACTION = 0.03
# ... and in an image shaped like a card, an outline must cover this much of it.
MIN_AREA_IN_CARD_SHAPED = 0.4
# Long/short side ratio of a card seen at up to ~30 degrees of perspective (ID-1: 1.586);
# the lower end stays above a 3:4 portrait photo's 1.33.
ASPECT_RANGE = (1.38, 2.2)
# Perspective shortens a side by at most this much against its opposite one...
MAX_OPPOSITE_RATIO = 1.5
# ... and bends a right angle to no less than ~55 degrees (cos 55 = 0.57).
MAX_CORNER_COSINE = 0.57
# Share of a side's samples that must sit on an edge, for the weakest and the mean side.
MIN_SIDE_SUPPORT = 0.5
MIN_MEAN_SUPPORT = 0.7
EDGE_STRENGTH = 6.0  # Lab units per pixel on the smoothed reduced image
# A colour step across a side (side_contrasts' units) this big counts as fully clear.
FULL_STEP = 40.0


@dataclass(frozen=True)
class CardOutline:
    quad: np.ndarray  # (4, 2) float32, clockwise from top-left, original image coordinates
    support: float  # mean share of the outline that lies on an edge (0..1)


@dataclass(frozen=True)
class WorkImage:
    """The reduced, smoothed image the searches run on (shared by both locators)."""

    lab: np.ndarray  # (h, w, 3) float32 Lab, blurred
    gradient: np.ndarray  # (h, w) colour gradient magnitude, Lab units per pixel
    size: tuple[int, int]  # width, height
    scale: float  # reduced / original

    @cached_property
    def region_quads(self) -> list[np.ndarray]:
        """Quads fitted to the regions the segmentations find (both locators use them)."""
        return [quad for mask in _candidate_masks(self.lab, self.gradient) for quad in _quads(mask)]


def reduce_image(pixels: np.ndarray) -> WorkImage:
    height, width = pixels.shape[:2]
    # An integer reduction lets OpenCV's area averaging take its fast path (~10x).
    factor = max(1, -(-max(height, width) // WORK_SIDE))
    small_size = (width // factor, height // factor)
    cropped = pixels[: small_size[1] * factor, : small_size[0] * factor]
    small = cv2.resize(cropped, small_size, interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    # Blur away surface texture (wood grain, cloth weave) and the card's own fine print.
    lab = cv2.GaussianBlur(lab, (0, 0), 1.5)
    return WorkImage(lab, _gradient(lab), small_size, 1.0 / factor)


def find_card(pixels: np.ndarray, work: WorkImage | None = None) -> CardOutline | None:
    """The most card-like outline in ``pixels``, or None when nothing convincing is there."""
    height, width = pixels.shape[:2]
    work = work or reduce_image(pixels)
    small_size = work.size
    found: list[tuple[np.ndarray, float, float]] = []  # quad, score, mean support
    for quad in work.region_quads:
        if not _plausible(quad, small_size):
            continue
        supports = _side_supports(quad, work.gradient)
        if supports.min() < MIN_SIDE_SUPPORT or supports.mean() < MIN_MEAN_SUPPORT:
            continue
        found.append((quad, float(supports.mean() + supports.min()), float(supports.mean())))
    if not found:
        return None
    if abs(width / height - ID1_ASPECT) / ID1_ASPECT < 0.08 or (
        abs(height / width - ID1_ASPECT) / ID1_ASPECT < 0.08
    ):
        # A card-shaped image is most likely a scan or a tight crop of the card itself,
        # whose portrait frame or text boxes must not be taken for a small card.
        limit = MIN_AREA_IN_CARD_SHAPED * small_size[0] * small_size[1]
        found = [item for item in found if abs(cv2.contourArea(item[0])) >= limit]
        if not found:
            return None
    # The largest convincing outline is the card: a card contains its own printed frames
    # (the portrait, text boxes), never the other way round. Outlines within a few pixels
    # of it (the card with or without its shadow) are the same find; the best-edged wins.
    largest = max(found, key=lambda item: abs(cv2.contourArea(item[0])))[0]
    tolerance = 0.06 * float(side_lengths(largest).min())
    same = [item for item in found if _quad_distance(item[0], largest) < tolerance]
    best = max(same, key=lambda item: item[1])
    quad = best[0] / work.scale
    quad = _refine(pixels, quad, search=max(3.0, 2.5 / work.scale))
    if is_whole_image(quad, width, height):
        return None
    return CardOutline(quad=quad.astype(np.float32), support=round(best[2], 3))


@dataclass(frozen=True)
class Candidate:
    """A card-shaped outline with the evidence along its sides (reduced-image coordinates)."""

    quad: np.ndarray  # (4, 2) float32, clockwise
    supports: np.ndarray  # (4,) share of each side on an edge running along it
    contrasts: np.ndarray  # (4,) typical colour step across each side

    @property
    def quality(self) -> float:
        """0..2: sides on edges with a clear step across them, the weakest side counting twice."""
        sides = self.supports * np.minimum(1.0, np.maximum(self.contrasts, 0.0) / FULL_STEP)
        return float(sides.mean() + sides.min())


def outline_candidates(work: WorkImage, extra: list[np.ndarray] | None = None) -> list[Candidate]:
    """Every card-shaped quad the region masks and the straight edges suggest, with evidence.

    Unlike :func:`find_card` this keeps weak and nested outlines: the caller judges them
    with more than edges (the print inside them).
    """
    maps = edge_maps(work.lab)
    width, height = work.size
    region = work.region_quads
    min_side = float(np.sqrt(MIN_AREA_FRACTION * width * height / ID1_ASPECT))
    quads = np.concatenate(
        [
            np.asarray(region + list(extra or []), np.float32).reshape(-1, 4, 2),
            line_quads(maps, 0.8 * min_side),
        ]
    )
    quads = clockwise(quads)
    keep = card_shaped(
        quads,
        work.size,
        min_area_fraction=MIN_AREA_FRACTION,
        aspect_range=ASPECT_RANGE,
        max_opposite_ratio=MAX_OPPOSITE_RATIO,
        max_corner_cosine=MAX_CORNER_COSINE,
    )
    quads = snap_sides(quads[keep], maps)
    supports = side_supports(quads, maps)
    contrasts = side_contrasts(quads, work.lab)
    return [
        Candidate(quad, support, contrast)
        for quad, support, contrast in zip(quads, supports, contrasts, strict=True)
    ]


def refine_outline(pixels: np.ndarray, quad: np.ndarray, work: WorkImage) -> np.ndarray:
    """``quad`` (reduced-image coordinates) fitted to the full-resolution edges."""
    return _refine(pixels, quad / work.scale, search=max(3.0, 2.5 / work.scale))


def _quad_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Largest corner distance between two quads, whichever corner each starts at."""
    return min(float(np.abs(np.roll(a, -i, axis=0) - b).max()) for i in range(4))


def _gradient(lab: np.ndarray) -> np.ndarray:
    # Colour edges count as much as brightness edges: a light card on a light-but-tinted
    # surface differs mostly in a and b.
    total = np.zeros(lab.shape[:2], np.float32)
    for channel, weight in ((0, 1.0), (1, 2.0), (2, 2.0)):
        gx = cv2.Sobel(lab[..., channel], cv2.CV_32F, 1, 0, ksize=3) / 8
        gy = cv2.Sobel(lab[..., channel], cv2.CV_32F, 0, 1, ksize=3) / 8
        total += weight * weight * (gx * gx + gy * gy)
    return np.sqrt(total)


def _candidate_masks(lab: np.ndarray, gradient: np.ndarray) -> list[np.ndarray]:
    height, width = lab.shape[:2]
    masks: list[np.ndarray] = []
    # 1. Far from the colours of the surface, as sampled along the image border.
    band = max(2, min(height, width) // 25)
    border = np.concatenate(
        [
            lab[:band].reshape(-1, 3),
            lab[-band:].reshape(-1, 3),
            lab[:, :band].reshape(-1, 3),
            lab[:, -band:].reshape(-1, 3),
        ]
    )
    mean = border.mean(axis=0)
    covariance = np.cov(border.T) + np.eye(3) * 4.0
    inverse = np.linalg.inv(covariance)
    centred = lab.reshape(-1, 3) - mean
    distance = np.sqrt(np.sum((centred @ inverse) * centred, axis=1)).reshape(height, width)
    # Otsu splits well when the card is the only unusual thing; a saturated emblem or a
    # glare spot can pull its threshold up, so a fixed "several sigmas away" cut backs it.
    masks += [_otsu(np.clip(distance * 10, 0, 255)), (distance > 4.0).astype(np.uint8) * 255]
    # 2. Brighter (or darker) than the rest: cards are light, most surfaces are not.
    bright = _otsu(lab[..., 0])
    masks += [bright, 255 - bright]
    # 3. Regions enclosed by edges.
    for threshold in (EDGE_STRENGTH, max(EDGE_STRENGTH, float(np.percentile(gradient, 80)))):
        edges = (gradient > threshold).astype(np.uint8) * 255
        closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
        masks.append(_fill_holes(closed))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    # A region that leaks into a similar-looking patch of the surface usually does so across
    # the card's edge: cutting along strong edges separates the two.
    cut = cv2.dilate((gradient > 2 * EDGE_STRENGTH).astype(np.uint8), np.ones((3, 3), np.uint8))
    cleaned = []
    for mask in masks:
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
        cleaned += [mask, _fill_holes(mask * (1 - cut))]
    return cleaned


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _otsu(values: np.ndarray) -> np.ndarray:
    image = np.clip(values, 0, 255).astype(np.uint8)
    _, mask = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return mask


def _quads(mask: np.ndarray) -> list[np.ndarray]:
    area = mask.shape[0] * mask.shape[1]
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:6]:
        hull = cv2.convexHull(contour)
        if cv2.contourArea(hull) < MIN_AREA_FRACTION * area:
            break
        quad = _hull_quad(hull)
        if quad is not None:
            quads.append(quad)
    return quads


def _hull_quad(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.03, 0.045, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            break
        if len(approx) < 4:
            return None
    else:
        return None
    quad = approx.reshape(4, 2).astype(np.float32)
    # approxPolyDP keeps hull vertices, which cut the rounded corners; fit each side to the
    # hull points along it instead and intersect the lines.
    points = _densify(hull.reshape(-1, 2).astype(np.float32))
    refined = _fit_sides(quad, points, tolerance=0.04 * perimeter / 4)
    return _clockwise(refined if refined is not None else quad)


def _densify(polygon: np.ndarray, step: float = 3.0) -> np.ndarray:
    pieces = []
    for start, end in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        count = max(1, int(np.linalg.norm(end - start) / step))
        t = np.arange(count, dtype=np.float32)[:, None] / count
        pieces.append(start[None, :] + (end - start)[None, :] * t)
    return np.concatenate(pieces).astype(np.float32)


def _fit_sides(quad: np.ndarray, points: np.ndarray, tolerance: float) -> np.ndarray | None:
    lines = []
    for start, end in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        direction = end - start
        length = float(np.linalg.norm(direction))
        if length < 1:
            return None
        direction /= length
        relative = points - start
        along = relative @ direction
        across = relative @ np.array([-direction[1], direction[0]])
        near = (np.abs(across) < tolerance) & (along > 0.15 * length) & (along < 0.85 * length)
        if near.sum() < 2:
            return None
        vx, vy, x0, y0 = cv2.fitLine(points[near], cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    return _intersect_all(lines)


def _intersect_all(lines: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray | None:
    corners = []
    for index in range(4):
        (p1, d1), (p2, d2) = lines[index - 1], lines[index]
        matrix = np.array([[d1[0], -d2[0]], [d1[1], -d2[1]]], np.float64)
        if abs(np.linalg.det(matrix)) < 1e-6:
            return None
        t = np.linalg.solve(matrix, p2 - p1)
        corners.append(p1 + t[0] * d1)
    return np.array(corners, np.float32)


def _clockwise(quad: np.ndarray) -> np.ndarray:
    # Image y points down, so a positive shoelace sum is clockwise on screen.
    x, y = quad[:, 0], quad[:, 1]
    signed = float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    return quad if signed > 0 else quad[::-1].copy()


def _plausible(quad: np.ndarray, size: tuple[int, int]) -> bool:
    width, height = size
    if not cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)):
        return False
    area = abs(cv2.contourArea(quad))
    if area < MIN_AREA_FRACTION * width * height:
        return False
    margin = 0.03 * max(width, height)
    if (quad < -margin).any() or (quad[:, 0] > width + margin).any():
        return False
    if (quad[:, 1] > height + margin).any():
        return False
    sides = side_lengths(quad)
    if min(sides) < 8:
        return False
    # A rectangle in perspective: opposite sides of similar length, no very sharp corner.
    if max(sides[0] / sides[2], sides[2] / sides[0], sides[1] / sides[3], sides[3] / sides[1]) > (
        MAX_OPPOSITE_RATIO
    ):
        return False
    edges = np.roll(quad, -1, axis=0) - quad
    cosines = [float(np.dot(-edges[i - 1], edges[i]) / (sides[i - 1] * sides[i])) for i in range(4)]
    if max(abs(c) for c in cosines) > MAX_CORNER_COSINE:
        return False
    pair_a, pair_b = sides[0] + sides[2], sides[1] + sides[3]
    aspect = max(pair_a, pair_b) / min(pair_a, pair_b)
    return ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]


def _side_supports(quad: np.ndarray, gradient: np.ndarray, samples: int = 40) -> np.ndarray:
    """For each side, the share of points along it with a strong edge within 2 px."""
    height, width = gradient.shape
    strong = cv2.dilate((gradient > EDGE_STRENGTH).astype(np.uint8), np.ones((5, 5), np.uint8))
    supports = []
    t = (np.arange(samples) + 0.5) / samples * 0.8 + 0.1
    for start, end in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        points = start[None, :] + (end - start)[None, :] * t[:, None]
        xs = np.round(points[:, 0]).astype(int)
        ys = np.round(points[:, 1]).astype(int)
        inside = (xs >= 1) & (xs < width - 1) & (ys >= 1) & (ys < height - 1)
        hits = np.zeros(samples, bool)
        hits[inside] = strong[ys[inside], xs[inside]] > 0
        supports.append(hits.mean())
    return np.array(supports)


def _refine(pixels: np.ndarray, quad: np.ndarray, search: float) -> np.ndarray:
    """Re-fit each side to the strongest colour step across it in the full image."""
    height, width = pixels.shape[:2]
    low = np.floor(np.maximum(quad.min(axis=0) - 2 * search, 0)).astype(int)
    high = np.ceil(np.minimum(quad.max(axis=0) + 2 * search, [width, height])).astype(int)
    crop = pixels[low[1] : high[1], low[0] : high[0]]
    lab = cv2.cvtColor(crop, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab = cv2.GaussianBlur(lab, (0, 0), 1.0)
    local = quad - low
    steps = np.arange(-search, search + 0.5, 0.5, dtype=np.float32)
    samples = 60
    t = (np.arange(samples) + 0.5) / samples * 0.8 + 0.1
    lines = []
    for start, end in zip(local, np.roll(local, -1, axis=0), strict=True):
        direction = (end - start) / max(float(np.linalg.norm(end - start)), 1e-6)
        normal = np.array([-direction[1], direction[0]], np.float32)
        centres = start[None, :] + (end - start)[None, :] * t[:, None]
        grid = centres[:, None, :] + steps[None, :, None] * normal[None, None, :]
        profile = cv2.remap(
            lab,
            grid[..., 0].astype(np.float32) - 0.5,
            grid[..., 1].astype(np.float32) - 0.5,
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
        step = np.linalg.norm((profile[:, 2:] - profile[:, :-2]) * [1.0, 2.0, 2.0], axis=2)
        best = step.argmax(axis=1)
        strength = step[np.arange(samples), best]
        keep = strength > 0.5 * np.median(strength)
        if keep.sum() < 6:
            return quad
        offsets = steps[1:-1][best]
        points = centres + offsets[:, None] * normal[None, :]
        vx, vy, x0, y0 = cv2.fitLine(points[keep], cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    corners = _intersect_all(lines)
    if corners is None or np.abs(corners - local).max() > 4 * search:
        return quad
    return corners + low


def is_whole_image(quad: np.ndarray, width: int, height: int) -> bool:
    border = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    tolerance = 0.01 * max(width, height)
    for shift in range(4):
        if np.abs(np.roll(quad, -shift, axis=0) - border).max() < tolerance:
            return True
    return False
