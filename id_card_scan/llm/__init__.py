"""Talking to a local LLM over the OpenAI chat-completions protocol (vLLM, llama.cpp, ...)."""

from id_card_scan.llm.client import ChatClient, Completion, LlmError

__all__ = ["ChatClient", "Completion", "LlmError"]
