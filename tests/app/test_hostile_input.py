"""A hostile-input corpus against a real Gunicorn worker: every item gets its 4xx (or a
per-image error), never a 5xx; the same worker survives and its memory stays bounded."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PIL import Image

from id_card_scan.synth import render_card
from tests.app.gunicorn_process import gunicorn_process
from tests.conftest import encode
from tests.llm_server import free_port
from tests.test_images import bomb_png

pytestmark = pytest.mark.slow
TOKEN = "hostile-test-token"


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 1
    return int(children[0])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    port = free_port()
    with gunicorn_process(tmp_path_factory.mktemp("hostile"), port, HARD_TOKEN=TOKEN) as master:
        yield f"http://127.0.0.1:{port}/id_card_scan", master.pid


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 64), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _card(mode: str, fmt: str) -> bytes:
    image = render_card(seed=71).image
    if mode == "I;16":
        grey = image.convert("L")
        image = Image.frombytes("I;16", grey.size, bytes(b for v in grey.tobytes() for b in (0, v)))
    else:
        image = image.convert(mode)
    return encode(image, fmt)


CARD = encode(render_card(seed=70).image, "JPEG")
# (name, files, form data, expected status, expected code of the body or of the image)
CORPUS = [
    ("zero-bytes", [("a.jpg", b"")], {}, 400, "INVALID_IMAGE"),
    ("text-named-jpg", [("a.jpg", b"GIF? no: plain text " * 10)], {}, 400, "INVALID_IMAGE"),
    ("truncated-jpeg", [("a.jpg", CARD[: len(CARD) // 2])], {}, 400, "INVALID_IMAGE"),
    ("bomb-30000", [("b.png", bomb_png(30_000, 30_000))], {}, 413, "IMAGE_TOO_LARGE"),
    ("huge-8000x6000", [("h.png", bomb_png(8_000, 6_000))], {}, 413, "IMAGE_TOO_LARGE"),
    ("animated-gif", [("a.gif", _animated("GIF"))], {}, 400, "INVALID_IMAGE"),
    ("animated-webp", [("a.webp", _animated("WEBP"))], {}, 200, None),
    ("cmyk-jpeg", [("c.jpg", _card("CMYK", "JPEG"))], {}, 200, None),
    ("16-bit-png", [("d.png", _card("I;16", "PNG"))], {}, 200, None),
    ("fifty-files", [(f"{i}.jpg", b"x") for i in range(50)], {}, 400, "TOO_MANY_FILES"),
]


@pytest.mark.parametrize(
    ("name", "files", "data", "status", "code"), CORPUS, ids=[c[0] for c in CORPUS]
)
def test_hostile_uploads(
    service: tuple[str, int], name: str, files: list, data: dict, status: int, code: str | None
) -> None:
    url, _ = service
    response = requests.post(
        f"{url}/ocr",
        files=[("image_file", f) for f in files],
        data={"hard_token": TOKEN, **data},
        timeout=120,
    )
    assert response.status_code == status, response.text[:300]
    body = response.json()
    if code is not None:
        assert body["error_code"] == code


@pytest.mark.parametrize(
    ("config", "status", "code"),
    [
        ("{" + '"info": {"a": "' + "x" * (10 * 1024 * 1024) + '"}}', 413, "PAYLOAD_TOO_LARGE"),
        ("[" * 50_000 + "]" * 50_000, 400, "INVALID_CONFIG"),
        (b'{"info": {"id": "\xff\xfe\xfa"}}', 400, "INVALID_CONFIG"),
    ],
    ids=["config-10mb", "config-nested", "config-not-utf8"],
)
def test_hostile_configs(service: tuple[str, int], config: object, status: int, code: str) -> None:
    url, _ = service
    response = requests.post(
        f"{url}/extract",
        files={"image_file": ("a.jpg", CARD)},
        data={"hard_token": TOKEN, "config": config},
        timeout=120,
    )
    assert response.status_code in (status, 400), response.text[:300]
    assert response.json()["error_code"] in (code, "INVALID_CONFIG", "PAYLOAD_TOO_LARGE")


def test_tokens_of_every_length_and_bad_bytes_are_refused(service: tuple[str, int]) -> None:
    url, _ = service
    for length in (0, 1, 7, len(TOKEN) - 1, len(TOKEN) + 1, 64, 1000, 60_000):
        response = requests.post(
            f"{url}/ocr",
            files={"image_file": ("a.jpg", CARD)},
            data={"hard_token": "t" * length},
            timeout=60,
        )
        assert response.status_code == 401 and response.json()["error_code"] == "UNAUTHORIZED"
    raw = requests.post(
        f"{url}/ocr",
        files={"image_file": ("a.jpg", CARD)},
        data={"hard_token": b"\xff\xfe" + TOKEN.encode()},
        timeout=60,
    )
    assert raw.status_code == 401


def test_the_worker_survives_with_bounded_memory(service: tuple[str, int]) -> None:
    """Runs last in this module: after the whole corpus, the same worker answers."""
    url, master = service
    worker = _worker_pid(master)
    requests.post(
        f"{url}/ocr", files={"image_file": ("a.jpg", CARD)}, data={"hard_token": TOKEN}, timeout=60
    )
    settled = _rss_mb(worker)
    for _name, files, data, _, _ in CORPUS * 2:
        requests.post(
            f"{url}/ocr",
            files=[("image_file", f) for f in files],
            data={"hard_token": TOKEN, **data},
            timeout=120,
        )
    assert _worker_pid(master) == worker, "the worker was replaced"
    assert requests.get(f"{url}/health", timeout=10).json()["status"] == "healthy"
    assert _rss_mb(worker) < settled * 1.3 + 50, (settled, _rss_mb(worker))
    assert json.dumps({"pid": worker})  # the worker pid was read from /proc


def test_a_worker_is_replaced_after_its_share_of_requests(tmp_path: Path) -> None:
    port = free_port()
    limits = {"GUNICORN_MAX_REQUESTS": "3", "GUNICORN_MAX_REQUESTS_JITTER": "0"}
    with gunicorn_process(tmp_path, port, **limits) as master:
        first = _worker_pid(master.pid)
        health = f"http://127.0.0.1:{port}/id_card_scan/health"
        for _ in range(3):
            assert requests.get(health, timeout=30).ok
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
            if children and int(children[0]) != first:
                break
            time.sleep(0.5)
        assert _worker_pid(master.pid) != first
        # The new worker loads its models and answers.
        while time.monotonic() < deadline:
            try:
                if requests.get(health, timeout=10).ok:
                    return
            except requests.RequestException:  # still loading its models: it queues
                time.sleep(0.5)
        raise AssertionError("the replacement worker did not answer")


def test_a_header_over_gunicorns_limit_is_refused_in_the_specs_format(
    service: tuple[str, int],
) -> None:
    url, _ = service
    response = requests.get(f"{url}/health", headers={"X-Big": "a" * 9000}, timeout=10)
    assert response.status_code == 431
    body = response.json()
    assert body["success"] is False and body["error_code"] == "HEADERS_TOO_LARGE"
    assert body["trace_id"] == response.headers["X-Trace-Id"]
    assert "aaaa" not in response.text  # what was sent is not echoed
