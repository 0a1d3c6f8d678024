"""Metrics, readiness and logs, through real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from id_card_scan.pipeline import Pipeline
from id_card_scan.settings import Settings
from tests.app.conftest import Server, _serve
from tests.llm_server import free_port


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_images_stages_and_errors(
    server: Server, secured_server: Server, card_jpeg: bytes
) -> None:
    before = requests.get(server("/metrics"), timeout=10).text
    requests.post(
        server("/id_card_scan/ocr"),
        files=[("image_file", ("a.jpg", card_jpeg)), ("image_file", ("b.jpg", b"nope"))],
        timeout=60,
    )
    after = requests.get(server("/metrics"), timeout=10)
    assert after.headers["Content-Type"].startswith("text/plain")
    text = after.text

    def grew(name: str, **labels: str) -> float:
        return _metric(text, name, **labels) - _metric(before, name, **labels)

    assert grew("id_card_scan_requests_total", endpoint="/id_card_scan/ocr", status="200") == 1
    assert grew("id_card_scan_images_total", endpoint="ocr", outcome="ok") == 1
    assert grew("id_card_scan_images_total", endpoint="ocr", outcome="INVALID_IMAGE") == 1
    for stage in ("decode", "detection", "recognition"):
        assert grew("id_card_scan_stage_seconds_count", stage=stage) == 1
    # Metrics are per app: the secured one saw its own 401.
    requests.post(secured_server("/id_card_scan/ocr"), data={"hard_token": "x"}, timeout=10)
    secured = requests.get(secured_server("/metrics"), timeout=10).text
    assert (
        _metric(secured, "id_card_scan_requests_total", status="401", error_code="UNAUTHORIZED")
        >= 1
    )


def test_ready_without_an_llm(server: Server) -> None:
    response = requests.get(server("/id_card_scan/ready"), timeout=10)
    assert response.status_code == 200
    assert response.json()["components"]["llm"] == {"status": "not_configured"}


@pytest.fixture(scope="module")
def server_with_dead_llm(settings: Settings, pipeline: Pipeline) -> Iterator[Server]:
    from id_card_scan.extraction.llm import LlmExtractor
    from id_card_scan.llm import ChatClient

    url = f"http://127.0.0.1:{free_port()}/v1/chat/completions"
    configured = settings.model_copy(update={"LLM_MODEL": "m", "LLM_API_URL": url})
    broken = Pipeline(configured, pipeline.predictor, LlmExtractor(ChatClient(url, "m")))
    yield from _serve(configured, broken)


def test_not_ready_while_the_llm_does_not_answer_but_still_alive(
    server_with_dead_llm: Server,
) -> None:
    ready = requests.get(server_with_dead_llm("/id_card_scan/ready"), timeout=10)
    assert ready.status_code == 503
    assert ready.json()["error_code"] == "NOT_READY"
    health = requests.get(server_with_dead_llm("/id_card_scan/health"), timeout=10)
    assert health.status_code == 200
    assert health.json()["components"]["llm"]["status"] == "unreachable"
