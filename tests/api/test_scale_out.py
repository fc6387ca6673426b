"""`kommunstod serve --workers 2` against a real `chroma run` server: what one request uploads,
every worker serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.sample import ADMIN_TOKEN
from tests.api.test_documents import KIL
from tests.conftest import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.slow
KOMMUNSTOD = str(Path(sys.executable).parent / "kommunstod")


@pytest.fixture
def two_workers(chroma_server, tmp_path):
    port = free_port()
    env = os.environ | {
        "KOMMUNSTOD_CHROMA": chroma_server,
        "KOMMUNSTOD_COLLECTION": "skalning",
        "KOMMUNSTOD_ADMIN_TOKEN": ADMIN_TOKEN,
    }
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        command = [KOMMUNSTOD, "serve", "--workers", "2", "--port", str(port), "--home", str(tmp_path / "home")]
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
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


def test_upload_through_one_worker_is_served_by_all(two_workers):
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    upload = _fresh(two_workers, "POST", "/api/documents", files={"files": ("kil.md", KIL.encode())}, headers=admin)
    assert upload.status_code == 201, upload.text

    seen: dict[int, int] = {}  # worker pid → documents it reported
    for _ in range(200):
        health = _fresh(two_workers, "GET", "/health").json()
        seen[health["worker"]] = health["store"]["documents"]
        hits = _fresh(two_workers, "GET", "/api/search", params={"q": "cykelväg längs Norsälven", "k": 1}).json()
        assert hits[0]["source"] == "kil.md"
        if len(seen) == 2:
            break
    assert len(seen) == 2 and set(seen.values()) == {1}, seen

    assert _fresh(two_workers, "DELETE", "/api/documents/kil.md", headers=admin).status_code == 200
    for _ in range(20):
        assert _fresh(two_workers, "GET", "/api/documents").json() == []
