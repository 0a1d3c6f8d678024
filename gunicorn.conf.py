"""Gunicorn settings: ``gunicorn -c gunicorn.conf.py 'app:create_app()'``.

OCR is CPU-bound and already uses OCR_THREADS cores per request, so a few workers with a
few threads each keep the cores busy while some requests wait on I/O (uploads, the LLM).
Each worker loads its own models: about 400 MB resident once it has read a card, about
700 MB under 16 concurrent requests, flat over 1000 requests (bench/load_test.py).
A stop (SIGTERM) lets requests in flight finish for up to graceful_timeout seconds.
"""

import json
import multiprocessing
import os
import shutil
import socket
import sys
import tempfile
import uuid

from gunicorn import util

from id_card_scan.settings import SettingsError, load_settings

try:
    _settings = load_settings()
except SettingsError as error:  # a clear line rather than a traceback
    sys.exit(f"id-card-scan: {error}")

bind = f"{_settings.HOST}:{_settings.PORT}"
# WEB_CONCURRENCY is Gunicorn's own convention for the worker count.
workers = int(os.environ.get("WEB_CONCURRENCY", max(1, multiprocessing.cpu_count() // 2)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests (each worker at its own count, by the
# jitter), so that whatever memory a run of large images left behind is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))
keepalive = 5
# The app logs each request itself (JSON, with its trace_id); Gunicorn's own access line
# would repeat it without the trace.
accesslog = None
errorlog = "-"
loglevel = _settings.LOG_LEVEL.lower()

# Prometheus counts per worker in files (numbers only) that a scrape adds up.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="id-card-scan-metrics-")
    _own_metrics_dir = True
else:
    _own_metrics_dir = False


def child_exit(server: object, worker: object) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def on_exit(server: object) -> None:
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


# Gunicorn's own refusals, before the app sees a request (a header over
# limit_request_field_size: 431; a malformed request line: 400), in the spec's JSON format
# rather than its HTML page. Defined here, not in the app package: importing that in the
# master would set up its Prometheus counters before PROMETHEUS_MULTIPROC_DIR applies.
# What the client sent is never echoed: a request line or header may carry card data.
_SERVER_ERRORS = {
    400: ("BAD_REQUEST", "Malformed request"),
    414: ("BAD_REQUEST", "Request line is too long"),
    431: ("HEADERS_TOO_LARGE", "Request headers are too large or too many"),
}


def _write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    code, message = _SERVER_ERRORS.get(status_int, ("BAD_REQUEST", "Malformed request"))
    trace_id = str(uuid.uuid4())
    body = json.dumps(
        {"success": False, "message": message, "error_code": code, "trace_id": trace_id}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nX-Trace-Id: {trace_id}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = _write_json_error
