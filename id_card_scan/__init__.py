"""Reading Vietnamese identity cards: image -> text lines -> fields.

This package knows nothing of HTTP; the Flask layer lives in ``app/``.
"""

import os

__version__ = "0.1.0"

# onnxruntime writes a device id and a telemetry queue under ~/.cache unless this is set
# before its first session (``disable_telemetry_events()`` does not stop it). Every entry
# point (the API, the CLI, the benchmarks, a worker of the operator's) imports this
# package before any model loads; an operator who wants telemetry sets it to 0.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
