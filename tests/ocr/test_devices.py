import logging

import numpy as np
import pytest

from id_card_scan.ocr.zoo import build_detector
from id_card_scan.settings import load_settings


def test_gpu_request_without_cuda_says_so_and_runs_on_cpu(caplog: pytest.LogCaptureFixture) -> None:
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this onnxruntime has CUDA: the fallback cannot be shown here")
    with caplog.at_level(logging.WARNING, logger="id_card_scan"):
        detector = build_detector(load_settings(env_file=None, DEVICE_GPU=0))
    assert "DEVICE_GPU=0" in caplog.text and "CPU" in caplog.text
    assert detector.detect(np.full((64, 64, 3), 255, dtype=np.uint8)) == []
