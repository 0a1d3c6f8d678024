"""An OpenAI-compatible chat-completions client with structured output.

One client per process: httpx keeps connections to the server alive across requests and
threads; a semaphore bounds how many requests this process has in flight, so that a
burst of uploads queues here rather than overwhelming the LLM server.
"""

from __future__ import annotations

import threading
import time
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
        self._slots = threading.BoundedSemaphore(max_concurrency)

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
        data = retrying(self._post, body, deadline)  # reraise=True: the last LlmError
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        prompt_tokens = int(usage.get("prompt_tokens") or 0)
        completion_tokens = int(usage.get("completion_tokens") or 0)
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as exc:
            raise LlmError(
                "LLM_BAD_RESPONSE",
                "the answer has no choices[0].message.content",
                prompt_tokens,
                completion_tokens,
            ) from exc
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
            truncated=choice.get("finish_reason") == "length",
        )

    def _post(self, body: dict[str, Any], deadline: float) -> dict[str, Any]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise LlmError("LLM_TIMEOUT", "no time left for the LLM request")
        if not self._slots.acquire(timeout=remaining):
            raise LlmError("LLM_TIMEOUT", "waited past llm_timeout for a free LLM slot")
        try:
            remaining = max(deadline - time.perf_counter(), 0.001)
            response = self._http.post(self.api_url, json=body, timeout=remaining)
        except httpx.TimeoutException as exc:
            raise LlmError("LLM_TIMEOUT", "the LLM did not answer within llm_timeout") from exc
        except httpx.TransportError as exc:
            raise LlmError(
                "LLM_UNREACHABLE", f"cannot reach the LLM: {type(exc).__name__}"
            ) from exc
        finally:
            self._slots.release()
        if response.status_code in (429, 502, 503, 504):
            raise LlmError("LLM_OVERLOADED", f"the LLM answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise LlmError("LLM_HTTP_ERROR", f"the LLM answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise LlmError("LLM_BAD_RESPONSE", "the LLM's HTTP body is not JSON") from exc
        if not isinstance(data, dict):
            raise LlmError("LLM_BAD_RESPONSE", "the LLM's HTTP body is not a JSON object")
        return data

    def models_url(self) -> str:
        """``.../v1/models`` beside the chat-completions URL (what health checks ask)."""
        base = self.api_url.split("/chat/completions")[0]
        return base.rstrip("/") + "/models"

    def ping(self, timeout: float = 2.0) -> bool:
        try:
            return self._http.get(self.models_url(), timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        self._http.close()
