"""The web layer: ``create_app()`` builds settings and engines once, then serves SPEC's API."""

from __future__ import annotations

import io
import logging
import re
import sys
import time
import uuid

from flask import Flask, Request, Response, g, request

from app.log_config import configure_logging
from app.metrics import Metrics
from id_card_scan.pipeline import Pipeline
from id_card_scan.settings import Settings, SettingsError, load_settings

log = logging.getLogger("app")

# A caller may pass its own trace id; anything else is replaced, so logs stay clean.
_TRACE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class InMemoryRequest(Request):
    """Keeps uploaded files in memory: Werkzeug spools parts over 500 KB to a temporary
    file, and card images must never touch the disk. MAX_REQUEST_MB bounds the memory."""

    def _get_file_stream(  # type: ignore[override]
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> io.BytesIO:
        return io.BytesIO()


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> Flask:
    """Application factory (``gunicorn 'app:create_app()'``).

    Settings come from the environment and ``.env`` unless given; a bad value stops the
    start with a message naming the variable.
    """
    if settings is None:
        try:
            settings = load_settings()
        except SettingsError as error:
            # One line for the operator, not a traceback; exit status 3 is Gunicorn's
            # "worker failed to boot", which stops the master instead of a restart loop.
            print(f"id-card-scan: {error}", file=sys.stderr)
            raise SystemExit(3) from None
    configure_logging(settings)

    app = Flask(__name__)
    app.request_class = InMemoryRequest
    app.config.update(
        DEBUG=settings.DEBUG,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        # Non-file form fields (config, tokens) are held in memory: bound them.
        MAX_FORM_MEMORY_SIZE=max(settings.MAX_CONFIG_BYTES * 2, 64 * 1024),
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.extensions["id_card_scan.settings"] = settings
    app.extensions["id_card_scan.pipeline"] = pipeline or Pipeline.from_settings(settings)
    app.extensions["id_card_scan.metrics"] = Metrics()

    from app.api.id_card_scan import blueprint
    from app.errors import register_error_handlers
    from app.metrics import metrics_blueprint
    from app.openapi import openapi_blueprint
    from app.tryit import tryit_blueprint

    app.register_blueprint(blueprint)
    app.register_blueprint(openapi_blueprint)
    app.register_blueprint(tryit_blueprint)
    app.register_blueprint(metrics_blueprint)
    register_error_handlers(app)
    _register_tracing(app)
    log.info(
        "id-card-scan ready: auth %s, LLM %s",
        "on" if settings.auth_enabled else "off",
        "configured" if settings.llm_configured else "not configured",
    )
    return app


def _register_tracing(app: Flask) -> None:
    @app.before_request
    def _start_trace() -> None:
        given = request.headers.get("X-Trace-Id", "")
        g.trace_id = given if _TRACE_ID.match(given) else str(uuid.uuid4())
        g.started = time.perf_counter()

    @app.after_request
    def _finish_trace(response: Response) -> Response:
        response.headers["X-Trace-Id"] = g.get("trace_id", "")
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics: Metrics = app.extensions["id_card_scan.metrics"]
        if endpoint != "/metrics":
            metrics.requests.labels(
                endpoint, str(response.status_code), g.get("error_code", "")
            ).inc()
            metrics.request_seconds.labels(endpoint).observe(elapsed)
        # Method, route and status only: no form fields, file names or bodies.
        log.info(
            "%s %s %d %.1fms",
            request.method,
            endpoint,
            response.status_code,
            elapsed * 1000,
            extra={
                "endpoint": endpoint,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
                "error_code": g.get("error_code", ""),
            },
        )
        return response
