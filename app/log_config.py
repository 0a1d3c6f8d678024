"""Logging: one JSON object per line (or plain text), each carrying the request's trace_id.

Log records say what happened (endpoint, status, timings, error types), never card content.
"""

from __future__ import annotations

import logging
import sys

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

from id_card_scan.settings import Settings

_HANDLER_NAME = "id-card-scan"


class TraceIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "trace_id"):
            record.trace_id = g.get("trace_id", "") if has_request_context() else ""
        return True


def configure_logging(settings: Settings) -> None:
    """Install one handler on the root logger (once per process)."""
    root = logging.getLogger()
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(TraceIdFilter())
    if settings.LOG_FORMAT == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(trace_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(trace_id)s] %(message)s")
        )
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.WARNING)
    for name in ("app", "id_card_scan"):
        logging.getLogger(name).setLevel(settings.LOG_LEVEL)
