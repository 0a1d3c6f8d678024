"""Finding the card from its print: the text detector's boxes say where the card must be.

When no outline stands out on its own (a white card on a pale desk, a thumb over a side,
a busy tablecloth), the card's lines of print still cluster in one tilted block. The card's
sides run parallel to and across those lines, a little outside the block: each side is
looked for as the straight line, in a band outside the block, across which the colour
steps most consistently, and the four are kept only if they make a card-shaped outline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from id_card_scan.geometry.lines import card_shaped, clockwise
from id_card_scan.geometry.locate import (
    ASPECT_RANGE,
    MAX_CORNER_COSINE,
    MAX_OPPOSITE_RATIO,
    MIN_AREA_FRACTION,
    MIN_AREA_IN_CARD_SHAPED,
    Candidate,
    CardOutline,
    WorkImage,
    is_whole_image,
    outline_candidates,
    reduce_image,
    refine_outline,
)
from id_card_scan.geometry.view import ID1_ASPECT

# Slopes tried for each side against the print's direction: perspective and a card not
# quite square to its print turn a side by a few degrees (tan 8 degrees = 0.14).
SIDE_SLOPES = np.linspace(-0.14, 0.14, 9)
# How far outside the print block each side is looked for, in block heights. The title
# and the last line sit within a few percent of the top and bottom edges; on the left the
# portrait and emblem may leave a card-high strip without print.
BAND = {"top": 0.35, "bottom": 0.6, "right": 0.35, "left": 1.3}
# A side's colour step (weighted Lab units, as in side_contrasts) must reach this on an
# edge-found outline; a side traced around the print may be fainter (a photocopy on white
# paper steps by ~4), the print inside vouching for it...
MIN_SIDE_STEP = 6.0
MIN_TRACED_STEP = 3.5
# ... and the print must show at least this many lines to be a card's.
MIN_BOXES = 4
# Median colour gradient (Lab units per pixel, smoothed) of a plain border around a crop.
PLAIN_GRADIENT = 1.0
# Weakest side support an outline may have and still be judged by the print inside it.
MIN_CANDIDATE_SUPPORT = 0.3
# Best offsets kept per side; the four sides' combinations are then judged as quads.
KEPT_PER_SIDE = 3
# A line of print this near outside an outline, in its own heights, goes with the print
# inside it: lines on a card are under a line apart, other print (a form or banknote
# under the card) is seldom that close and that like the card's.
BESIDE_LINES = 1.5


@dataclass(frozen=True)
class TextBlock:
    """The card's print in a frame turned by ``angle``: u along the lines, v across."""

    angle: float  # radians, direction of the lines in the image (y down)
    u: tuple[float, float]
    v: tuple[float, float]
    line_height: float
    count: int

    def to_image(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cos, sin = np.cos(self.angle), np.sin(self.angle)
        return u * cos - v * sin, u * sin + v * cos


def text_block(quads: list[np.ndarray]) -> TextBlock | None:
    """The largest cluster of text boxes, described in its own lines' frame."""
    if len(quads) < MIN_BOXES:
        return None
    boxes = np.asarray(quads, np.float64).reshape(-1, 4, 2)
    along = boxes[:, 1] - boxes[:, 0]
    across = boxes[:, 3] - boxes[:, 0]
    length_a = np.linalg.norm(along, axis=1)
    length_b = np.linalg.norm(across, axis=1)
    direction = np.where((length_a >= length_b)[:, None], along, across)
    length = np.maximum(length_a, length_b)
    thickness = np.minimum(length_a, length_b)
    lines = length >= 2.0 * np.maximum(thickness, 1.0)
    if lines.sum() < 2:
        return None
    # Directions are undirected: average the doubled angle, weighted by line length.
    doubled = 2.0 * np.arctan2(direction[lines, 1], direction[lines, 0])
    weights = length[lines]
    angle = 0.5 * float(
        np.arctan2(np.sum(weights * np.sin(doubled)), np.sum(weights * np.cos(doubled)))
    )
    cos, sin = np.cos(angle), np.sin(angle)
    u = boxes[..., 0] * cos + boxes[..., 1] * sin
    v = -boxes[..., 0] * sin + boxes[..., 1] * cos
    u_low, u_high = u.min(axis=1), u.max(axis=1)
    v_low, v_high = v.min(axis=1), v.max(axis=1)
    height = float(np.median((v_high - v_low)[lines]))
    # Lines of one card lie within a couple of line heights of each other, across and
    # along; print elsewhere in the photo (a form, a screen) is a separate cluster.
    gap_u = np.maximum(u_low[:, None] - u_high[None, :], u_low[None, :] - u_high[:, None])
    gap_v = np.maximum(v_low[:, None] - v_high[None, :], v_low[None, :] - v_high[:, None])
    near = (gap_u <= 4.0 * height) & (gap_v <= 2.5 * height)
    labels = _components(near)
    areas = (u_high - u_low) * (v_high - v_low)
    best = max(set(labels.tolist()), key=lambda label: float(areas[labels == label].sum()))
    members = labels == best
    if members.sum() < MIN_BOXES:
        return None
    return TextBlock(
        angle=angle,
        u=(float(u_low[members].min()), float(u_high[members].max())),
        v=(float(v_low[members].min()), float(v_high[members].max())),
        line_height=height,
        count=int(members.sum()),
    )


def _components(adjacent: np.ndarray) -> np.ndarray:
    labels = np.arange(len(adjacent))
    changed = True
    while changed:  # min-label propagation; a few dozen boxes converge in a few rounds
        neighbour = np.where(adjacent, labels[None, :], len(labels)).min(axis=1)
        merged = np.minimum(labels, neighbour)
        changed = bool((merged != labels).any())
        labels = merged[merged]
    return labels


def card_around_text(
    lab: np.ndarray, block: TextBlock, min_area_fraction: float, **shape: object
) -> tuple[np.ndarray, bool] | None:
    """The card-shaped quad (reduced-image coordinates) best edged around ``block``.

    Also says whether one side had to be guessed: a card running off the picture has no
    edge there, so that side is put where ID-1's proportions place it.
    """
    height_px, width_px = lab.shape[:2]
    u_low, u_high = block.u
    v_low, v_high = block.v
    block_height = v_high - v_low
    sides: dict[str, list[tuple[float, float, float]]] = {}
    open_sides = []
    leaving = []  # sides whose band runs off the picture: the card may too
    for side in ("top", "bottom", "left", "right"):
        reach = BAND[side] * block_height + 3.0
        # The detector's boxes hug the print; a line just outside one still grazes glyphs.
        offsets = np.arange(max(1.0, 0.1 * block.line_height), reach, 1.0)
        if side in ("top", "bottom"):
            span = (u_low, u_high)
            base = v_low - offsets if side == "top" else v_high + offsets
        else:
            span = (v_low, v_high)
            base = u_low - offsets if side == "left" else u_high + offsets
        steps, inside = _line_steps(lab, block, side, base, span)
        # Nearer lines first among similar steps: the card's margin is smooth print, so
        # the first strong edge out from the text is its side, not the table's edge beyond.
        weight = 1.0 - 0.5 * offsets / reach
        lines = _best_lines(steps * weight[:, None], base, KEPT_PER_SIDE)
        sides[side] = [_sharpen(lab, block, side, line, span) for line in lines]
        if inside[-1] < 0.6:
            leaving.append(side)
        if not sides[side]:
            if side not in leaving:
                return None
            open_sides.append(side)
    if len(open_sides) > 1:
        return None
    found = _best_quad(sides, block, (width_px, height_px), min_area_fraction, **shape)
    if found is not None or open_sides:
        return found
    # Where the card runs off the picture, the steps found out there may be its own print
    # (the portrait's edge, a colour step in the security print) and give no card shape:
    # the side is then guessed instead.
    for side in leaving:
        found = _best_quad(
            {**sides, side: []}, block, (width_px, height_px), min_area_fraction, **shape
        )
        if found is not None:
            return found
    return None


def _best_quad(
    sides: dict[str, list[tuple[float, float, float]]],
    block: TextBlock,
    size: tuple[int, int],
    min_area_fraction: float,
    **shape: object,
) -> tuple[np.ndarray, bool] | None:
    """The best-scored card-shaped quad the ``sides``' lines make; a side without lines
    (one at most) is guessed."""
    guessed = sum(not lines for lines in sides.values())
    quads, totals = [], []
    for top in sides["top"] or [None]:
        for bottom in sides["bottom"] or [None]:
            for left in sides["left"] or [None]:
                for right in sides["right"] or [None]:
                    corners_uv = _corners(top, bottom, left, right, block)
                    if corners_uv is None:
                        continue
                    xs, ys = block.to_image(corners_uv[:, 0], corners_uv[:, 1])
                    quads.append(np.stack([xs, ys], axis=1))
                    chosen = (top, bottom, left, right)
                    totals.append(sum(line[2] for line in chosen if line is not None))
    if not quads:
        return None
    every = clockwise(np.asarray(quads, np.float32))
    # A guessed side may lie outside the picture; judge the shape alone.
    shaped = card_shaped(
        every, size, min_area_fraction=min_area_fraction, within=not guessed, **shape
    )
    if not shaped.any():
        return None
    scores = [
        _score(quad, total * 4 / (4 - guessed))
        for quad, total, ok in zip(every, totals, shaped, strict=True)
        if ok
    ]
    return every[shaped][int(np.argmax(scores))], bool(guessed)


def _score(quad: np.ndarray, steps: float) -> float:
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    pair_a, pair_b = sides[0] + sides[2], sides[1] + sides[3]
    aspect = max(pair_a, pair_b) / max(min(pair_a, pair_b), 1e-6)
    # Most photos are taken nearly square on: an outline far from ID-1's shape is likelier
    # a wrong side than strong perspective.
    return steps * float(np.exp(-(((aspect - ID1_ASPECT) / 0.3) ** 2)))


def _line_steps(
    lab: np.ndarray,
    block: TextBlock,
    side: str,
    base: np.ndarray,
    span: tuple[float, float],
    slopes: np.ndarray = SIDE_SLOPES,
) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, slopes) colour step across each candidate line, as side_contrasts reads it,
    and for each offset the largest share of a line's samples inside the picture."""
    samples = 24
    along = np.linspace(span[0], span[1], samples)
    middle = 0.5 * (span[0] + span[1])
    across = base[:, None, None] + slopes[None, :, None] * (along - middle)[None, None, :]
    inward = {"top": 1.0, "bottom": -1.0, "left": 1.0, "right": -1.0}[side] * 3.0
    horizontal = side in ("top", "bottom")
    height, width = lab.shape[:2]

    def sample(offset: float) -> tuple[np.ndarray, np.ndarray]:
        if horizontal:
            u, v = np.broadcast_to(along, across.shape), across + offset
        else:
            u, v = across + offset, np.broadcast_to(along, across.shape)
        x, y = block.to_image(u, v)
        values = cv2.remap(
            lab,
            x.reshape(-1, samples).astype(np.float32),
            y.reshape(-1, samples).astype(np.float32),
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ).reshape(*across.shape, 3)
        return values, (x >= 0) & (x < width) & (y >= 0) & (y < height)

    inner, inner_in = sample(inward)
    outer, outer_in = sample(-inward)
    valid = inner_in & outer_in
    in_picture = valid.mean(axis=2)
    weights = np.array([1.0, 2.0, 2.0], np.float32)
    step = (inner - outer) * weights
    step[~valid] = 0.0
    count = np.maximum(valid.sum(axis=2, keepdims=True), 1)[..., None]
    mean = step.sum(axis=2, keepdims=True) / count
    unit = mean / np.maximum(np.linalg.norm(mean, axis=3, keepdims=True), 1e-6)
    projected = np.where(valid, np.sum(step * unit, axis=3), -np.inf)
    # A line that leaves the picture for part of its length is judged on the rest, but
    # must lie mostly inside it.
    result = np.median(projected, axis=2)
    result[in_picture < 0.6] = 0.0
    return np.nan_to_num(result, neginf=0.0), in_picture.max(axis=1)


