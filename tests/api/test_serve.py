"""`kommunstod serve` as a process: one worker on an embedded store, and `--workers 2` against a
real `chroma run` server, where what one request uploads every worker serves."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.api.sample import ADMIN_TOKEN, ingested_settings
from tests.api.test_documents import KIL
from tests.conftest import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.slow
KOMMUNSTOD = str(Path(sys.executable).parent / "kommunstod")


@contextmanager
def serving(tmp_path: Path, *args: str, **env: str) -> Iterator[str]:
    """`kommunstod serve ARGS` on a free port; yields its base URL."""
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        command = [KOMMUNSTOD, "serve", "--port", str(port), *args]
        proc = subprocess.Popen(command, cwd=ROOT, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, proc, timeout=120)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print(log.read_text(errors="replace")[-3000:])  # shown by pytest when the test failed


def _fresh(base: str, method: str, path: str, **kwargs) -> httpx.Response:
    """A new connection per request, so the kernel may hand it to either worker."""
    with httpx.Client(base_url=base, timeout=120) as client:
        return client.request(method, path, **kwargs)


def test_one_worker_serves_the_api_and_the_ui_from_the_home(tmp_path):
    settings = ingested_settings(tmp_path)
    with serving(tmp_path, "--home", str(settings.home)) as url:
        assert _fresh(url, "GET", "/health").json()["store"]["documents"] == 3
        page = _fresh(url, "GET", "/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert _fresh(url, "GET", "/config").json()["title"] == "Kommunstöd"


def test_upload_through_one_worker_is_served_by_all(chroma_server, tmp_path):
    env = {
        "KOMMUNSTOD_CHROMA": chroma_server,
        "KOMMUNSTOD_COLLECTION": "skalning",
        "KOMMUNSTOD_ADMIN_TOKEN": ADMIN_TOKEN,
    }
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with serving(tmp_path, "--workers", "2", "--home", str(tmp_path / "home"), **env) as url:
        upload = _fresh(url, "POST", "/api/documents", files={"files": ("kil.md", KIL.encode())}, headers=admin)
        assert upload.status_code == 201, upload.text

        # Until both workers have answered: on a loaded machine the second one may still be loading
        # its models while the first serves hundreds of requests; a pause leaves it the CPU.
        seen: dict[int, int] = {}  # worker pid → documents it reported
        deadline = time.monotonic() + 300
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            health = _fresh(url, "GET", "/health").json()
            seen[health["worker"]] = health["store"]["documents"]
            hits = _fresh(url, "GET", "/api/search", params={"q": "cykelväg längs Norsälven", "k": 1}).json()
            assert hits[0]["source"] == "kil.md"
        assert len(seen) == 2 and set(seen.values()) == {1}, seen

        assert _fresh(url, "DELETE", "/api/documents/kil.md", headers=admin).status_code == 200
        for _ in range(20):
            assert _fresh(url, "GET", "/api/documents").json() == []


def test_workers_have_time_to_load_before_they_are_taken_for_hung(monkeypatch, tmp_path):
    # uvicorn kills a worker that does not answer its supervisor's ping within the timeout (5 s by
    # default), and a busy machine loading the models took longer: every new worker died in turn.
    from assistant.commands import serve_cmd
    from assistant.settings import Settings

    calls: list[dict] = []
    monkeypatch.setattr(serve_cmd.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    for name in ("KOMMUNSTOD_HOME", "GRADIO_ANALYTICS_ENABLED", "GRADIO_TEMP_DIR"):
        monkeypatch.delenv(name, raising=False)  # run() sets them for the workers: restored afterwards
    args = argparse.Namespace(workers=2, host=None, port=None)
    assert serve_cmd.run(args, Settings(home=tmp_path)) == 0
    assert calls[0]["workers"] == 2 and calls[0]["timeout_worker_healthcheck"] >= 60
