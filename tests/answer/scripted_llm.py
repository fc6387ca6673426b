"""A scripted fake of an OpenAI-compatible chat endpoint, on 127.0.0.1 in a thread.

It exists because no model that runs here writes the exact good and bad answers the verifier must
be tested on: each reply is scripted by the test, as a function of the prompt it receives. It
speaks /v1/chat/completions with and without stream=true, and can also time out, close the
connection, answer empty or answer with malformed JSON.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assistant.service import AssistantService
from assistant.settings import Settings

CORPUS = Path(__file__).with_name("generative_corpus")  # three short documents, one with a planted instruction
QUESTION = "När antog Exempelby kommun sitt miljöprogram?"
ADOPTED = "Exempelby kommun antog sitt miljöprogram i mars 2024."
AREAS = "Programmet har fyra fokusområden: klimat, vatten, natur och hållbar konsumtion."
PROGRAM = "Miljöprogram för Exempelby kommun"

Script = Callable[[str], str]  # the last user message (with the passages) → the reply

TIMEOUT = "<timeout>"  # sleep past the client's time-out
MALFORMED = "<malformed>"  # 200 with a body that is no completion


def passage_numbers(prompt: str) -> dict[str, int]:
    """Title → passage number, as the prompt lists them."""
    return {m.group(2): int(m.group(1)) for m in re.finditer(r'<avsnitt nr="(\d+)">\n\(titel: ([^;)]+)', prompt)}


def program(prompt: str) -> int:
    """The number the prompt gave the programme document's passage."""
    return passage_numbers(prompt)[PROGRAM]


def ingested_home(path: Path) -> Settings:
    settings = Settings(home=path)
    report = AssistantService(settings).ingest_paths([str(CORPUS)])
    assert not report.failed, report.failed
    return settings


def generative(home: Settings, url: str, **extra) -> Settings:
    update = {"answer_mode": "generative", "llm_base_url": url, "llm_model": "scripted", "llm_timeout": 1.0}
    return Settings(**home.model_dump() | update | extra)


class ScriptedLLM:
    def __init__(self) -> None:
        self.script: Script = lambda prompt: ""
        self.requests: list[dict] = []

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                reply = fake.script(body["messages"][-1]["content"])
                if reply == TIMEOUT:
                    time.sleep(3)
                    return
                if reply == MALFORMED:
                    self._send(b"{not json", "application/json")
                    return
                if body.get("stream"):
                    self._send(b"".join(_sse(reply)), "text/event-stream")
                else:
                    message = {"role": "assistant", "content": reply}
                    self._send(json.dumps(_completion(message, "chat.completion")).encode(), "application/json")

            def _send(self, data: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    @contextmanager
    def serve(self) -> Iterator[str]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/v1"
        finally:
            server.shutdown()
            server.server_close()


def _completion(message: dict, kind: str, key: str = "message") -> dict:
    choice = {"index": 0, key: message, "finish_reason": None if kind.endswith("chunk") else "stop"}
    return {"id": "scripted", "object": kind, "created": 0, "model": "scripted", "choices": [choice]}


def _sse(reply: str) -> Iterator[bytes]:
    for piece in re.findall(r"\S+\s*|\s+", reply) or [""]:  # word by word, as a model streams
        chunk = _completion({"content": piece}, "chat.completion.chunk", key="delta")
        yield f"data: {json.dumps(chunk)}\n\n".encode()
    yield b"data: [DONE]\n\n"
