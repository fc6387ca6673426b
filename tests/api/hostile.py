"""A real `kommunstod serve` process for the hostile-input tests, with a scripted OpenAI-compatible
server (a fake: no model here answers slowly on demand) standing in for the rewrite LLM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.api.sample import ADMIN_TOKEN
from tests.conftest import ROOT, free_port, wait_for_port

KOMMUNSTOD = str(Path(sys.executable).parent / "kommunstod")
SLOW_MARKER = "långsamfråga"  # a prompt holding this word makes the fake LLM hang
REQUEST_TIMEOUT = 20  # KOMMUNSTOD_REQUEST_TIMEOUT of the server under test (CI runs on 2 loaded cores)


class FakeLLM(ThreadingHTTPServer):
    """A scripted chat endpoint: hangs (until released) on SLOW_MARKER, otherwise replies with an
    empty message, which the rewriter rejects, so the rule rewrites as without an LLM."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", free_port()), _Handler)
        self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: FakeLLM

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode("utf-8", "replace")
        if SLOW_MARKER in body:
            self.server.release.wait(120)
        reply = {
            "id": "fake",
            "object": "chat.completion",
            "created": 0,
            "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": ""}, "finish_reason": "stop"}],
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Served:
    url: str
    proc: subprocess.Popen
    log: Path


@contextmanager
def fake_llm() -> Iterator[FakeLLM]:
    server = FakeLLM()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


@contextmanager
def serve(home: Path, log: Path, **env: str) -> Iterator[Served]:
    """`kommunstod serve --home HOME` on a free port, warmed up (models loaded); stopped on exit."""
    port = free_port()
    base = {"KOMMUNSTOD_ADMIN_TOKEN": ADMIN_TOKEN, "KOMMUNSTOD_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [KOMMUNSTOD, "serve", "--port", str(port), "--home", str(home)],
            cwd=ROOT,
            env=os.environ | base | env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, proc, timeout=120)
            url = f"http://127.0.0.1:{port}"
            # The first question loads the models; later ones must not pay for that.
            for _ in range(10):
                warm = httpx.post(f"{url}/api/ask", json={"question": "Vad är miljömål?"}, timeout=120)
                if warm.status_code == 200:
                    break
            yield Served(url, proc, log)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
