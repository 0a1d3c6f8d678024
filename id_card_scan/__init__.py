"""Reading Vietnamese identity cards: image -> text lines -> fields.

This package knows nothing of HTTP; the Flask layer lives in ``app/``.
"""

__version__ = "0.1.0"
