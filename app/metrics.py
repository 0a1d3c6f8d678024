"""Prometheus metrics at ``/metrics``: requests, errors, latency per stage, LLM tokens.

Under Gunicorn with several workers each worker counts on its own; when
``PROMETHEUS_MULTIPROC_DIR`` is set (gunicorn.conf.py sets it), prometheus_client keeps
the counts in files there and a scrape adds up every worker's. Only numbers are recorded:
no label carries card content.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """The service's metrics, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "id_card_scan_requests_total",
            "HTTP requests by endpoint, status and error code",
            ["endpoint", "status", "error_code"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "id_card_scan_request_seconds",
            "Request latency by endpoint",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.images = Counter(
            "id_card_scan_images_total",
            "Images processed, by endpoint and outcome (ok or an error code)",
            ["endpoint", "outcome"],
            registry=self.registry,
        )
        self.stage_seconds = Histogram(
            "id_card_scan_stage_seconds",
            "Time per image in each stage: decode, detection, recognition, llm",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.llm_requests = Counter(
            "id_card_scan_llm_requests_total", "Requests sent to the LLM", registry=self.registry
        )
        self.llm_tokens = Counter(
            "id_card_scan_llm_tokens_total",
            "LLM tokens as the server reports them, by kind (prompt, completion)",
            ["kind"],
            registry=self.registry,
        )

    def observe_stages(self, timings_ms: dict[str, float]) -> None:
        for key, stage in (
            ("decode_ms", "decode"),
            ("detection_ms", "detection"),
            ("recognition_ms", "recognition"),
        ):
            if key in timings_ms:
                self.stage_seconds.labels(stage).observe(timings_ms[key] / 1000)

    def exposition(self) -> bytes:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)
            return generate_latest(merged)
        return generate_latest(self.registry)


metrics_blueprint = Blueprint("metrics", __name__)


@metrics_blueprint.get("/metrics")
def metrics_endpoint() -> Response:
    from flask import current_app

    metrics: Metrics = current_app.extensions["id_card_scan.metrics"]
    return Response(metrics.exposition(), mimetype=CONTENT_TYPE_LATEST)
