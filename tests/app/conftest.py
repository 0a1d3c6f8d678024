"""A real HTTP server (Werkzeug, threaded) around the real app, on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from app import create_app
from id_card_scan.pipeline import Pipeline
from id_card_scan.settings import Settings
from id_card_scan.synth import capture, render_card
from tests.conftest import encode

TOKEN = "test-token-7f3a"


@dataclass
class Server:
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


def _serve(settings: Settings, pipeline: Pipeline) -> Iterator[Server]:
    app = create_app(settings, pipeline=pipeline)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def server(settings: Settings, pipeline: Pipeline) -> Iterator[Server]:
    """Auth off, default limits."""
    yield from _serve(settings, pipeline)


@pytest.fixture(scope="session")
def secured_server(settings: Settings, pipeline: Pipeline) -> Iterator[Server]:
    """HARD_TOKEN set; small limits so that they can be reached cheaply."""
    limited = settings.model_copy(
        update={"HARD_TOKEN": TOKEN, "MAX_FILES_PER_REQUEST": 3, "MAX_REQUEST_MB": 2.0}
    )
    yield from _serve(limited, pipeline)


@pytest.fixture(scope="session")
def card_jpeg() -> bytes:
    """A chip CCCD front as a flat scan, JPEG-encoded."""
    return encode(render_card(seed=11, kind="chip_cccd_front").image, "JPEG", quality=92)


@pytest.fixture(scope="session")
def make_card() -> Callable[..., bytes]:
    def make(seed: int, kind: str = "chip_cccd_front", variant: str = "flat") -> bytes:
        card = capture(render_card(seed=seed, kind=kind), seed=seed, variant=variant)
        return encode(card.image, "JPEG", quality=92)

    return make
