"""The project's exceptions: each carries a stable error code and an HTTP-like status.

Stages raise these; only the API layer turns them into responses. Messages must never
contain card content (text, names, numbers): they reach logs and clients.
"""

from __future__ import annotations


class IdCardScanError(Exception):
    """Base class: ``code`` is the machine-readable error code of the API."""

    code: str = "SYSTEM_ERROR"
    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidImageError(IdCardScanError):
    """The upload is empty, not an image, corrupt, or in a format we do not accept."""

    code = "INVALID_IMAGE"
    status = 400


class ImageTooLargeError(IdCardScanError):
    """The image is over the byte or pixel limit (decompression bombs land here)."""

    code = "IMAGE_TOO_LARGE"
    status = 413


class ModelLoadError(IdCardScanError):
    """A configured model or dictionary cannot be loaded; raised at start-up."""

    code = "SYSTEM_ERROR"
    status = 500


class ProcessingError(IdCardScanError):
    """An engine failed on one image for a reason that is not the image's fault."""

    code = "PROCESSING_ERROR"
    status = 500
