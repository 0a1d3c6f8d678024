"""Card geometry: find the card in a photo, rectify it and turn it upright (a CardView)."""

from __future__ import annotations

import logging

from id_card_scan.geometry.card import CardGeometry
from id_card_scan.geometry.locate import CardOutline, find_card
from id_card_scan.geometry.orient import DirectionClassifier, Orientation, text_orientation
from id_card_scan.geometry.view import CardView
from id_card_scan.ocr.detection import Detector
from id_card_scan.settings import Settings

log = logging.getLogger(__name__)

# PP-OCR's 0/180 text-direction classifier as shipped in the rapidocr wheel (Apache-2.0).
DEFAULT_CLS_MODEL = "models/ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def build_card_geometry(settings: Settings, detector: Detector) -> CardGeometry:
    """The geometry stage the settings ask for, sharing the OCR's text ``detector``."""
    classifier = None
    if settings.CARD_ORIENT:
        from id_card_scan.ocr.inference import open_session
        from id_card_scan.ocr.zoo import packaged_model

        path = packaged_model(DEFAULT_CLS_MODEL)
        session = open_session(path, device_gpu=settings.DEVICE_GPU, threads=settings.OCR_THREADS)
        classifier = DirectionClassifier(session)
        log.info("card orientation: PP-OCR text direction classifier from %s", path)
    return CardGeometry(
        detector,
        classifier,
        rectify=settings.CARD_RECTIFY,
        card_det_limit_side_len=settings.CARD_DET_LIMIT_SIDE_LEN,
    )


__all__ = [
    "CardGeometry",
    "CardOutline",
    "CardView",
    "DirectionClassifier",
    "Orientation",
    "build_card_geometry",
    "find_card",
    "text_orientation",
]
