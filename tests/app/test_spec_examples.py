"""SPEC's curl and Python examples, verbatim, against a real Gunicorn process.

The service runs as a user would start it (``gunicorn -c gunicorn.conf.py 'app:create_app()'``)
with ``HARD_TOKEN=your-token``, the token SPEC's examples send. The examples address
localhost:8000; when that port is taken the address alone is changed.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from id_card_scan.synth import render_card
from tests.app.gunicorn_process import gunicorn_process
from tests.conftest import encode

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

CURL_EXAMPLES = {
    "health": """curl http://localhost:8000/id_card_scan/health""",
    "ocr_single": """curl -X POST http://localhost:8000/id_card_scan/ocr \\
  -F "image_file=@id_card.jpg" \\
  -F "hard_token=your-token\"""",
    "ocr_multiple": """curl -X POST http://localhost:8000/id_card_scan/ocr \\
  -F "image_file=@image1.jpg" \\
  -F "image_file=@image2.jpg" \\
  -F "hard_token=your-token\"""",
    "ocr_header": """curl -X POST http://localhost:8000/id_card_scan/ocr \\
  -H "X-API-Token: your-token" \\
  -F "image_file=@id_card.jpg\"""",
    "ocr_no_boxes": """curl -X POST http://localhost:8000/id_card_scan/ocr \\
  -F "image_file=@id_card.jpg" \\
  -F "hard_token=your-token" \\
  -F "display_text_box=false\"""",
    "extract_single": """curl -X POST http://localhost:8000/id_card_scan/extract \\
  -F "image_file=@id_card.jpg" \\
  -F "hard_token=your-token" \\
  -F 'config={"info": {"id_number": "Số căn cước", "full_name": "Tên đầy đủ", "date_of_birth": "Ngày sinh"}, "parallel": true, "batch_size": 3, "llm_timeout": 30}'""",
    "extract_multiple": """curl -X POST http://localhost:8000/id_card_scan/extract \\
  -F "image_file=@image1.jpg" \\
  -F "image_file=@image2.jpg" \\
  -F "hard_token=your-token" \\
  -F 'config={"info": {"id_number": "Số căn cước", "full_name": "Tên đầy đủ", "address": "Địa chỉ"}, "parallel": true}'""",
    "extract_boxes": """curl -X POST http://localhost:8000/id_card_scan/extract \\
  -F "image_file=@id_card.jpg" \\
  -F "hard_token=your-token" \\
  -F 'config={"info": {"id_number": "Số căn cước", "full_name": "Tên đầy đủ"}, "display_text_box": true}'""",
}

