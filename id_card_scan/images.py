"""Turning uploaded bytes into a pixel array, safely.

Pillow decodes; we add the limits a public endpoint needs (bytes, pixels, formats) and
apply EXIF orientation so that boxes are reported in the image as the user sees it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from id_card_scan.errors import ImageTooLargeError, InvalidImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "BMP", "TIFF", "MPO"})
# The longest side an image is decoded to: a 12-megapixel phone photo (4032 px) keeps its
# detail; a larger one is reduced while it is decoded (JPEG's DCT scaling) or right after,
# before any conversion, so that a small file of many pixels cannot take gigabytes.
DECODE_MAX_SIDE = 4096


@dataclass(frozen=True)
class DecodedImage:
    """An upright RGB image as a ``(height, width, 3)`` uint8 array."""

    pixels: np.ndarray
    source_format: str
    # The uploaded image's pixels per decoded pixel, (x, y): above 1 where a large image
    # was reduced while decoding; boxes are reported in the upload's pixels.
    scale: tuple[float, float] = (1.0, 1.0)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def decode_image(data: bytes, *, max_pixels: int) -> DecodedImage:
    """Decode ``data`` into an upright RGB array, or raise an error with a stable code."""
    if not data:
        raise InvalidImageError("the file is empty")
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than fails) between max_pixels and twice that; we
            # check the size ourselves before any pixel is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise InvalidImageError(
                    f"unsupported image format {image.format or 'unknown'}; "
                    "send JPEG, PNG, WebP, BMP or TIFF"
                )
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooLargeError(
                    f"image is {width}x{height} pixels, over the limit of {max_pixels} pixels"
                )
            if width < 16 or height < 16:
                raise InvalidImageError(f"image is {width}x{height} pixels, too small to read")
            source_format = str(image.format)
            image.seek(0)  # multi-frame files (TIFF, MPO): the first frame is the photo
            image = _reduced(image, DECODE_MAX_SIDE)
            reduced = image.size
            image = ImageOps.exif_transpose(image)
            if image.size != reduced:  # turned a quarter: the axes swap
                width, height = height, width
            rgb = _to_rgb(image)
    except (InvalidImageError, ImageTooLargeError):
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(
            f"image has too many pixels (over the limit of {max_pixels} pixels)"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidImageError("the file is not a readable image (corrupt or truncated)") from exc
    scale = (width / rgb.shape[1], height / rgb.shape[0])
    return DecodedImage(np.ascontiguousarray(rgb), source_format, scale)


def _reduced(image: Image.Image, max_side: int) -> Image.Image:
    """``image`` decoded with its longest side at most ``max_side`` (EXIF data kept)."""
    longest = max(image.size)
    if longest <= max_side:
        return image
    exif = image.getexif()
    if image.format in ("JPEG", "MPO"):
        # Decodes at 1/2, 1/4 or 1/8 scale: never below the size asked for.
        scale = max_side / longest
        image.draft(image.mode, (int(image.width * scale), int(image.height * scale)))
    factor = -(-max(image.size) // max_side)  # ceiling division
    if factor > 1:
        if image.mode in ("I;16", "I;16B", "I;16L"):
            # Pillow's reduce() does not take 16-bit modes: every factor-th pixel, in 32 bits.
            pixels = np.asarray(image)[::factor, ::factor].astype(np.int32)
            image = Image.fromarray(pixels, mode="I")
        else:
            image = image.reduce(factor)
    image.info["exif"] = exif.tobytes()
    return image


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit and float greyscale: scale to 8 bits rather than let Pillow clip.
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        scaled = (array - low) * (255.0 / (high - low)) if high > low else np.zeros_like(array)
        grey = np.rint(scaled).astype(np.uint8)
        return np.stack([grey, grey, grey], axis=-1)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas become white, like paper, not black.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        background.alpha_composite(image.convert("RGBA"))
        image = background
    return np.asarray(image.convert("RGB"))
