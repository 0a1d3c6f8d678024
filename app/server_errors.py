"""Errors Gunicorn answers itself, before the app sees a request (a header over
``limit_request_field_size``, a malformed request line), in the spec's JSON format rather
than Gunicorn's HTML page. ``gunicorn.conf.py`` installs :func:`write_json_error`."""

from __future__ import annotations

import json
import socket
import uuid

from gunicorn import util

# What the client sent is never echoed: a request line or header may carry card data.
_ERRORS = {
    400: ("BAD_REQUEST", "Malformed request"),
    414: ("BAD_REQUEST", "Request line is too long"),
    431: ("HEADERS_TOO_LARGE", "Request headers are too large or too many"),
}


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Gunicorn's ``util.write_error``, answering in JSON."""
    code, message = _ERRORS.get(status_int, ("BAD_REQUEST", "Malformed request"))
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


def install() -> None:
    util.write_error = write_json_error