def _sharpen(
    lab: np.ndarray,
    block: TextBlock,
    side: str,
    line: tuple[float, float, float],
    span: tuple[float, float],
) -> tuple[float, float, float]:
    """The line moved to the best step within a pixel and a slope step of it.

    The search grid is coarse (a pixel, two degrees); a side a degree off misses the edge
    by a few pixels at its ends, more than the full-resolution re-fit reaches.
    """
    offset, slope, strength = line
    offsets = offset + np.arange(-1.5, 1.75, 0.5)
    step = float(SIDE_SLOPES[1] - SIDE_SLOPES[0])
    slopes = slope + np.linspace(-step, step, 9)
    steps, _ = _line_steps(lab, block, side, offsets, span, slopes)
    row, column = np.unravel_index(int(np.argmax(steps)), steps.shape)
    if steps[row, column] <= strength:
        return line
    return float(offsets[row]), float(slopes[column]), float(steps[row, column])


def _best_lines(
    steps: np.ndarray, base: np.ndarray, count: int
) -> list[tuple[float, float, float]]:
    """Up to ``count`` (offset, slope, step) local bests, a few pixels apart."""
    best_slope = steps.argmax(axis=1)
    strength = steps[np.arange(len(steps)), best_slope]
    order = np.argsort(-strength)
    chosen: list[tuple[float, float, float]] = []
    for index in order:
        if strength[index] < MIN_TRACED_STEP:
            break
        if any(abs(base[index] - other) < 4.0 for other, _, _ in chosen):
            continue
        chosen.append(
            (float(base[index]), float(SIDE_SLOPES[best_slope[index]]), float(strength[index]))
        )
        if len(chosen) == count:
            break
    return chosen


