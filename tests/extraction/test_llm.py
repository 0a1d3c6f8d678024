"""The LLM extractor's bounds: one deadline for all of an image's LLM work, and an answer
of any shape ends as per-field problems."""

from __future__ import annotations

import time

import numpy as np

from id_card_scan.extraction import ExtractionOptions
from id_card_scan.extraction.llm import LlmExtractor
from id_card_scan.llm import ChatClient
from id_card_scan.ocr.types import Line
from tests.llm.fake_server import scripted_llm

LINES = [Line(text="Họ và tên / Full name: NGUYỄN VĂN ĐỨC", confidence=0.9, quad=np.zeros((4, 2)))]
FIELDS = {"phone": "Số điện thoại", "job": "Nghề nghiệp", "email": "Thư điện tử"}


def test_llm_timeout_bounds_every_field_of_an_image_together() -> None:
    options = ExtractionOptions(FIELDS, mode="per_field", parallel=False, llm_timeout=1.5)
    with scripted_llm(content='{"phone": null, "job": null, "email": null}', delay=1.0) as llm:
        extractor = LlmExtractor(ChatClient(llm.url, "m", max_retries=0))
        started = time.perf_counter()
        fields = extractor.extract(LINES, options).fields
        elapsed = time.perf_counter() - started
    # Three fields one after another at 1 s each would take 3 s; the image has 1.5 s.
    assert elapsed < 2.2
    assert fields["phone"].problems == ["NOT_ON_CARD: the LLM found no value"]
    assert all(fields[key].problems[0].startswith("LLM_TIMEOUT") for key in ("job", "email"))


def test_an_answer_of_any_shape_is_a_problem_of_each_field() -> None:
    body = b'{"choices": [{"message": {"content": {"phone": "0901234567"}}}], "usage": "abc"}'
    with scripted_llm(body=body) as llm:
        fields = (
            LlmExtractor(ChatClient(llm.url, "m")).extract(LINES, ExtractionOptions(FIELDS)).fields
        )
    assert all(field.value is None for field in fields.values())
    assert all(field.problems[0].startswith("LLM_BAD_RESPONSE") for field in fields.values())
