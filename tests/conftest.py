"""Shared fixtures: settings free of the developer's .env, one pipeline per session."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from id_card_scan.pipeline import Pipeline
from id_card_scan.settings import Settings, load_settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    # env_file=None: a developer's own .env must not change what the tests check.
    return load_settings(env_file=None, HARD_TOKEN="")


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Iterator[Pipeline]:
    built = Pipeline.from_settings(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Chat-completions URL of a real llama-cpp-python server (SmolLM2), started once."""
    from tests.llm_server import llama_server

    with llama_server(tmp_path_factory.mktemp("llm") / "server.log") as url:
        yield url


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()
