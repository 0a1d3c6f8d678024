"""Faults we cannot cause with real input: an engine that crashes, a bug in the web layer.

They must give SPEC's error body, keep the other images, and leak neither a stack trace
nor the crashing data to the client or the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import numpy as np
import pytest
import requests

from id_card_scan.ocr import OcrPredictor
from id_card_scan.ocr.types import Recognition
from id_card_scan.pipeline import Pipeline
from id_card_scan.settings import Settings
from tests.app.conftest import Server, _serve

SECRET = "NGUYỄN VĂN BÍ MẬT 079094012345"


class CrashingRecognizer:
    """Recognizer that always fails, quoting card text in its message."""

    name = "crashing"

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        raise RuntimeError(f"engine exploded while reading {SECRET}")

    def close(self) -> None:
        return None


@pytest.fixture(scope="module")
def crashing_server(settings: Settings, pipeline: Pipeline) -> Iterator[Server]:
    broken = Pipeline(
        settings,
        OcrPredictor(pipeline.predictor.detector, CrashingRecognizer()),
        pipeline.extractor,
    )
    yield from _serve(settings, broken)


def test_engine_crash_is_a_per_image_error_without_details(
    crashing_server: Server, card_jpeg: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = requests.post(
            crashing_server("/id_card_scan/ocr"),
            files=[("image_file", ("a.jpg", card_jpeg)), ("image_file", ("b.jpg", b"junk"))],
            timeout=60,
        )
    assert response.status_code == 500
    body = response.json()
    assert body["error_code"] == "PROCESSING_ERROR"
    assert [r["error_code"] for r in body["data"]["results"]] == [
        "PROCESSING_ERROR",
        "INVALID_IMAGE",
    ]
    assert SECRET not in response.text and "Traceback" not in response.text
    assert "RuntimeError" in caplog.text and body["trace_id"] in caplog.text
    assert SECRET not in caplog.text


def test_a_bug_in_the_web_layer_is_system_error(
    server: Server,
    card_jpeg: bytes,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(SECRET)

    monkeypatch.setattr("app.api.id_card_scan.routes.read_uploads", broken)
    with caplog.at_level(logging.ERROR):
        response = requests.post(
            server("/id_card_scan/ocr"), files={"image_file": ("a.jpg", card_jpeg)}, timeout=60
        )
    assert response.status_code == 500
    assert response.json() == {
        "success": False,
        "message": "Internal server error",
        "error_code": "SYSTEM_ERROR",
        "trace_id": response.headers["X-Trace-Id"],
    }
    assert "KeyError" in caplog.text
    assert SECRET not in caplog.text
