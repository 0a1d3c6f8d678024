"""Where images are read: this process's pipeline, or a running service over HTTP.

Both return, for each image, the record the API puts in ``data.results``: a result, or
``{filename, error_code, message}`` for an image that failed. A failure that would fail
every image (no server, wrong token) raises :class:`BackendUnavailable` instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx

from id_card_scan import __version__, records
from id_card_scan.cli.errors import BackendUnavailable, FileError
from id_card_scan.cli.fields import ExtractRequest
from id_card_scan.errors import IdCardScanError, ProcessingError
from id_card_scan.pipeline import Pipeline

log = logging.getLogger(__name__)

Record = dict[str, Any]


class Backend(Protocol):
    def ocr(self, path: Path, name: str, *, display_text_box: bool) -> Record: ...

    def extract(self, path: Path, name: str, request: ExtractRequest) -> Record: ...

    def close(self) -> None: ...


def read_file(path: Path, *, max_bytes: int | None = None) -> bytes:
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            # The service refuses such a body with this code; in-process we refuse it too,
            # rather than read an arbitrarily large file into memory.
            raise FileError(
                "PAYLOAD_TOO_LARGE", f"the file is larger than {max_bytes} bytes (MAX_REQUEST_MB)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise FileError("FILE_UNREADABLE", f"cannot read the file: {exc.strerror}") from None


class LocalBackend:
    """The pipeline in this process, with the service's per-image error handling."""

    def __init__(self, pipeline: Pipeline, *, owned: bool) -> None:
        self.pipeline = pipeline
        # A pipeline passed in by the caller (tests reuse one) is the caller's to close.
        self.owned = owned

    def ocr(self, path: Path, name: str, *, display_text_box: bool) -> Record:
        return self._guarded(
            name,
            lambda: records.ocr_item(
                name, self.pipeline.read(self._read(path)), display_text_box=display_text_box
            ),
        )

    def extract(self, path: Path, name: str, request: ExtractRequest) -> Record:
        return self._guarded(
            name,
            lambda: records.extract_item(
                name,
                self.pipeline.extract(self._read(path), request.options),
                display_text_box=request.display_text_box,
            ),
        )

    def _read(self, path: Path) -> bytes:
        return read_file(path, max_bytes=self.pipeline.settings.max_request_bytes)

    def _guarded(self, name: str, process: Callable[[], Record]) -> Record:
        try:
            return process()
        except IdCardScanError as error:
            return records.error_item(name, error)
        except Exception as error:  # an engine bug on one image must not lose the others
            # The type only: a third-party message can quote its input, i.e. card content.
            log.error("processing an image failed: %s", type(error).__name__)
            failure = ProcessingError("internal error while processing this image")
            return records.error_item(name, failure)

    def close(self) -> None:
        if self.owned:
            self.pipeline.close()


class RemoteBackend:
    """One request per image to ``/id_card_scan/ocr`` or ``/extract`` of a service."""

    def __init__(self, base_url: str, *, token: str | None, timeout: float) -> None:
        self.base_url = base_url
        headers = {"User-Agent": f"id-card-scan-cli/{__version__}"}
        if token:
            headers["X-API-Token"] = token
        # A short connect timeout: a server that is not there should fail the run quickly;
        # the read timeout covers OCR and the LLM on the server side.
        self.client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0))
        )

    def ocr(self, path: Path, name: str, *, display_text_box: bool) -> Record:
        form = {"display_text_box": "true" if display_text_box else "false"}
        return self._post("/id_card_scan/ocr", path, name, form)

    def extract(self, path: Path, name: str, request: ExtractRequest) -> Record:
        form = {"config": json.dumps(request.config(), ensure_ascii=False)}
        return self._post("/id_card_scan/extract", path, name, form)

    def _post(self, endpoint: str, path: Path, name: str, form: dict[str, str]) -> Record:
        try:
            data = read_file(path)
        except FileError as error:
            return records.error_item(name, error)
        url = self.base_url + endpoint
        try:
            response = self.client.post(url, data=form, files={"image_file": (path.name, data)})
        except (httpx.ConnectTimeout, httpx.PoolTimeout):
            raise BackendUnavailable(
                f"cannot reach {self.base_url}: connection timed out"
            ) from None
        except httpx.TimeoutException:
            # The server took this image but not in time: this image failed, not the run.
            return records.error_item(
                name, FileError("REQUEST_TIMEOUT", "the server did not answer in time")
            )
        except httpx.HTTPError as exc:
            raise BackendUnavailable(
                f"cannot reach {self.base_url}: {type(exc).__name__}"
            ) from None
        record = _record_of(response)
        # The server names the upload; the record names the local file, as in-process.
        record["filename"] = name
        return record

    def close(self) -> None:
        self.client.close()


def _record_of(response: httpx.Response) -> Record:
    """The single per-image record in a response, or why the request failed as a whole."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BackendUnavailable(
            f"unexpected answer from the server (HTTP {response.status_code}, not the API's "
            "JSON): is --url the id-card-scan service?"
        )
    data = body.get("data")
    # Every per-image outcome, success or failure, comes with data.results (when the only
    # image fails, inside an error body with that image's status).
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        results = data["results"]
        if len(results) == 1 and isinstance(results[0], dict):
            return results[0]
    code = str(body.get("error_code") or "UNKNOWN")
    if response.status_code == 413:
        # One image per request: a body over MAX_REQUEST_MB is this image's size.
        return {"filename": "", "error_code": code, "message": str(body.get("message", ""))}
    # The API's messages never quote card content (docs/api.md), so they can be shown.
    message = str(body.get("message") or "")
    hint = " (check --token or ID_CARD_SCAN_TOKEN)" if response.status_code == 401 else ""
    raise BackendUnavailable(
        f"the server refused the request: HTTP {response.status_code} {code}: {message}{hint}"
    )