PYTHON_EXAMPLE = """import requests

# OCR endpoint
url = "http://localhost:8000/id_card_scan/ocr"
files = {'image_file': open('id_card.jpg', 'rb')}
data = {'hard_token': 'your-token'}

response = requests.post(url, files=files, data=data)
print(response.json())

# Extract endpoint
url = "http://localhost:8000/id_card_scan/extract"
files = {'image_file': open('id_card.jpg', 'rb')}
data = {
    'hard_token': 'your-token',
    'config': '{"info": {"id_number": "Số căn cước (12 số)", "full_name": "Họ và tên", "address":"Địa chỉ thường trú", "date_of_birth": "Ngày sinh"}, "parallel": true, "display_text_box":false}'
}

response = requests.post(url, files=files, data=data)
print(response.json())
"""


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The examples' image files: generated cards (seed, kind).
CARDS = {
    "id_card.jpg": (21, "chip_cccd_front"),
    "image1.jpg": (22, "chip_cccd_front"),
    "image2.jpg": (23, "can_cuoc_2024_front"),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spec")
    for name, (seed, kind) in CARDS.items():
        (folder / name).write_bytes(
            encode(render_card(seed=seed, kind=kind).image, "JPEG", quality=90)
        )
    return folder


@pytest.fixture(scope="module")
def gunicorn(workdir: Path) -> Iterator[str]:
    port = 8000 if _port_is_free(8000) else _free_port()
    with gunicorn_process(workdir, port, HARD_TOKEN="your-token"):
        yield f"localhost:{port}"


def _run_curl(example: str, base: str, workdir: Path) -> dict:
    assert shutil.which("curl"), "curl is needed (apt-get install curl)"
    command = example.replace("localhost:8000", base)
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def _check_ocr_success(body: dict, filenames: list[str], *, boxes: bool) -> None:
    assert set(body) == {"success", "message", "trace_id", "data"}
    assert body["success"] is True and body["message"] == "OCR processing completed"
    assert len(body["trace_id"]) == 36
    data = body["data"]
    assert data["processed_count"] == len(filenames) and data["error_count"] == 0
    assert [r["filename"] for r in data["results"]] == filenames
    for result in data["results"]:
        assert set(result["processing_time"]) == {"detection_ms", "recognition_ms"}
        if boxes:
            assert result["ocr_data"] and "text_lines" not in result
            for line in result["ocr_data"]:
                assert isinstance(line["text"], str) and line["text"]
                assert 0.0 <= line["confidence"] <= 1.0
                assert len(line["box"]) == 4 and all(len(p) == 2 for p in line["box"])
            assert result["ocr_data"][0]["text"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        else:
            assert "ocr_data" not in result and result["text_lines"]


def _check_extract_success(
    body: dict, filenames: list[str], keys: list[str], *, boxes: bool
) -> None:
    assert body["success"] is True and body["message"] == "Extraction completed successfully"
    data = body["data"]
    assert data["processed_count"] == len(filenames) and data["error_count"] == 0
    for result, filename in zip(data["results"], filenames, strict=True):
        assert result["filename"] == filename
        assert list(result["extracted_fields"]) == keys
        # No LLM in this service: the chip cards' QR codes answer what they carry, the
        # printed labels the rest (SPEC's "address" means the residence); a field the side
        # does not print is null with its reason.
        seed, kind = CARDS[filename]
        printed = render_card(seed=seed, kind=kind).fields
        for key, value in result["extracted_fields"].items():
            catalogue_key = {"address": "place_of_residence"}.get(key, key)
            detail = result["field_details"][key]
            if catalogue_key in printed and kind == "chip_cccd_front":
                assert value == printed[catalogue_key], key
                assert detail["source"] == "qr"
            elif catalogue_key in printed:
                # Read from the printed text: accuracy is bench/accuracy.py's business.
                assert value and detail["source"] == "rules", detail
            else:
                assert value is None
                assert detail["problems"][0].startswith("NOT_ON_CARD"), detail
        assert set(result["processing_time"]) == {"ocr_ms", "extraction_ms"}
        assert ("ocr_data" in result) is boxes


def test_curl_examples(gunicorn: str, workdir: Path) -> None:
    health = _run_curl(CURL_EXAMPLES["health"], gunicorn, workdir)
    assert health["success"] is True
    assert health["message"] == "OCR API is running" and health["status"] == "healthy"

    _check_ocr_success(
        _run_curl(CURL_EXAMPLES["ocr_single"], gunicorn, workdir), ["id_card.jpg"], boxes=True
    )
    _check_ocr_success(
        _run_curl(CURL_EXAMPLES["ocr_multiple"], gunicorn, workdir),
        ["image1.jpg", "image2.jpg"],
        boxes=True,
    )
    _check_ocr_success(
        _run_curl(CURL_EXAMPLES["ocr_header"], gunicorn, workdir), ["id_card.jpg"], boxes=True
    )
    _check_ocr_success(
        _run_curl(CURL_EXAMPLES["ocr_no_boxes"], gunicorn, workdir), ["id_card.jpg"], boxes=False
    )
    _check_extract_success(
        _run_curl(CURL_EXAMPLES["extract_single"], gunicorn, workdir),
        ["id_card.jpg"],
        ["id_number", "full_name", "date_of_birth"],
        boxes=False,
    )
    _check_extract_success(
        _run_curl(CURL_EXAMPLES["extract_multiple"], gunicorn, workdir),
        ["image1.jpg", "image2.jpg"],
        ["id_number", "full_name", "address"],
        boxes=False,
    )
    _check_extract_success(
        _run_curl(CURL_EXAMPLES["extract_boxes"], gunicorn, workdir),
        ["id_card.jpg"],
        ["id_number", "full_name"],
        boxes=True,
    )


def test_python_example(gunicorn: str, workdir: Path) -> None:
    script = PYTHON_EXAMPLE.replace("localhost:8000", gunicorn)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    ocr_line, extract_line = done.stdout.strip().splitlines()
    _check_ocr_success(ast.literal_eval(ocr_line), ["id_card.jpg"], boxes=True)
    _check_extract_success(
        ast.literal_eval(extract_line),
        ["id_card.jpg"],
        ["id_number", "full_name", "address", "date_of_birth"],
        boxes=False,
    )


def test_every_error_code_from_a_real_gunicorn(gunicorn: str, workdir: Path) -> None:
    url = f"http://{gunicorn}/id_card_scan"
    card = (workdir / "id_card.jpg").read_bytes()
    cases = [
        (
            dict(files={"image_file": ("a.jpg", card)}, data={"hard_token": "wrong"}),
            "ocr",
            401,
            "UNAUTHORIZED",
        ),
        (dict(data={"hard_token": "your-token"}), "ocr", 400, "MISSING_FILE"),
        (
            dict(files={"image_file": ("a.jpg", card)}, data={"hard_token": "your-token"}),
            "extract",
            400,
            "MISSING_CONFIG",
        ),
        (
            dict(
                files={"image_file": ("a.jpg", card)},
                data={"hard_token": "your-token", "config": "{"},
            ),
            "extract",
            400,
            "INVALID_CONFIG",
        ),
        (
            dict(files={"image_file": ("a.jpg", b"\x00" * 100)}, data={"hard_token": "your-token"}),
            "ocr",
            400,
            "INVALID_IMAGE",
        ),
    ]
    for kwargs, endpoint, status, code in cases:
        response = requests.post(f"{url}/{endpoint}", timeout=60, **kwargs)
        assert response.status_code == status, code
        body = response.json()
        assert body["success"] is False and body["error_code"] == code
        assert body["trace_id"] == response.headers["X-Trace-Id"]
        assert isinstance(body["message"], str) and body["message"]


def test_gunicorn_log_is_json_with_trace_ids_and_no_card_content(
    gunicorn: str, workdir: Path
) -> None:
    card = render_card(seed=21, kind="chip_cccd_front")
    response = requests.post(
        f"http://{gunicorn}/id_card_scan/ocr",
        files={"image_file": ("id_card.jpg", (workdir / "id_card.jpg").read_bytes())},
        data={"hard_token": "your-token"},
        timeout=60,
    )
    time.sleep(0.5)  # the worker's log line is written after the response
    log = (workdir / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    [request_line] = [r for r in records if r.get("trace_id") == response.headers["X-Trace-Id"]]
    assert request_line["endpoint"] == "/id_card_scan/ocr" and request_line["status"] == 200
    assert request_line["level"] == "INFO" and request_line["duration_ms"] > 0
    for value in card.fields.values():
        assert value not in log
    assert "your-token" not in log and "id_card.jpg" not in log


def test_metrics_from_gunicorn_workers(gunicorn: str, workdir: Path) -> None:
    card = (workdir / "id_card.jpg").read_bytes()
    url = f"http://{gunicorn}"

    def ocr_count() -> float:
        text = requests.get(f"{url}/metrics", timeout=10).text
        pattern = r'id_card_scan_images_total\{endpoint="ocr",outcome="ok"\} ([0-9.e+]+)'
        found = re.search(pattern, text)
        return float(found.group(1)) if found else 0.0

    before = ocr_count()
    for _ in range(2):
        requests.post(
            f"{url}/id_card_scan/ocr",
            files={"image_file": ("a.jpg", card)},
            data={"hard_token": "your-token"},
            timeout=60,
        )
    assert ocr_count() - before == 2