def _corners(
    top: tuple[float, float, float] | None,
    bottom: tuple[float, float, float] | None,
    left: tuple[float, float, float] | None,
    right: tuple[float, float, float] | None,
    block: TextBlock,
) -> np.ndarray | None:
    """Corners (u, v) of the quad bounded by the four side lines, clockwise from top-left.

    One side may be None: it is then drawn parallel to its opposite side, at the distance
    that gives the outline ID-1's proportions.
    """
    u_mid = 0.5 * (block.u[0] + block.u[1])
    v_mid = 0.5 * (block.v[0] + block.v[1])
    if top is None or bottom is None:
        if left is None or right is None:
            return None
        known = bottom if top is None else top
        # Card height from its width, measured along the known horizontal side's middle.
        width = right[0] - left[0]
        height = width / ID1_ASPECT
        shifted = (known[0] + (-height if top is None else height), known[1], 0.0)
        top, bottom = (known, shifted) if top is not None else (shifted, known)
    elif left is None or right is None:
        known = right if left is None else left
        height = bottom[0] - top[0]
        width = height * ID1_ASPECT
        shifted = (known[0] + (-width if left is None else width), known[1], 0.0)
        left, right = (known, shifted) if left is not None else (shifted, known)
    corners = []
    for horizontal, vertical in ((top, left), (top, right), (bottom, right), (bottom, left)):
        # v = c_h + k_h (u - u_mid);  u = c_v + k_v (v - v_mid)
        c_h, k_h, _ = horizontal
        c_v, k_v, _ = vertical
        denominator = 1.0 - k_h * k_v
        if abs(denominator) < 1e-6:
            return None
        u = (c_v + k_v * (c_h - k_h * u_mid - v_mid)) / denominator
        v = c_h + k_h * (u - u_mid)
        corners.append((u, v))
    return np.array(corners, np.float64)


