"""One small wrapper over the two runtimes that PaddleOCR models come in.

A model is either an ``.onnx`` file (run by onnxruntime) or a Paddle inference folder
(``inference.pdmodel`` + ``inference.pdiparams``, run by Paddle Inference, an optional
dependency). Both take one float32 NCHW batch and return the first output.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from id_card_scan.errors import ModelLoadError

log = logging.getLogger(__name__)


class InferenceSession(Protocol):
    def run(self, batch: np.ndarray) -> np.ndarray: ...

    @property
    def metadata(self) -> dict[str, str]: ...


class OnnxSession:
    """onnxruntime session; ``run`` is thread-safe (onnxruntime guarantees it)."""

    def __init__(
        self,
        model_path: Path,
        *,
        device_gpu: int = -1,
        threads: int = 0,
        model_bytes: bytes | None = None,
    ) -> None:
        """``model_bytes``, where given, is the model to run: ``model_path`` edited in
        memory (an output added); the path then only names it in messages."""
        import onnxruntime as ort

        # onnxruntime otherwise writes a telemetry device id under ~/.cache.
        ort.disable_telemetry_events()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # The arena keeps the largest buffers any image ever needed; without it memory
        # follows the current image (as RapidOCR configures it).
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 3
        providers: list[object] = ["CPUExecutionProvider"]
        if device_gpu >= 0:
            if "CUDAExecutionProvider" in ort.get_available_providers():
                providers.insert(0, ("CUDAExecutionProvider", {"device_id": device_gpu}))
            else:
                log.warning(
                    "DEVICE_GPU=%d but this onnxruntime has no CUDA provider; "
                    "running %s on the CPU",
                    device_gpu,
                    model_path.name,
                )
        try:
            self._session = ort.InferenceSession(
                model_bytes if model_bytes is not None else str(model_path),
                sess_options=options,
                providers=providers,
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelLoadError(f"cannot load ONNX model {model_path}: {exc}") from exc
        self._input_name = self._session.get_inputs()[0].name
        self._metadata = dict(self._session.get_modelmeta().custom_metadata_map)

    @property
    def metadata(self) -> dict[str, str]:
        return self._metadata

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self._session.run(None, {self._input_name: batch})[0]

    @property
    def input_names(self) -> list[str]:
        return [node.name for node in self._session.get_inputs()]

    @property
    def output_names(self) -> list[str]:
        return [node.name for node in self._session.get_outputs()]

    def run_named(self, feeds: dict[str, np.ndarray], outputs: list[str]) -> list[np.ndarray]:
        """For models with several inputs and outputs (a line batch and its widths)."""
        return list(self._session.run(outputs, feeds))


class PaddleSession:
    """Paddle Inference predictor; one predictor is not thread-safe, so runs take a lock."""

    def __init__(self, model_dir: Path, *, device_gpu: int = -1, threads: int = 1) -> None:
        try:
            from paddle import inference
        except ImportError as exc:
            raise ModelLoadError(
                f"{model_dir} is a Paddle inference model, which needs the optional "
                "dependency paddlepaddle: pip install 'id-card-scan[paddle]'"
            ) from exc
        model_file, params_file = _paddle_files(model_dir)
        config = inference.Config(str(model_file), str(params_file))
        if device_gpu >= 0:
            # `is_compiled_with_cuda` is False on the CPU wheel.
            import paddle

            if paddle.device.is_compiled_with_cuda():
                config.enable_use_gpu(256, device_gpu)
            else:
                log.warning(
                    "DEVICE_GPU=%d but this paddlepaddle has no CUDA; running %s on the CPU",
                    device_gpu,
                    model_dir.name,
                )
                config.disable_gpu()
        else:
            config.disable_gpu()
        config.set_cpu_math_library_num_threads(max(threads, 1))
        config.disable_glog_info()
        try:
            self._predictor = inference.create_predictor(config)
        except Exception as exc:  # Paddle raises its own untyped errors
            raise ModelLoadError(f"cannot load Paddle model {model_dir}: {exc}") from exc
        self._input = self._predictor.get_input_handle(self._predictor.get_input_names()[0])
        self._output = self._predictor.get_output_handle(self._predictor.get_output_names()[0])
        self._lock = threading.Lock()

    @property
    def metadata(self) -> dict[str, str]:
        return {}

    def run(self, batch: np.ndarray) -> np.ndarray:
        with self._lock:
            self._input.reshape(list(batch.shape))
            self._input.copy_from_cpu(np.ascontiguousarray(batch))
            self._predictor.run()
            return self._output.copy_to_cpu()


def _paddle_files(model_dir: Path) -> tuple[Path, Path]:
    for stem in ("inference", "model"):
        model_file, params_file = model_dir / f"{stem}.pdmodel", model_dir / f"{stem}.pdiparams"
        if model_file.is_file() and params_file.is_file():
            return model_file, params_file
    raise ModelLoadError(
        f"{model_dir} is not a Paddle inference folder: expected inference.pdmodel and "
        "inference.pdiparams (PaddleOCR's export_model output)"
    )


def open_session(path: Path, *, device_gpu: int = -1, threads: int = 0) -> InferenceSession:
    """Open ``path`` as ONNX (a ``.onnx`` file) or as a Paddle inference folder."""
    if path.is_file() and path.suffix.lower() == ".onnx":
        return OnnxSession(path, device_gpu=device_gpu, threads=threads)
    if path.is_dir():
        onnx_files = sorted(path.glob("*.onnx"))
        if onnx_files and not any(path.glob("*.pdmodel")):
            return OnnxSession(onnx_files[0], device_gpu=device_gpu, threads=threads)
        return PaddleSession(path, device_gpu=device_gpu, threads=threads)
    raise ModelLoadError(
        f"model path {path} is neither an .onnx file nor a Paddle inference folder"
    )
