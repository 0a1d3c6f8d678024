"""Reading and validating the multipart form fields of SPEC's endpoints."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Literal

from flask import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.errors import ApiError
from id_card_scan.extraction import ExtractionOptions
from id_card_scan.settings import Settings

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check_token(request: Request, settings: Settings) -> None:
    """SPEC's auth: ``hard_token`` form field or ``X-API-Token`` header; off when unset."""
    if not settings.auth_enabled:
        return
    given = request.headers.get("X-API-Token") or request.form.get("hard_token") or ""
    # Hashing first makes the comparison's time independent of the given token's length.
    expected = hashlib.sha256(settings.HARD_TOKEN.encode()).digest()
    actual = hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest()
    if not hmac.compare_digest(expected, actual):
        raise ApiError("UNAUTHORIZED", "Invalid or missing authentication token", 401)


def read_uploads(request: Request, settings: Settings) -> list[Upload]:
    parts = request.files.getlist("image_file")
    if len(parts) > settings.MAX_FILES_PER_REQUEST:
        raise ApiError(
            "TOO_MANY_FILES",
            f"{len(parts)} files sent; at most {settings.MAX_FILES_PER_REQUEST} per request "
            "(MAX_FILES_PER_REQUEST)",
        )
    uploads = []
    for number, part in enumerate(parts, start=1):
        data = part.read()
        # Browsers send an empty, nameless part when no file was chosen: that is no file.
        if not part.filename and not data:
            continue
        uploads.append(Upload(filename=(part.filename or f"image_{number}")[:255], data=data))
    if not uploads:
        raise ApiError("MISSING_FILE", _why_no_file(request))
    return uploads


def _why_no_file(request: Request) -> str:
    """SPEC's message, and what went wrong where the client did send a part: a line break
    in its filename ends the part's header early (the part arrives as a text field), and
    a header that is not UTF-8 loses the part altogether."""
    message = "No image file provided (form field image_file)"
    if "image_file" in request.form:
        return (
            f"{message}: image_file came as a text field, not a file; its part's header "
            "has no filename (a line break in the filename ends the header early)"
        )
    sent = request.mimetype == "multipart/form-data" and (request.content_length or 0) > 0
    if sent and not request.files and not request.form:
        return (
            f"{message}: no part of the multipart body could be read (a part header "
            "that is not UTF-8, such as a filename with raw bytes, or a wrong boundary)"
        )
    return message


def parse_bool(value: str | None, *, name: str, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ApiError("INVALID_PARAMETER", f"{name} must be true or false")


class ExtractConfig(BaseModel):
    """SPEC's ``config`` JSON of ``/extract``; unknown keys are refused so typos show."""

    model_config = ConfigDict(extra="forbid", strict=True)

    info: dict[str, str] = Field(min_length=1, max_length=50)
    mode: Literal["one_call", "per_field"] = "one_call"
    parallel: bool = True
    batch_size: int = Field(3, ge=1, le=32)
    llm_timeout: float = Field(30.0, gt=0, le=600)
    display_text_box: bool = False

    @field_validator("llm_timeout", mode="before")
    @classmethod
    def _int_is_a_number(cls, value: object) -> object:
        # strict mode would refuse 30 for a float field; JSON does not tell them apart.
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    @field_validator("info")
    @classmethod
    def _sane_info(cls, info: dict[str, str]) -> dict[str, str]:
        for key, description in info.items():
            if not key.strip() or len(key) > 64:
                raise ValueError("each info key must be 1-64 characters")
            if len(description) > 500:
                raise ValueError("each info description must be at most 500 characters")
        return info


def parse_extract_config(raw: str | None, settings: Settings) -> tuple[ExtractionOptions, bool]:
    """The extraction options and ``display_text_box`` from the ``config`` form field."""
    if raw is None or not raw.strip():
        raise ApiError("MISSING_CONFIG", "No config JSON provided (form field config)")
    if "\ufffd" in raw:  # Werkzeug's replacement for bytes that are not UTF-8
        raise ApiError("INVALID_CONFIG", "config is not valid UTF-8 text")
    if len(raw.encode("utf-8", "surrogateescape")) > settings.MAX_CONFIG_BYTES:
        raise ApiError("INVALID_CONFIG", f"config is larger than {settings.MAX_CONFIG_BYTES} bytes")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError("INVALID_CONFIG", "config is not valid JSON") from None
    if not isinstance(document, dict):
        raise ApiError("INVALID_CONFIG", "config must be a JSON object")
    if "info" not in document:
        raise ApiError("INVALID_CONFIG", "config.info is required: field key -> description")
    try:
        config = ExtractConfig.model_validate(document)
    except (ValidationError, RecursionError) as exc:
        raise ApiError("INVALID_CONFIG", _describe(exc)) from None
    options = ExtractionOptions(
        fields=dict(config.info),
        mode=config.mode,
        parallel=config.parallel,
        batch_size=config.batch_size,
        llm_timeout=config.llm_timeout,
    )
    return options, config.display_text_box


def _describe(exc: Exception) -> str:
    if not isinstance(exc, ValidationError):
        return "config is nested too deeply"
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in error["loc"])
        problems.append(f"config.{where}: {error['msg']}" if where else error["msg"])
    return "; ".join(problems[:5])
