"""Optical character recognition: a detector, a recognizer and the predictor joining them."""

from id_card_scan.ocr.predictor import OcrPredictor
from id_card_scan.ocr.types import Line, OcrResult
from id_card_scan.ocr.zoo import build_predictor

__all__ = ["Line", "OcrPredictor", "OcrResult", "build_predictor"]
