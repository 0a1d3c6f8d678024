"""Field extraction by a local LLM, checked against the OCR text.

``one_call`` (default): one request per image for all fields, under a JSON schema built
from the caller's ``info``. ``per_field``: SPEC's original design, one request per field,
``parallel`` up to ``batch_size`` at a time. Every failure becomes a per-field problem;
the request as a whole still succeeds.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from id_card_scan.extraction import Extraction, ExtractionOptions, FieldValue, LlmUsage
from id_card_scan.extraction.grounding import ground
from id_card_scan.llm.client import ChatClient, LlmError
from id_card_scan.llm.prompt import build_messages, field_schema
from id_card_scan.ocr.types import Line

log = logging.getLogger(__name__)


class LlmExtractor:
    def __init__(self, client: ChatClient) -> None:
        self.client = client

    def extract(self, lines: list[Line], options: ExtractionOptions) -> Extraction:
        # llm_timeout bounds the image's LLM work as a whole: every field, every retry.
        deadline = time.perf_counter() + options.llm_timeout
        if options.mode == "per_field":
            return self._per_field(lines, options, deadline)
        return self._ask(lines, options.fields, deadline)

    def _per_field(
        self, lines: list[Line], options: ExtractionOptions, deadline: float
    ) -> Extraction:
        singles = [{key: description} for key, description in options.fields.items()]
        if options.parallel and len(singles) > 1:
            workers = min(options.batch_size, len(singles))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm-field") as pool:
                parts = list(pool.map(lambda f: self._ask(lines, f, deadline), singles))
        else:
            parts = [self._ask(lines, single, deadline) for single in singles]
        merged = Extraction(fields={})
        for part in parts:
            merged.fields.update(part.fields)
            merged.llm_usage.add(part.llm_usage)
        return merged

    def _ask(self, lines: list[Line], fields: dict[str, str], deadline: float) -> Extraction:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return _failed(fields, "LLM_TIMEOUT: llm_timeout was spent before this field", 0)
        messages = build_messages(fields, [line.text for line in lines])
        try:
            completion = self.client.complete_json(
                messages, field_schema(fields), timeout=remaining
            )
        except LlmError as error:
            return _failed(
                fields,
                f"{error.code}: {error.message}",
                1,
                error.prompt_tokens,
                error.completion_tokens,
            )
        except Exception as error:  # whatever the server sent, the fields go on
            # The type only: the answer may hold the card's data.
            log.warning("unexpected LLM answer: %s", type(error).__name__)
            return _failed(fields, "LLM_BAD_RESPONSE: the answer could not be read", 1)
        usage = LlmUsage(1, completion.prompt_tokens, completion.completion_tokens)
        missing = (
            "LLM_TRUNCATED: the answer was cut off at LLM_MAX_TOKENS before this key"
            if completion.truncated
            else "LLM_OMITTED: the answer has no such key"
        )
        return Extraction(
            {key: _checked(key, completion.answer, lines, missing) for key in fields}, usage
        )

    def close(self) -> None:
        self.client.close()


def _failed(
    fields: dict[str, str],
    problem: str,
    requests: int,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
) -> Extraction:
    return Extraction(
        {key: FieldValue(None, source="llm", problems=[problem]) for key in fields},
        LlmUsage(requests, prompt_tokens, completion_tokens),
    )


def _checked(key: str, answer: dict[str, Any], lines: list[Line], missing: str) -> FieldValue:
    if key not in answer:
        return FieldValue(None, "llm", problems=[missing])
    raw = answer[key]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return FieldValue(None, "llm", problems=["NOT_ON_CARD: the LLM found no value"])
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return FieldValue(None, "llm", problems=["LLM_INVALID_VALUE: not a string"])
    value = " ".join(str(raw).split())
    grounding = ground(value, lines)
    problems = [grounding.problem] if grounding.problem else []
    if not grounding.supported:
        # Never pass an unsupported answer on as read from the card; say what it was.
        problems = [f"{grounding.problem} (answered {value!r})"]
        return FieldValue(None, "llm", 0.0, problems)
    return FieldValue(value, "llm", round(grounding.confidence, 4), problems)
