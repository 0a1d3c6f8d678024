"""The inference-session wrapper writes nothing outside the process: no telemetry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LOAD_A_MODEL = """
from id_card_scan.ocr.inference import OnnxSession
from id_card_scan.ocr.recognition.trueocr import packaged_trueocr_model
OnnxSession(packaged_trueocr_model() / "rec.onnx")
"""


def test_loading_a_model_writes_nothing_under_home(tmp_path: Path) -> None:
    # A new process whose environment does not turn telemetry off, with an empty home:
    # onnxruntime would write a device id under ~/.cache/Microsoft.
    unset = ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env["HOME"] = str(tmp_path)
    subprocess.run([sys.executable, "-c", LOAD_A_MODEL], env=env, check=True, timeout=120)
    assert [path.relative_to(tmp_path) for path in tmp_path.rglob("*")] == []
