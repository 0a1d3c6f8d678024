"""Building the OCR engines that the settings name, from packaged or user-given weights."""

from __future__ import annotations

import logging
from importlib.util import find_spec
from pathlib import Path

from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.detection import DBDetector
from id_card_scan.ocr.inference import open_session
from id_card_scan.ocr.predictor import OcrPredictor
from id_card_scan.ocr.recognition import Recognizer
from id_card_scan.ocr.recognition.green_channel import GreenChannelRecognizer
from id_card_scan.ocr.recognition.ppocr import PPOCRRecognizer, load_dictionary
from id_card_scan.ocr.recognition.second_opinion import SecondOpinionRecognizer
from id_card_scan.ocr.recognition.tesseract import TesseractRecognizer
from id_card_scan.ocr.recognition.trueocr import TrueOcrRecognizer, packaged_trueocr_model
from id_card_scan.settings import Settings

log = logging.getLogger(__name__)

# PP-OCRv6 small weights as shipped in the rapidocr wheel (Apache-2.0). We only read
# its files: importing rapidocr itself is not needed and would pull in its runtime.
_PACKAGE = "rapidocr"
DEFAULT_DET_MODEL = "models/PP-OCRv6_det_small.onnx"
DEFAULT_REC_MODEL = "models/PP-OCRv6_rec_small.onnx"


def packaged_model(relative: str) -> Path:
    """Path of a model file inside the installed ``rapidocr`` package, without importing it."""
    spec = find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(f"the packaged OCR weights need the {_PACKAGE} package installed")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise ModelLoadError(f"{relative} is missing from the installed {_PACKAGE} package")
    return path


def build_detector(settings: Settings) -> DBDetector:
    path = settings.TEXT_DET_PDPARAM_MODEL_PATH or packaged_model(DEFAULT_DET_MODEL)
    session = open_session(path, device_gpu=settings.DEVICE_GPU, threads=settings.OCR_THREADS)
    log.info("text detector: PP-OCR DB from %s", path)
    return DBDetector(
        session,
        box_threshold=settings.TEXT_DET_CONF_THRESHOLD,
        limit_side_len=settings.TEXT_DET_LIMIT_SIDE_LEN,
    )


def build_recognizer(settings: Settings) -> Recognizer:
    if settings.TEXT_REC_ENGINE == "tesseract":
        tessdata = settings.tessdata_path()
        log.info(
            "text recognizer: Tesseract %s from %s (%d instances)",
            settings.TEXT_REC_TESSERACT_LANG,
            tessdata,
            settings.OCR_THREADS,
        )
        tesseract = TesseractRecognizer(
            tessdata, lang=settings.TEXT_REC_TESSERACT_LANG, instances=settings.OCR_THREADS
        )
        if not settings.TEXT_REC_SECOND_OPINION:
            return tesseract
        log.info("second opinion on doubtful digit lines: PP-OCR from %s", DEFAULT_REC_MODEL)
        second = _ppocr(settings, packaged_model(DEFAULT_REC_MODEL), None)
        return SecondOpinionRecognizer(
            tesseract, second, drop_below=settings.TEXT_REC_CONF_THRESHOLD
        )
    if settings.TEXT_REC_ENGINE == "trueocr":
        folder = settings.TEXT_REC_MODEL_PATH or packaged_trueocr_model()
        log.info("text recognizer: trueocr-format CTC from %s", folder)
        recognizer: Recognizer = TrueOcrRecognizer(
            folder, device_gpu=settings.DEVICE_GPU, threads=settings.OCR_THREADS
        )
        if settings.TEXT_REC_RETRY_BELOW > 0:
            recognizer = GreenChannelRecognizer(
                recognizer, retry_below=settings.TEXT_REC_RETRY_BELOW
            )
        return recognizer
    path = settings.TEXT_REC_MODEL_PATH or packaged_model(DEFAULT_REC_MODEL)
    characters = (
        load_dictionary(settings.TEXT_REC_DICT_PATH) if settings.TEXT_REC_DICT_PATH else None
    )
    log.info("text recognizer: PP-OCR CTC from %s", path)
    return _ppocr(settings, path, characters)


def _ppocr(settings: Settings, path: Path, characters: list[str] | None) -> PPOCRRecognizer:
    session = open_session(path, device_gpu=settings.DEVICE_GPU, threads=settings.OCR_THREADS)
    return PPOCRRecognizer(session, characters)


def build_predictor(settings: Settings) -> OcrPredictor:
    return OcrPredictor(build_detector(settings), build_recognizer(settings))