@dataclass(frozen=True)
class TextLayout:
    """Where a card's text boxes fall inside a candidate outline, in card units.

    x runs along the long sides (0..1), y along the short ones (0..1), whichever way up.
    """

    count: int  # boxes whose centre lies inside
    straddling: int  # of those, boxes reaching well outside: the outline cuts the print
    beside: int  # lines like the card's centred just outside: the print goes on past it
    across: float  # share of line length running along the long sides
    line_height: float  # median line height, in card heights
    x: tuple[float, float]
    y: tuple[float, float]

    def fits(self) -> bool:
        """Whether this is how print sits on an ID card.

        Lines run along the card, a few percent of its height tall, over half its height
        from near one long side (the top, or the bottom of a card upside down; a back's
        barcode leaves its last third without lines) and over half its width, ending close
        to one short side (portrait and emblem may leave the other third bare); the
        outline cuts through none of them.
        """
        near = min(self.x[0], 1.0 - self.x[1])
        return (
            self.count >= MIN_BOXES
            and self.across >= 0.8
            and self.straddling <= max(1, 0.1 * self.count)
            and 0.02 <= self.line_height <= 0.11
            and self.y[1] - self.y[0] >= 0.5
            and self.x[1] - self.x[0] >= 0.45
            and near <= 0.2
            and min(self.y[0], 1.0 - self.y[1]) <= 0.25
        )

    def takes_in_print(self) -> bool:
        """Whether the print ends inside the outline, as on a card; an outline printed on
        the card (the portrait's edge, a colour step in the security print) leaves some of
        its lines just outside."""
        return self.beside == 0 and self.straddling == 0


