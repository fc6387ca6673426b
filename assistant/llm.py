"""The one place that builds a chat client for the configured OpenAI-compatible endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI


def chat_model(base_url: str, model: str, api_key: str, timeout: float, max_tokens: int) -> ChatOpenAI:
    """A deterministic chat client (Ollama, vLLM, llama.cpp server, Azure OpenAI's v1 endpoint, …)."""
    from langchain_openai import ChatOpenAI

    # llama.cpp server, vLLM and Ollama read "max_tokens"; the client sends only the newer
    # "max_completion_tokens", which they ignore, so a weak model would run to the context end.
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key,
        temperature=0,
        timeout=timeout,
        max_retries=1,
        extra_body={"max_tokens": max_tokens},
    )
