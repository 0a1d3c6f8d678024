"""SPEC's endpoints. Parse, call the pipeline, format; nothing else happens here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from app.api.id_card_scan.parsing import (
    Upload,
    check_token,
    parse_bool,
    parse_extract_config,
    read_uploads,
)
from app.errors import error_response, log_exception
from app.metrics import Metrics
from id_card_scan.errors import IdCardScanError, ProcessingError
from id_card_scan.pipeline import Pipeline
from id_card_scan.records import error_item, extract_item, ocr_item
from id_card_scan.settings import Settings

blueprint = Blueprint("id_card_scan", __name__, url_prefix="/id_card_scan")


def _pipeline() -> Pipeline:
    return current_app.extensions["id_card_scan.pipeline"]


def _settings() -> Settings:
    return current_app.extensions["id_card_scan.settings"]


def _metrics() -> Metrics:
    return current_app.extensions["id_card_scan.metrics"]


@blueprint.get("/health")
def health() -> Response:
    pipeline = _pipeline()
    return jsonify(
        {
            "success": True,
            "message": "OCR API is running",
            "status": "healthy",
            "trace_id": g.trace_id,
            "components": {
                "ocr": {
                    "status": "ready",
                    "recognizer": pipeline.predictor.recognizer.name,
                },
                "llm": {"status": pipeline.llm_status()},
            },
        }
    )


@blueprint.get("/ready")
def ready() -> tuple[Response, int] | Response:
    """Readiness: models are loaded (they are, once a worker answers) and the LLM, when
    one is configured, answers. Liveness is /health."""
    llm = _pipeline().llm_status()
    if llm == "unreachable":
        return error_response("NOT_READY", "The LLM server does not answer", 503)
    return jsonify(
        {
            "success": True,
            "message": "Ready",
            "status": "ready",
            "trace_id": g.trace_id,
            "components": {"ocr": {"status": "ready"}, "llm": {"status": llm}},
        }
    )


@blueprint.post("/ocr")
def ocr() -> tuple[Response, int] | Response:
    settings = _settings()
    check_token(request, settings)
    display_text_box = parse_bool(
        request.form.get("display_text_box"), name="display_text_box", default=True
    )
    uploads = read_uploads(request, settings)
    pipeline, metrics = _pipeline(), _metrics()

    def process(upload: Upload) -> dict[str, Any]:
        result = pipeline.read(upload.data)
        metrics.observe_stages(result.timings_ms)
        return ocr_item(upload.filename, result, display_text_box=display_text_box)

    return _respond("ocr", uploads, process, message="OCR processing completed")


@blueprint.post("/extract")
def extract() -> tuple[Response, int] | Response:
    settings = _settings()
    check_token(request, settings)
    options, display_text_box = parse_extract_config(request.form.get("config"), settings)
    uploads = read_uploads(request, settings)
    pipeline, metrics = _pipeline(), _metrics()

    def process(upload: Upload) -> dict[str, Any]:
        result = pipeline.extract(upload.data, options)
        metrics.observe_stages(result.ocr.timings_ms)
        if result.llm_usage.requests:
            metrics.stage_seconds.labels("llm").observe(result.extraction_ms / 1000)
            metrics.llm_requests.inc(result.llm_usage.requests)
            metrics.llm_tokens.labels("prompt").inc(result.llm_usage.prompt_tokens)
            metrics.llm_tokens.labels("completion").inc(result.llm_usage.completion_tokens)
        return extract_item(upload.filename, result, display_text_box=display_text_box)

    return _respond("extract", uploads, process, message="Extraction completed successfully")


def _respond(
    endpoint: str,
    uploads: list[Upload],
    process: Callable[[Upload], dict[str, Any]],
    *,
    message: str,
) -> tuple[Response, int] | Response:
    """Process every upload; one bad image becomes an error entry, not a failed request."""
    results: list[dict[str, Any]] = []
    failures: list[IdCardScanError] = []
    images = _metrics().images
    for upload in uploads:
        try:
            results.append(process(upload))
            images.labels(endpoint, "ok").inc()
        except IdCardScanError as error:
            images.labels(endpoint, error.code).inc()
            failures.append(error)
            results.append(error_item(upload.filename, error))
        except Exception as error:  # an engine bug must not lose the other images
            log_exception("processing an image failed", error)
            failure = ProcessingError("internal error while processing this image")
            images.labels(endpoint, failure.code).inc()
            failures.append(failure)
            results.append(error_item(upload.filename, failure))
    data = {
        "results": results,
        "processed_count": len(uploads) - len(failures),
        "error_count": len(failures),
    }
    if failures and len(failures) == len(uploads):
        first = failures[0]
        return error_response(first.code, first.message, first.status, data=data)
    if failures:
        message += f" with {len(failures)} failed image(s)"
    return jsonify({"success": True, "message": message, "trace_id": g.trace_id, "data": data})
