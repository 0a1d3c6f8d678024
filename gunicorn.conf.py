"""Gunicorn settings: ``gunicorn -c gunicorn.conf.py 'app:create_app()'``.

OCR is CPU-bound and already uses OCR_THREADS cores per request, so a few workers with a
few threads each keep the cores busy while some requests wait on I/O (uploads, the LLM).
Each worker loads its own models: about 400 MB resident once it has read a card, about
700 MB under 16 concurrent requests, flat over 1000 requests (bench/load_test.py).
A stop (SIGTERM) lets requests in flight finish for up to graceful_timeout seconds.
"""

import multiprocessing
import os
import shutil
import sys
import tempfile

from app.server_errors import install as install_json_errors
from id_card_scan.settings import SettingsError, load_settings

# Gunicorn's own refusals (a header over its limit: 431) in the spec's JSON format.
install_json_errors()

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
