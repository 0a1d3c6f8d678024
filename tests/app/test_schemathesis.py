"""Requests generated from the served OpenAPI document by Schemathesis: no 5xx, and every
status, header, content type and body is the documented one. Bounded for CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.conftest import Server

pytestmark = pytest.mark.slow
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "unsupported_method",
    ]
)


def test_generated_requests_get_documented_answers(server: Server, tmp_path: Path) -> None:
    # Schemathesis' CLI, because its pytest plugin does not run under pytest 9 yet.
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert command, "schemathesis is not installed (scripts/setup.sh --test)"
    done = subprocess.run(
        [
            command,
            "run",
            server("/id_card_scan/openapi.json"),
            "--checks",
            CHECKS,
            "--max-examples",
            "30",
            "--seed",
            "20261126",
            "--request-timeout",
            "60",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # it keeps replay files in the working folder
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "passed" in done.stdout
