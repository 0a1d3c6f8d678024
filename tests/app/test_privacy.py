"""Card images stay in memory: nothing of an upload is spooled to a temporary file."""

import io

from werkzeug.test import EnvironBuilder

from app import InMemoryRequest


def test_large_uploads_are_held_in_memory() -> None:
    payload = b"\xff\xd8" + b"\x00" * (3 * 1024 * 1024)  # well over Werkzeug's 500 KB spool
    builder = EnvironBuilder(method="POST", data={"image_file": (io.BytesIO(payload), "card.jpg")})
    request = InMemoryRequest(builder.get_environ())
    stream = request.files["image_file"].stream
    assert isinstance(stream, io.BytesIO)
    assert stream.getvalue() == payload
