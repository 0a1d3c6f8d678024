import io
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image

from id_card_scan.errors import ImageTooLargeError, InvalidImageError
from id_card_scan.images import DECODE_MAX_SIDE, decode_image
from tests.conftest import encode

LIMIT = 40_000_000


def _sample() -> Image.Image:
    image = Image.new("RGB", (120, 80), (255, 255, 255))
    image.paste((200, 0, 0), (0, 0, 60, 40))  # a red top-left quarter marks orientation
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF"])
def test_accepted_formats_decode_to_rgb(fmt: str) -> None:
    decoded = decode_image(encode(_sample(), fmt), max_pixels=LIMIT)
    assert decoded.pixels.shape == (80, 120, 3)
    assert decoded.pixels.dtype == np.uint8
    assert decoded.pixels[10, 10, 0] > 150 and decoded.pixels[70, 110, 0] > 200


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to view
    data = encode(_sample(), "JPEG", exif=exif.tobytes())
    decoded = decode_image(data, max_pixels=LIMIT)
    assert decoded.pixels.shape == (120, 80, 3)
    # After a clockwise turn the red corner is at the top right.
    assert decoded.pixels[10, 70, 0] > 150 and decoded.pixels[10, 70, 1] < 100


def test_cmyk_16bit_and_transparent_images_are_converted() -> None:
    cmyk = decode_image(encode(_sample().convert("CMYK"), "JPEG"), max_pixels=LIMIT)
    assert cmyk.pixels.shape == (80, 120, 3)
    deep = Image.fromarray((np.arange(80 * 120).reshape(80, 120) * 6).astype(np.uint16))
    grey = decode_image(encode(deep, "PNG"), max_pixels=LIMIT)
    assert grey.pixels.shape == (80, 120, 3) and grey.pixels.max() == 255
    clear = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    assert decode_image(encode(clear, "PNG"), max_pixels=LIMIT).pixels.min() == 255


def test_multi_frame_tiff_reads_the_first_frame() -> None:
    frames = [_sample(), Image.new("RGB", (120, 80), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    decoded = decode_image(buffer.getvalue(), max_pixels=LIMIT)
    assert decoded.pixels[70, 110].tolist() == [255, 255, 255]


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"\xff\xd8\xff\xe0" + b"\x00" * 50],
    ids=["empty", "text", "jpeg-header-only"],
)
def test_non_images_are_invalid(data: bytes) -> None:
    with pytest.raises(InvalidImageError):
        decode_image(data, max_pixels=LIMIT)


def test_truncated_jpeg_is_invalid() -> None:
    data = encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")
    with pytest.raises(InvalidImageError):
        decode_image(data[: len(data) // 2], max_pixels=LIMIT)


def test_gif_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidImageError, match="unsupported image format GIF"):
        decode_image(encode(_sample(), "GIF"), max_pixels=LIMIT)


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header announcing a huge image over a few KB of compressed zeros."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    data = bomb_png(30_000, 30_000)
    assert len(data) < 10_000
    with pytest.raises(ImageTooLargeError, match=r"too many pixels|over the limit"):
        decode_image(data, max_pixels=LIMIT)


def test_tiny_images_are_invalid() -> None:
    with pytest.raises(InvalidImageError, match="too small"):
        decode_image(encode(Image.new("RGB", (8, 8)), "PNG"), max_pixels=LIMIT)


def _large(size: tuple[int, int]) -> Image.Image:
    return _sample().resize(size, Image.Resampling.NEAREST)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_large_image_is_decoded_to_the_size_the_pipeline_reads(fmt: str) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # sideways: the turn is applied after the reduction too
    data = encode(_large((6000, 4000)), fmt, exif=exif.tobytes())
    decoded = decode_image(data, max_pixels=LIMIT)
    assert max(decoded.pixels.shape[:2]) <= DECODE_MAX_SIDE
    height, width = decoded.pixels.shape[:2]
    assert height > width and abs(height / width - 1.5) < 0.01
    assert decoded.pixels[height // 10, int(width * 0.9), 0] > 150  # red corner top right


MEASURE_DECODE = """
import io, resource, numpy as np
from PIL import Image
from id_card_scan.images import DECODE_MAX_SIDE, decode_image
pixels = np.zeros((5160, 7740), np.uint16)
pixels[::97] = 40000
buffer = io.BytesIO()
Image.fromarray(pixels).save(buffer, "PNG")
data = buffer.getvalue()
del pixels, buffer
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
decode_image(data, max_pixels=40_000_000)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_a_small_file_of_many_pixels_takes_little_memory_to_decode() -> None:
    # 40 megapixels of 16-bit grey compress to under 100 KB; decoded whole and converted
    # they took 495 MB at peak, reduced while decoding about 150 (ru_maxrss, in its own
    # process so that earlier tests do not hide the peak).
    grown = subprocess.run(
        [sys.executable, "-c", MEASURE_DECODE], capture_output=True, text=True, check=True
    )
    assert int(grown.stdout) < 250
