"""A scripted HTTP server for LLM faults a real server will not produce on demand
(HTTP 500, a body that is not JSON, prose instead of JSON, an answer trickled a byte at a
time), and for counting how many requests a client has in flight at once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ScriptedLlm:
    url: str
    received: list[dict] = field(default_factory=list)
    peak_in_flight: int = 0
    pings: int = 0  # GET requests (the models list health checks ask for)


@contextmanager
def scripted_llm(
    status: int = 200,
    content: str | None = None,
    body: bytes | None = None,
    delay: float = 0.0,
    trickle: float = 0.0,
) -> Iterator[ScriptedLlm]:
    """``trickle``: seconds between the body's bytes, each sent on its own."""
    lock = threading.Lock()
    in_flight = 0
    script = ScriptedLlm(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                script.pings += 1
            payload = b'{"object": "list", "data": [{"id": "m"}]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            nonlocal in_flight
            length = int(self.headers.get("Content-Length", 0))
            with lock:
                script.received.append(json.loads(self.rfile.read(length)))
                in_flight += 1
                script.peak_in_flight = max(script.peak_in_flight, in_flight)
            time.sleep(delay)
            with lock:
                in_flight -= 1
            payload = body
            if payload is None:
                answer = {
                    "choices": [{"message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5},
                }
                payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not trickle:
                self.wfile.write(payload)
                return
            try:
                for index in range(len(payload)):
                    self.wfile.write(payload[index : index + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
            except OSError:  # the client gave up: what the test expects
                return

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    script.url = f"http://127.0.0.1:{server.server_port}/v1/chat/completions"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        thread.join(timeout=5)
