"""run.sh starts the API alone, and says why, when vLLM cannot be started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.gunicorn_process import wait_until_healthy

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
        log.flush()
        health = wait_until_healthy(port, process, tmp_path / "run.log")
        assert health.json()["status"] == "healthy"
        assert health.json()["components"]["llm"]["status"] == "unreachable"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    output = (tmp_path / "run.log").read_text()
    assert "starting the API alone" in output
    assert "no NVIDIA GPU" in output or "vLLM is not installed" in output


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:create_app()"],
        ["-m", "gunicorn", "--bind", "127.0.0.1:0", "app:create_app()"],
        [str(ROOT / "run.py")],
    ],
    ids=["gunicorn-conf", "plain-gunicorn", "run.py"],
)
def test_a_bad_setting_stops_the_start_with_one_clear_line(
    tmp_path: Path, command: list[str]
) -> None:
    env = dict(os.environ, TEXT_REC_CONF_THRESHOLD="5", PORT="8000")
    done = subprocess.run(
        [sys.executable, *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "id-card-scan: invalid configuration: TEXT_REC_CONF_THRESHOLD" in done.stderr
    assert "Traceback" not in done.stderr
