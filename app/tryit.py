"""The try-it page at ``/`` and ``/id_card_scan/``: static files, calling the API itself."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

tryit_blueprint = Blueprint("tryit", __name__)


@tryit_blueprint.get("/")
@tryit_blueprint.get("/id_card_scan/")
def index() -> Response:
    response = send_from_directory(current_app.static_folder or "static", "tryit/index.html")
    # Its scripts and styles are this server's own; nothing else may load or run.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'"
    )
    return response
