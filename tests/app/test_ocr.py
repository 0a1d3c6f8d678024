"""POST /id_card_scan/ocr through real HTTP, on generated cards."""

import io
from collections.abc import Callable

import cv2
import numpy as np
import pytest
import requests
from PIL import Image

from id_card_scan.synth import render_card
from tests.app.conftest import TOKEN, Server
from tests.conftest import encode
from tests.test_images import bomb_png


def _post(server: Server, files: list[tuple[str, bytes]], **data: str) -> requests.Response:
    return requests.post(
        server("/id_card_scan/ocr"),
        files=[("image_file", (name, content)) for name, content in files],
        data=data,
        timeout=120,
    )


def _iou(a: list[list[float]], b: list[list[float]]) -> float:
    pa, pb = np.array(a, np.float32), np.array(b, np.float32)
    inter, _ = cv2.intersectConvexConvex(pa, pb)
    union = cv2.contourArea(pa) + cv2.contourArea(pb) - inter
    return inter / union if union > 0 else 0.0


def _best_match(lines: list[dict], quad: list[list[float]]) -> int:
    """Index of the OCR line whose box overlaps ``quad`` most; asserts a real overlap."""
    overlaps = [_iou(line["box"], quad) for line in lines]
    best = int(np.argmax(overlaps))
    assert overlaps[best] > 0.5, f"no box where the card has {quad}"
    return best


