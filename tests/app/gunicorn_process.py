"""Start the service as operators do: Gunicorn with gunicorn.conf.py, in its own folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def wait_until_healthy(
    port: int, process: subprocess.Popen, log: Path, timeout: float = 90
) -> requests.Response:
    """Poll /health until it answers; fail with the service's log if it dies or stalls."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.get(f"http://127.0.0.1:{port}/id_card_scan/health", timeout=2)
            if response.ok:
                return response
        except (requests.ConnectionError, requests.Timeout):
            # Gunicorn's master accepts connections while its worker still loads the
            # models: a request can wait in the backlog for a few seconds.
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the service did not start:\n" + log.read_text())
        time.sleep(0.5)


@contextmanager
def gunicorn_process(workdir: Path, port: int, **env_overrides: str) -> Iterator[subprocess.Popen]:
    """Run Gunicorn in ``workdir`` (so a developer's .env does not apply), log to
    ``workdir/gunicorn.log``, wait for /health; stop it gracefully afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "TEXT_", "MAX_"))}
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1", PYTHONUNBUFFERED="1")
    env.update(env_overrides)
    with (workdir / "gunicorn.log").open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "app:create_app()",
            ],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_healthy(port, process, workdir / "gunicorn.log")
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            finally:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
