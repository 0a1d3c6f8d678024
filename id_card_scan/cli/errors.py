"""Failures that end a run, each mapped to one documented exit code."""

from __future__ import annotations

from id_card_scan.errors import IdCardScanError

EXIT_OK = 0
EXIT_IMAGE_ERRORS = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3


class UsageError(Exception):
    """The command line cannot be run as given (exit 2); the message says why."""


class BackendUnavailable(Exception):
    """The backend cannot process any image: the server is unreachable or refuses the
    request as a whole, or the in-process engine cannot be loaded (exit 3)."""


class FileError(IdCardScanError):
    """A per-image failure that only the command line can meet (the file cannot be read,
    the server did not answer in time); it becomes an error record like a bad image."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        # An instance attribute: these codes are not the API's, so no subclass per code.
        self.code = code
