"""Perspective warp of a found card outline to a canonical, card-shaped image."""

from __future__ import annotations

import cv2
import numpy as np

from id_card_scan.geometry.view import ID1_ASPECT, edge_to_centre, rect_corners

# Width of a rectified card, in pixels. A flat 1000 px scan prints ~20-30 px tall values,
# which is what Tesseract reads best at; a smaller card photo is enlarged to it so that
# the recognizer sees the same text sizes whatever the photo's resolution.
CARD_VIEW_WIDTH = 1000


def card_size(width: int = CARD_VIEW_WIDTH) -> tuple[int, int]:
    return width, int(round(width / ID1_ASPECT))


def side_lengths(quad: np.ndarray) -> np.ndarray:
    quad = np.asarray(quad, np.float64)
    return np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)


def landscape_order(quad: np.ndarray) -> np.ndarray:
    """Roll clockwise corners so that the first side is a long one, on top where possible.

    Cards are landscape, so this leaves only 0 or 180 degrees for orientation to settle.
    """
    quad = np.asarray(quad, np.float32).reshape(4, 2)
    sides = side_lengths(quad)
    start = 0 if sides[0] + sides[2] >= sides[1] + sides[3] else 1
    candidates = [np.roll(quad, -start, axis=0), np.roll(quad, -(start + 2), axis=0)]
    # Of the two long sides, the higher one is the likelier top (a guess orientation checks).
    return min(candidates, key=lambda q: float(q[0, 1] + q[1, 1]))


def warp_card(
    pixels: np.ndarray, quad: np.ndarray, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The card inside ``quad`` (clockwise from its top-left) as a ``size`` image.

    Returns the warped pixels and the homography from them back to ``pixels``.
    """
    width, height = size
    quad = np.asarray(quad, np.float32).reshape(4, 2)
    to_original = cv2.getPerspectiveTransform(rect_corners(width, height), quad).astype(np.float64)

    # warpPerspective samples without averaging: shrinking a big card a lot would alias
    # thin strokes, so reduce the photo with area averaging first.
    reduction = float(np.mean(side_lengths(quad)[[0, 2]])) / (1.3 * width)
    source = pixels
    from_source = to_original
    if reduction > 1.0:
        small = (
            max(1, int(round(pixels.shape[1] / reduction))),
            max(1, int(round(pixels.shape[0] / reduction))),
        )
        source = cv2.resize(pixels, small, interpolation=cv2.INTER_AREA)
        scale = np.diag([small[0] / pixels.shape[1], small[1] / pixels.shape[0], 1.0])
        from_source = scale @ to_original
    warped = cv2.warpPerspective(
        source,
        edge_to_centre(from_source),
        (width, height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return warped, to_original
