"""The UI is built on its first request: the API answers in a process that never imported Gradio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: this test process has Gradio imported already.
SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from assistant.api.app import create_app
from assistant.settings import Settings

seen = {}
with TestClient(create_app(Settings(home=sys.argv[1])), base_url="http://127.0.0.1") as client:
    seen["health"] = client.get("/health").status_code
    seen["ask"] = client.post("/api/ask", json={"question": "Vad gör kommunen för pollinerare?"}).status_code
    seen["gradio_before_ui"] = "gradio" in sys.modules
    page = client.get("/")
    seen["page"] = page.status_code, "gradio" in page.text.lower()
    seen["config"] = client.get("/config").status_code
    seen["gradio_after_ui"] = "gradio" in sys.modules
print(json.dumps(seen))
"""


def test_the_api_answers_before_gradio_is_imported_and_the_ui_is_built_on_first_use(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "home")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "GRADIO_ANALYTICS_ENABLED": "False", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["health"] == 200 and seen["ask"] == 200
    assert seen["gradio_before_ui"] is False
    assert seen["page"] == [200, True] and seen["config"] == 200
    assert seen["gradio_after_ui"] is True
