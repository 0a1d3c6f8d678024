"""Serves the OpenAPI document that describes (and is tested against) the real responses."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from flask import Blueprint, Response, jsonify

openapi_blueprint = Blueprint("openapi", __name__, url_prefix="/id_card_scan")


@cache
def openapi_document() -> dict[str, Any]:
    text = resources.files("app").joinpath("openapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@openapi_blueprint.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi_document())