def text_layout(quad: np.ndarray, boxes: np.ndarray) -> TextLayout | None:
    """How the text ``boxes`` (n, 4, 2) sit in the outline ``quad`` (clockwise, same frame)."""
    quad = np.asarray(quad, np.float64).reshape(4, 2)
    boxes = np.asarray(boxes, np.float64).reshape(-1, 4, 2)
    if len(boxes) == 0:
        return None
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    if sides[0] + sides[2] < sides[1] + sides[3]:
        quad = np.roll(quad, -1, axis=0)  # the first side a long one
    unit = np.array([[0, 0], [ID1_ASPECT, 0], [ID1_ASPECT, 1], [0, 1]], np.float32)
    homography = cv2.getPerspectiveTransform(quad.astype(np.float32), unit)
    points = cv2.perspectiveTransform(boxes.reshape(-1, 1, 2), homography).reshape(-1, 4, 2)
    centre = points.mean(axis=1)
    inside = (
        (centre[:, 0] > 0) & (centre[:, 0] < ID1_ASPECT) & (centre[:, 1] > 0) & (centre[:, 1] < 1)
    )
    if not inside.any():
        return None
    along, across = points[:, 1] - points[:, 0], points[:, 3] - points[:, 0]
    length_a, length_b = np.linalg.norm(along, axis=1), np.linalg.norm(across, axis=1)
    thickness = np.minimum(length_a, length_b)
    # How far each corner lies inside the outline (negative: outside), in line heights.
    depth = (
        np.minimum.reduce(
            [points[..., 0], ID1_ASPECT - points[..., 0], points[..., 1], 1.0 - points[..., 1]]
        )
        / np.maximum(thickness, 1e-3)[:, None]
    )
    # A line the outline cuts through: part of it well inside, part outside or touching
    # the outline (where the detector clipped it at the picture's border). Print keeps
    # a margin of a third of a line or more from a card's edge.
    straddling = int(np.sum((depth.max(axis=1) > 0.5) & (depth.min(axis=1) < 0.1)))
    direction = np.where((length_a >= length_b)[:, None], along, across)
    length = np.maximum(length_a, length_b)
    lines = length >= 2.0 * np.maximum(thickness, 1e-6)
    horizontal = np.abs(direction[:, 0]) >= np.abs(direction[:, 1])
    inner_lines = lines & inside
    line_height = float(np.median(thickness[inner_lines])) if inner_lines.any() else 1.0
    # Lines like the card's (along it, of its print's height) centred outside the outline
    # but within a line or so of it.
    like = lines & horizontal & (thickness > 0.5 * line_height) & (thickness < 2.0 * line_height)
    beside = int(np.sum(like & ~inside & (depth.max(axis=1) > -BESIDE_LINES)))
    weight = (length * lines)[inside]
    share = float(np.sum(weight * horizontal[inside]) / max(float(np.sum(weight)), 1e-9))
    low, high = points[inside].reshape(-1, 2).min(axis=0), points[inside].reshape(-1, 2).max(axis=0)
    return TextLayout(
        count=int(inside.sum()),
        straddling=straddling,
        beside=beside,
        across=share,
        line_height=line_height,
        x=(float(low[0] / ID1_ASPECT), float(high[0] / ID1_ASPECT)),
        y=(float(low[1]), float(high[1])),
    )


