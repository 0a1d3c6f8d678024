"""The pipeline is built once and shared: concurrent callers get the same answers."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from id_card_scan.errors import InvalidImageError
from id_card_scan.extraction import ExtractionOptions
from id_card_scan.pipeline import Pipeline
from id_card_scan.synth import capture, render_card
from tests.conftest import encode


def _texts(pipeline: Pipeline, data: bytes) -> list[str]:
    return [line.text for line in pipeline.read(data).lines]


def test_concurrent_reads_match_sequential_reads(pipeline: Pipeline) -> None:
    images = [
        encode(capture(render_card(seed=s, kind=k), seed=s, variant="camera").image, "JPEG")
        for s, k in [(40, "chip_cccd_front"), (41, "can_cuoc_2024_front"), (42, "chip_cccd_front")]
    ]
    expected = [_texts(pipeline, data) for data in images]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda data: _texts(pipeline, data), images * 4))
    assert got == expected * 4


def test_extract_without_llm_answers_printed_fields_and_says_what_needs_one(
    pipeline: Pipeline,
) -> None:
    card = render_card(seed=43, kind="can_cuoc_2024_front")  # no QR on this side
    data = encode(card.image, "PNG")
    fields = {"id_number": "Số căn cước", "favourite_colour": "Màu yêu thích"}
    result = pipeline.extract(data, ExtractionOptions(fields=fields))
    assert result.fields["id_number"].value == card.fields["id_number"]
    assert result.fields["id_number"].source == "rules"
    assert result.fields["favourite_colour"].value is None
    assert any("NO_EXTRACTOR" in p for p in result.fields["favourite_colour"].problems)
    assert result.ocr.lines and result.ocr_ms > 0


def test_bad_bytes_raise_a_coded_error(pipeline: Pipeline) -> None:
    with pytest.raises(InvalidImageError) as raised:
        pipeline.read(b"\x89PNG\r\n\x1a\n broken")
    assert raised.value.code == "INVALID_IMAGE"


def test_a_large_upload_read_reduced_gives_boxes_in_its_own_pixels(pipeline: Pipeline) -> None:
    card = capture(render_card(seed=44, kind="chip_cccd_front"), seed=44, variant="camera")
    small = card.image
    large = small.resize((small.width * 5, small.height * 5))  # past the decoding size
    boxes = {}
    for name, image in (("small", small), ("large", large)):
        lines = pipeline.read(encode(image, "JPEG", quality=92)).lines
        boxes[name] = {line.text: line.quad for line in lines}
    common = set(boxes["small"]) & set(boxes["large"])
    assert len(common) >= 5
    for text in common:
        assert abs(boxes["large"][text] - 5 * boxes["small"][text]).max() < 25, text