def test_one_card_gives_spec_shape_lines_in_reading_order(server: Server) -> None:
    card = render_card(seed=3, kind="chip_cccd_front")
    response = _post(server, [("id_card.jpg", encode(card.image, "JPEG", quality=92))])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "message", "trace_id", "data"}
    assert body["success"] is True
    assert body["message"] == "OCR processing completed"
    assert body["trace_id"] == response.headers["X-Trace-Id"]
    assert body["data"]["processed_count"] == 1 and body["data"]["error_count"] == 0
    [result] = body["data"]["results"]
    assert set(result) == {"filename", "ocr_data", "processing_time"}
    assert result["filename"] == "id_card.jpg"
    assert set(result["processing_time"]) == {"detection_ms", "recognition_ms"}
    assert all(v > 0 for v in result["processing_time"].values())

    width, height = card.image.size
    lines = result["ocr_data"]
    for line in lines:
        assert set(line) == {"text", "confidence", "box"}
        assert line["text"] and 0.7 <= line["confidence"] <= 1.0  # TEXT_REC_CONF_THRESHOLD
        assert len(line["box"]) == 4
        for x, y in line["box"]:
            assert isinstance(x, int) and isinstance(y, int)
            assert 0 <= x < width and 0 <= y < height

    texts = [line["text"] for line in lines]
    assert texts[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # The detector may join a label and its value into one line: look for substrings,
    # spaces aside (the reader loses some beside slashes: "Họ và tên /Full name:").
    joined = "\n".join(text.replace(" ", "") for text in texts)
    found = [truth.text for truth in card.lines if truth.text.replace(" ", "") in joined]
    assert len(found) >= 0.8 * len(card.lines), set(t.text for t in card.lines) - set(found)
    assert card.fields["id_number"] in " ".join(texts)
    # The name's box is where the card drew it, and it is read after its label and
    # before the date of birth.
    truth = next(t for t in card.lines if t.text == card.fields["full_name"])
    name_at = _best_match(lines, [list(p) for p in truth.quad])
    label_at = next(i for i, t in enumerate(texts) if t.startswith("Họ và tên"))
    birth_at = next(i for i, t in enumerate(texts) if card.fields["date_of_birth"] in t)
    assert label_at < name_at < birth_at


def test_boxes_are_in_the_uploaded_images_coordinates(server: Server) -> None:
    card = render_card(seed=5, kind="chip_cccd_front")
    canvas = Image.new("RGB", (card.image.width + 400, card.image.height + 300), (90, 80, 70))
    canvas.paste(card.image, (300, 200))
    # Stored sideways with an EXIF turn: the client sees (and boxes refer to) the turned view.
    exif = Image.Exif()
    exif[0x0112] = 8  # viewer turns it 90° counter-clockwise
    stored = canvas.rotate(-90, expand=True)
    response = _post(
        server, [("photo.jpg", encode(stored, "JPEG", quality=92, exif=exif.tobytes()))]
    )
    [result] = response.json()["data"]["results"]
    truth = next(t for t in card.lines if t.text == card.fields["full_name"])
    expected = [[x + 300, y + 200] for x, y in truth.quad]
    _best_match(result["ocr_data"], expected)


def test_several_images_each_get_a_result(server: Server, make_card: Callable[..., bytes]) -> None:
    response = _post(
        server, [("a.jpg", make_card(1)), ("b.jpg", make_card(2, "can_cuoc_2024_front"))]
    )
    body = response.json()
    assert body["data"]["processed_count"] == 2 and body["data"]["error_count"] == 0
    assert [r["filename"] for r in body["data"]["results"]] == ["a.jpg", "b.jpg"]
    assert all(r["ocr_data"] for r in body["data"]["results"])


def test_display_text_box_false_leaves_out_boxes(server: Server, card_jpeg: bytes) -> None:
    response = _post(server, [("c.jpg", card_jpeg)], display_text_box="false")
    [result] = response.json()["data"]["results"]
    assert "ocr_data" not in result
    assert result["text_lines"][0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_invalid_display_text_box_is_a_parameter_error(server: Server, card_jpeg: bytes) -> None:
    response = _post(server, [("c.jpg", card_jpeg)], display_text_box="maybe")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER"


def test_one_bad_image_does_not_lose_the_others(server: Server, card_jpeg: bytes) -> None:
    files = [
        ("good.jpg", card_jpeg),
        ("empty.jpg", b""),
        ("text.jpg", b"hello, not a picture"),
        ("bomb.png", bomb_png(30_000, 30_000)),
        ("cut.jpg", card_jpeg[: len(card_jpeg) // 3]),
    ]
    response = _post(server, files)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"]["processed_count"] == 1 and body["data"]["error_count"] == 4
    results = body["data"]["results"]
    assert results[0]["ocr_data"]
    assert [r.get("error_code") for r in results[1:]] == [
        "INVALID_IMAGE",
        "INVALID_IMAGE",
        "IMAGE_TOO_LARGE",
        "INVALID_IMAGE",
    ]
    assert all(set(r) == {"filename", "error_code", "message"} for r in results[1:])


def test_a_single_bad_image_is_an_error_response(server: Server) -> None:
    response = _post(server, [("x.jpg", b"GIF89a not really")])
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error_code"] == "INVALID_IMAGE"
    assert body["data"]["error_count"] == 1


def test_missing_file_is_spec_error(server: Server) -> None:
    response = requests.post(server("/id_card_scan/ocr"), data={"hard_token": ""}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "message": "No image file provided (form field image_file)",
        "error_code": "MISSING_FILE",
        "trace_id": response.headers["X-Trace-Id"],
    }


def test_too_many_files_is_refused(secured_server: Server) -> None:
    tiny = encode(Image.new("RGB", (32, 32), "white"), "PNG")
    response = _post(secured_server, [(f"{i}.png", tiny) for i in range(4)], hard_token=TOKEN)
    assert response.status_code == 400
    assert response.json()["error_code"] == "TOO_MANY_FILES"


def test_too_large_request_is_413(secured_server: Server) -> None:
    big = io.BytesIO(np.random.default_rng(0).bytes(3 * 1024 * 1024))
    response = requests.post(
        secured_server("/id_card_scan/ocr"),
        files={"image_file": ("big.jpg", big)},
        data={"hard_token": TOKEN},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["error_code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "BMP", "TIFF"])
def test_other_formats_are_read(server: Server, fmt: str) -> None:
    card = render_card(seed=8, kind="chip_cccd_front")
    response = _post(server, [(f"card.{fmt.lower()}", encode(card.image, fmt))])
    assert response.status_code == 200
    texts = [line["text"] for line in response.json()["data"]["results"][0]["ocr_data"]]
    assert card.fields["id_number"] in " ".join(texts)


def test_a_nameless_part_with_content_is_read_and_an_empty_one_ignored(
    server: Server, card_jpeg: bytes
) -> None:
    response = _post(server, [("", card_jpeg), ("", b"")])
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["processed_count"] == 1 and body["data"]["error_count"] == 0
    assert body["data"]["results"][0]["filename"] == "image_1"
    only_empty = _post(server, [("", b"")])
    assert only_empty.status_code == 400
    assert only_empty.json()["error_code"] == "MISSING_FILE"


@pytest.mark.parametrize(
    ("filename", "photo", "status", "said"),
    [
        (b"card\r\n.jpg", False, 400, "text field, not a file"),
        (b"card\r\n.jpg", True, 413, "a line break in a filename"),
        (b"\xffcard.jpg", True, 400, "not UTF-8"),
    ],
    ids=["line-break", "line-break-photo", "raw-byte"],
)
def test_a_filename_that_breaks_the_part_says_what_is_wrong(
    server: Server, card_jpeg: bytes, filename: bytes, photo: bool, status: int, said: str
) -> None:
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="image_file"; filename="'
        + filename
        + b'"\r\nContent-Type: image/jpeg\r\n\r\n'
        + (card_jpeg if photo else b"tiny")
        + b"\r\n--XX--\r\n"
    )
    response = requests.post(
        server("/id_card_scan/ocr"),
        data=body,
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
        timeout=30,
    )
    assert response.status_code == status
    assert response.json()["error_code"] == (
        "MISSING_FILE" if status == 400 else "PAYLOAD_TOO_LARGE"
    )
    assert said in response.json()["message"]
