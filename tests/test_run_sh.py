"""run.sh starts the API alone, and says why, when vLLM cannot be started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_run_sh_without_gpu_starts_the_api_alone_and_says_so(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        LLM_MODEL="Qwen/Qwen2.5-7B-Instruct",
        PATH="/usr/bin:/bin",
    )
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        ["bash", str(ROOT / "run.sh")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/id_card_scan/health", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, (tmp_path / "run.log").read_text()
                assert time.monotonic() < deadline, "run.sh did not start the API"
                time.sleep(0.5)
        assert health.json()["status"] == "healthy"
        assert health.json()["components"]["llm"]["status"] == "unreachable"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    output = (tmp_path / "run.log").read_text()
    assert "starting the API alone" in output
    assert "no NVIDIA GPU" in output or "vLLM is not installed" in output
