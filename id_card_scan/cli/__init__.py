"""The ``id-card-scan`` command: OCR and field extraction on image files, from a shell.

It runs the pipeline in this process, or sends each image to a running service
(``--url``); either way every image gives the same JSON record as the HTTP API.
"""

from id_card_scan.cli.main import main

__all__ = ["main"]