def find_card_by_text(
    pixels: np.ndarray,
    boxes: list[np.ndarray],
    work: WorkImage | None = None,
    *,
    bordered_only: bool = False,
    traced_only: bool = False,
    unless: Callable[[np.ndarray], bool] | None = None,
) -> CardOutline | None:
    """The outline around the card's print (``boxes``: text quads in ``pixels``' frame).

    The outline traced around the print, or else every card-shaped outline the edges
    suggest, is kept only if the print sits in it as on a card front. A card running off
    the picture gets its missing side from ID-1's proportions. ``bordered_only``: keep
    only an outline with a plain border around it; ``traced_only``: the traced one or none;
    ``unless``: give up on a traced outline (in ``pixels``' frame, before its sides are
    re-fitted at full resolution) that this says is not worth it.
    """
    if len(boxes) < MIN_BOXES:
        return None
    height, width = pixels.shape[:2]
    work = work or reduce_image(pixels)
    scaled = np.asarray(boxes, np.float64).reshape(-1, 4, 2) * work.scale
    shape = {
        "aspect_range": ASPECT_RANGE,
        "max_opposite_ratio": MAX_OPPOSITE_RATIO,
        "max_corner_cosine": MAX_CORNER_COSINE,
    }
    traced = None
    guessed = None
    block = text_block(list(scaled))
    if block is not None:
        around = card_around_text(work.lab, block, MIN_AREA_FRACTION, **shape)
        if around is not None:
            traced, guessed = (None, around[0]) if around[1] else (around[0], None)
    min_area = MIN_AREA_FRACTION * work.size[0] * work.size[1]
    if _card_shaped_image(width, height):
        # As in find_card: a scan's portrait or a block of its print is no small card.
        min_area = MIN_AREA_IN_CARD_SHAPED * work.size[0] * work.size[1]

    def fitting(quad: np.ndarray | None) -> TextLayout | None:
        """The print's layout in ``quad`` where it is a card's, else None."""
        if quad is None or abs(float(cv2.contourArea(quad))) < min_area:
            return None
        if bordered_only and not _plain_surround(work, quad):
            return None
        layout = text_layout(quad, scaled)
        return layout if layout is not None and layout.fits() else None

    # The outline traced around the print first: its sides are the first clear steps out
    # from the print, where an edge-found outline may take a line of the table, a fold of
    # the tablecloth or the title's baseline for a side. Then outlines on clear edges, for
    # a card whose print is partly unreadable; then one with a side guessed.
    if traced is not None and fitting(traced) is not None:
        if unless is not None and unless(traced / work.scale):
            return None
        chosen, support = traced, 0.0
    elif traced_only:
        return None
    else:
        # An edge-found outline that leaves lines of the print just outside it is a frame
        # printed on the card (the portrait's edge, a colour step in the security print):
        # a guessed outline that takes them in beats it; lacking one it is still the best
        # guess, a little short of the card.
        whole: Candidate | None = None
        short: Candidate | None = None
        for candidate in outline_candidates(work):
            if (
                candidate.supports.min() < MIN_CANDIDATE_SUPPORT
                or candidate.contrasts.min() < MIN_SIDE_STEP
                or (whole is not None and candidate.quality <= whole.quality)
            ):
                continue
            layout = fitting(candidate.quad)
            if layout is None:
                continue
            if layout.takes_in_print():
                whole = candidate
            elif short is None or candidate.quality > short.quality:
                short = candidate
        guess = fitting(guessed)
        best = whole
        if best is None and (guess is None or not guess.takes_in_print()):
            best = short
        if best is not None:
            chosen, support = best.quad, float(best.supports.mean())
        elif guessed is not None and guess is not None:
            # No edge to re-fit the guessed side to.
            return CardOutline(quad=(guessed / work.scale).astype(np.float32), support=0.0)
        else:
            return None
    quad = refine_outline(pixels, chosen, work)
    if is_whole_image(quad, width, height):
        return None
    return CardOutline(quad=quad.astype(np.float32), support=round(support, 3))


def _plain_surround(work: WorkImage, quad: np.ndarray) -> bool:
    """Whether the picture outside ``quad`` is a plain border, not more of the card.

    A card's own printed frame lies inside guilloche and print; a crop's padding or a
    scanner's lid around a card is flat.
    """
    height, width = work.size[1], work.size[0]
    inside = np.zeros((height, width), np.uint8)
    cv2.fillPoly(inside, [np.round(quad).astype(np.int32).reshape(-1, 1, 2)], 1)
    # Stay clear of the side itself, whose step is no texture.
    near = cv2.dilate(inside, np.ones((7, 7), np.uint8))
    outside = near == 0
    if outside.sum() < 0.03 * width * height:
        return False
    return float(np.median(work.gradient[outside])) < PLAIN_GRADIENT


def _card_shaped_image(width: int, height: int) -> bool:
    aspect = max(width, height) / max(min(width, height), 1)
    return abs(aspect - ID1_ASPECT) / ID1_ASPECT < 0.08
