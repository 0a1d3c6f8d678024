"""The chat client against a real llama-cpp-python server, and scripted faults."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from id_card_scan.llm import ChatClient, LlmError
from id_card_scan.llm.prompt import SYSTEM_RULES, build_messages, field_schema
from tests.llm.fake_server import scripted_llm
from tests.llm_server import MODEL_ALIAS, free_port

FIELDS = {"id_number": "Số căn cước", "full_name": "Họ và tên"}
LINES = ["Số / No.: 079094012345", "Họ và tên / Full name:", "NGUYỄN VĂN ĐỨC"]


def _ask(client: ChatClient, timeout: float = 60) -> object:
    return client.complete_json(
        build_messages(FIELDS, LINES), field_schema(FIELDS), timeout=timeout
    )


def test_real_server_answers_a_json_object_with_token_counts(llm_url: str) -> None:
    client = ChatClient(llm_url, MODEL_ALIAS, structured_output="json_object", max_tokens=128)
    completion = _ask(client)
    assert isinstance(completion.answer, dict)
    assert set(completion.answer) == set(FIELDS)  # the server's grammar follows the schema
    assert completion.prompt_tokens > 50 and completion.completion_tokens > 0
    assert client.ping()


def test_real_llama_cpp_server_refuses_json_schema_format(llm_url: str) -> None:
    client = ChatClient(llm_url, MODEL_ALIAS, structured_output="json_schema", max_tokens=32)
    with pytest.raises(LlmError) as raised:
        _ask(client)
    assert raised.value.code == "LLM_HTTP_ERROR"


def test_real_server_slower_than_the_timeout(llm_url: str) -> None:
    client = ChatClient(llm_url, MODEL_ALIAS, structured_output="json_object", max_tokens=256)
    started = time.monotonic()
    with pytest.raises(LlmError) as raised:
        _ask(client, timeout=0.05)
    assert raised.value.code == "LLM_TIMEOUT"
    assert time.monotonic() - started < 2


def test_server_down_is_retried_then_reported_quickly() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1/chat/completions"
    client = ChatClient(url, "m", max_retries=2)
    started = time.monotonic()
    with pytest.raises(LlmError) as raised:
        _ask(client, timeout=10)
    assert raised.value.code == "LLM_UNREACHABLE"
    assert time.monotonic() - started < 5
    assert not client.ping(timeout=0.5)


@pytest.mark.parametrize(
    ("flavour", "expected"),
    [
        (
            "json_schema",
            {
                "type": "json_schema",
                "json_schema": {
                    "name": "id_card_fields",
                    "schema": field_schema(FIELDS),
                    "strict": True,
                },
            },
        ),
        ("json_object", {"type": "json_object", "schema": field_schema(FIELDS)}),
        ("none", None),
    ],
)
def test_request_body_per_structured_output_flavour(flavour: str, expected: object) -> None:
    with scripted_llm(content='{"id_number": null, "full_name": null}') as llm:
        client = ChatClient(llm.url, "Qwen/Qwen2.5-7B-Instruct", structured_output=flavour)  # type: ignore[arg-type]
        _ask(client)
    [body] = llm.received
    assert body["model"] == "Qwen/Qwen2.5-7B-Instruct" and body["temperature"] == 0
    assert body.get("response_format") == expected
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_RULES}
    assert "NGUYỄN VĂN ĐỨC" in body["messages"][1]["content"]


def test_overloaded_server_is_retried_a_bounded_number_of_times() -> None:
    with scripted_llm(status=503, body=b"{}") as llm, pytest.raises(LlmError) as raised:
        _ask(ChatClient(llm.url, "m", max_retries=2), timeout=10)
    assert raised.value.code == "LLM_OVERLOADED"
    assert len(llm.received) == 3


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"status": 500, "body": b"{}"}, "LLM_HTTP_ERROR"),
        ({"body": b"<html>gateway</html>"}, "LLM_BAD_RESPONSE"),
        ({"body": b'{"no": "choices"}'}, "LLM_BAD_RESPONSE"),
        ({"content": "Sorry, I cannot help with that."}, "LLM_INVALID_JSON"),
    ],
    ids=["http-500", "not-json", "no-choices", "prose"],
)
def test_garbage_answers_become_coded_errors(kwargs: dict, code: str) -> None:
    with scripted_llm(**kwargs) as llm, pytest.raises(LlmError) as raised:
        _ask(ChatClient(llm.url, "m"), timeout=10)
    assert raised.value.code == code
    assert len(llm.received) == 1  # not retried: the same request would fail the same way


@pytest.mark.parametrize(
    "body",
    [
        b'{"choices": [{"message": {"content": {"id_number": "079094012345"}}}]}',
        b'{"choices": [{"message": {"content": 42}}]}',
        b'{"choices": ["text"]}',
        b'{"choices": [{"message": "text"}]}',
    ],
    ids=["content-object", "content-number", "choice-string", "message-string"],
)
def test_an_oddly_shaped_answer_is_a_coded_error(body: bytes) -> None:
    with scripted_llm(body=body) as llm, pytest.raises(LlmError) as raised:
        _ask(ChatClient(llm.url, "m"), timeout=10)
    assert raised.value.code == "LLM_BAD_RESPONSE"


def test_token_counts_that_are_not_numbers_count_as_none() -> None:
    body = (
        b'{"choices": [{"message": {"content": "{\\"id_number\\": null}"}}],'
        b' "usage": {"prompt_tokens": "abc", "completion_tokens": [1]}}'
    )
    with scripted_llm(body=body) as llm:
        completion = _ask(ChatClient(llm.url, "m"), timeout=10)
    assert completion.answer == {"id_number": None}
    assert (completion.prompt_tokens, completion.completion_tokens) == (0, 0)


def test_a_trickled_answer_is_cut_at_the_deadline() -> None:
    # One byte every 0.2 s: each read is quick, so httpx's per-read timeout never fires.
    with scripted_llm(content='{"id_number": null}', trickle=0.2) as llm:
        started = time.perf_counter()
        with pytest.raises(LlmError) as raised:
            _ask(ChatClient(llm.url, "m"), timeout=1.5)
        elapsed = time.perf_counter() - started
    assert raised.value.code == "LLM_TIMEOUT"
    assert elapsed < 2.5


def test_an_answer_of_braces_is_refused_without_parsing_it() -> None:
    with scripted_llm(content="{" * 2_000_000) as llm:
        started = time.perf_counter()
        with pytest.raises(LlmError) as raised:
            _ask(ChatClient(llm.url, "m"), timeout=30)
    assert raised.value.code == "LLM_BAD_RESPONSE"
    assert time.perf_counter() - started < 10


def test_health_checks_ask_the_llm_at_most_once_in_a_few_seconds() -> None:
    with scripted_llm(content="{}") as llm:
        client = ChatClient(llm.url, "m")
        assert all(client.ping() for _ in range(20))
        assert llm.pings == 1


def test_at_most_max_concurrency_requests_are_in_flight_and_the_rest_queue() -> None:
    with scripted_llm(content='{"id_number": null}', delay=0.3) as llm:
        client = ChatClient(llm.url, "m", max_concurrency=2)
        with ThreadPoolExecutor(max_workers=5) as callers:
            answers = list(callers.map(lambda _: _ask(client, timeout=10), range(5)))
    assert all(answer.answer == {"id_number": None} for answer in answers)
    assert llm.peak_in_flight == 2
