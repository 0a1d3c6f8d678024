"""Every error leaves the service in SPEC's body: success, message, error_code, trace_id."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from id_card_scan.errors import IdCardScanError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A request-level error raised by the web layer."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def log_exception(what: str, error: BaseException) -> None:
    """Log an unexpected exception's type and frames, never its message.

    Messages of third-party exceptions can quote their input, i.e. card content.
    """
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("%s: %s (trace_id=%s)\n%s", what, type(error).__name__, g.get("trace_id", ""), frames)


def error_response(
    code: str, message: str, status: int, data: dict[str, object] | None = None
) -> tuple[Response, int]:
    g.error_code = code
    body: dict[str, object] = {
        "success": False,
        "message": message,
        "error_code": code,
        "trace_id": g.get("trace_id", ""),
    }
    if data is not None:
        body["data"] = data
    return jsonify(body), status


_HTTP_CODES = {
    404: ("NOT_FOUND", "No such endpoint"),
    405: ("METHOD_NOT_ALLOWED", "Method not allowed for this endpoint"),
    413: ("PAYLOAD_TOO_LARGE", "Request body is too large"),
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> tuple[Response, int]:
        return error_response(error.code, error.message, error.status)

    @app.errorhandler(IdCardScanError)
    def _domain_error(error: IdCardScanError) -> tuple[Response, int]:
        return error_response(error.code, error.message, error.status)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> tuple[Response, int]:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        message = "Request body is too large"
        if limit and (request.content_length or 0) <= limit:
            # Under the body's limit: one text field was over the form's, which is what
            # a file part whose header lost its filename (a line break in it) becomes.
            message = (
                "A form field is too large for a text field (limit "
                f"{app.config.get('MAX_FORM_MEMORY_SIZE', 0) // 1024} KB): send images as "
                "files; a line break in a filename turns its part into a text field"
            )
        elif limit:
            message += f" (limit {limit // (1024 * 1024)} MB; see MAX_REQUEST_MB)"
        return error_response("PAYLOAD_TOO_LARGE", message, 413)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        code, message = _HTTP_CODES.get(status, ("BAD_REQUEST", "Malformed request"))
        if status >= 500:
            code, message = "SYSTEM_ERROR", "Internal server error"
        response, status = error_response(code, message, status)
        allowed = getattr(error, "valid_methods", None)
        if allowed:  # RFC 9110: a 405 lists the methods that would work
            response.headers["Allow"] = ", ".join(allowed)
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response, int]:
        # The exception's text may quote card content: log its type only, with the trace.
        log_exception("unhandled error", error)
        return error_response("SYSTEM_ERROR", "Internal server error", 500)
