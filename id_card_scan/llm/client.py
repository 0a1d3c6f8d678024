"""An OpenAI-compatible chat-completions client with structured output.

One client per process: httpx keeps connections to the server alive across requests and
threads; its pool of request threads bounds how many requests this process has in
flight, so that a burst of uploads queues here rather than overwhelming the LLM server.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
)

from id_card_scan.llm.json_answer import parse_json_object

StructuredOutput = Literal["json_schema", "json_object", "none"]

# An HTTP body, and the answer text in it, larger than any card's fields can make (a few
# hundred tokens): more is a broken or hostile server, and is not read or parsed.
MAX_BODY_BYTES = 1 << 20
MAX_CONTENT_CHARS = 64 * 1024
# How long a health check's answer about the LLM stands.
PING_CACHE_SECONDS = 5.0


class LlmError(Exception):
    """A request to the LLM failed; ``code`` says how (for per-field problems)."""

    def __init__(
        self, code: str, message: str, prompt_tokens: int = 0, completion_tokens: int = 0
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # A request that was answered, badly, still cost tokens.
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


@dataclass(frozen=True)
class Completion:
    answer: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    elapsed_ms: float
    truncated: bool  # the server stopped at max_tokens


def _retryable(error: BaseException) -> bool:
    # A refused connection or an overloaded server may pass; a timeout already spent the
    # caller's budget, and a 4xx will not change.
    if isinstance(error, LlmError):
        return error.code in ("LLM_UNREACHABLE", "LLM_OVERLOADED")
    return False


class ChatClient:
    def __init__(
        self,
        api_url: str,
        model: str,
        *,
        structured_output: StructuredOutput = "json_schema",
        api_key: str = "",
        max_retries: int = 2,
        max_concurrency: int = 16,
        max_tokens: int = 512,
    ) -> None:
        self.api_url = api_url
        self.model = model
        self.structured_output = structured_output
        self.max_retries = max_retries
        self.max_tokens = max_tokens
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers,
            limits=httpx.Limits(
                max_connections=max_concurrency, max_keepalive_connections=max_concurrency
            ),
        )
        self._ping_lock = threading.Lock()
        self._last_ping: tuple[float, bool] | None = None  # (when, answered)
        # Requests run here, max_concurrency at a time (the rest queue), so that the
        # caller waits no longer than its deadline, however the server trickles its
        # answer (httpx's timeouts are per read).
        self._workers = ThreadPoolExecutor(
            max_workers=max_concurrency, thread_name_prefix="llm-request"
        )

    def complete_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], *, timeout: float
    ) -> Completion:
        """Send ``messages``, asking for a JSON object following ``schema``."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }
        if self.structured_output == "json_schema":
            # vLLM (and OpenAI): guided decoding from the schema itself.
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "id_card_fields", "schema": schema, "strict": True},
            }
        elif self.structured_output == "json_object":
            # llama-cpp-python's server: answers json_schema with HTTP 500, takes this.
            body["response_format"] = {"type": "json_object", "schema": schema}
        started = time.perf_counter()
        deadline = started + timeout
        retrying = Retrying(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(self.max_retries + 1) | stop_after_delay(timeout),
            wait=wait_exponential(multiplier=0.25, max=2.0),
            reraise=True,
        )
        # reraise=True: the last LlmError of the attempts.
        future = self._workers.submit(retrying, self._post, body, deadline)
        try:
            data = future.result(timeout=max(deadline - time.perf_counter(), 0.0))
        except FutureTimeout as exc:
            # Still queued: never sent. Running: it stops at its next chunk past the deadline.
            future.cancel()
            raise LlmError("LLM_TIMEOUT", "the LLM did not answer within llm_timeout") from exc
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        prompt_tokens = _token_count(usage.get("prompt_tokens"))
        completion_tokens = _token_count(usage.get("completion_tokens"))
        choices = data.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices else None
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if content is None and isinstance(message, dict) and "content" in message:
            content = ""  # null content: no answer, said below as no JSON object
        if not isinstance(content, str):
            raise LlmError(
                "LLM_BAD_RESPONSE",
                "the answer has no text in choices[0].message.content",
                prompt_tokens,
                completion_tokens,
            )
        if len(content) > MAX_CONTENT_CHARS:
            raise LlmError(
                "LLM_BAD_RESPONSE",
                f"the answer is longer than {MAX_CONTENT_CHARS} characters",
                prompt_tokens,
                completion_tokens,
            )
        answer = parse_json_object(content)
        if answer is None:
            raise LlmError(
                "LLM_INVALID_JSON",
                "the answer is not a JSON object",
                prompt_tokens,
                completion_tokens,
            )
        return Completion(
            answer=answer,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            truncated=isinstance(choice, dict) and choice.get("finish_reason") == "length",
        )

    def _post(self, body: dict[str, Any], deadline: float) -> dict[str, Any]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise LlmError("LLM_TIMEOUT", "no time left for the LLM request")
        try:
            status, raw = self._read(body, deadline)
        except httpx.TimeoutException as exc:
            raise LlmError("LLM_TIMEOUT", "the LLM did not answer within llm_timeout") from exc
        except httpx.TransportError as exc:
            raise LlmError(
                "LLM_UNREACHABLE", f"cannot reach the LLM: {type(exc).__name__}"
            ) from exc
        if status in (429, 502, 503, 504):
            raise LlmError("LLM_OVERLOADED", f"the LLM answered HTTP {status}")
        if status != 200:
            raise LlmError("LLM_HTTP_ERROR", f"the LLM answered HTTP {status}")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise LlmError("LLM_BAD_RESPONSE", "the LLM's HTTP body is not JSON") from exc
        if not isinstance(data, dict):
            raise LlmError("LLM_BAD_RESPONSE", "the LLM's HTTP body is not a JSON object")
        return data

    def _read(self, body: dict[str, Any], deadline: float) -> tuple[int, bytes]:
        """The response's status and body, read chunk by chunk within the deadline and the
        size bound; an error status's body is not read."""
        remaining = max(deadline - time.perf_counter(), 0.001)
        with self._http.stream("POST", self.api_url, json=body, timeout=remaining) as response:
            if response.status_code != 200:
                return response.status_code, b""
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise LlmError(
                        "LLM_BAD_RESPONSE", f"the LLM's HTTP body is over {MAX_BODY_BYTES} bytes"
                    )
                if time.perf_counter() > deadline:
                    raise LlmError("LLM_TIMEOUT", "the LLM did not answer within llm_timeout")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    def models_url(self) -> str:
        """``.../v1/models`` beside the chat-completions URL (what health checks ask)."""
        base = self.api_url.split("/chat/completions")[0]
        return base.rstrip("/") + "/models"

    def ping(self, timeout: float = 2.0) -> bool:
        """Whether the server answers, asked at most once per PING_CACHE_SECONDS: /health
        needs no token, so its callers must not be able to make us flood the LLM."""
        with self._ping_lock:
            now = time.monotonic()
            if self._last_ping is not None and now - self._last_ping[0] < PING_CACHE_SECONDS:
                return self._last_ping[1]
            try:
                answered = self._http.get(self.models_url(), timeout=timeout).status_code == 200
            except httpx.HTTPError:
                answered = False
            self._last_ping = (time.monotonic(), answered)
            return answered

    def close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
        self._http.close()


def _token_count(value: object) -> int:
    """A usage figure as the server gave it, or 0 where it gave none that is a count."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0
