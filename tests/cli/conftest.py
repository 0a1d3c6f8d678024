"""The real HTTP servers of tests/app, for the command's remote mode."""

from tests.app.conftest import card_jpeg, secured_server, server  # noqa: F401
