"""Hostile documents: each fails alone with a reason, never ends the run, never reaches the store.

Every case here failed on main before the fix: malformed front matter raised out of the pipeline
(the CLI stored nothing and exited 2), reserved keys were stored and broke answers, bombs were
parsed in the server's own process without limits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.components import build_chunker, build_store
from assistant.settings import Settings
from ingest.limits import IngestLimits
from ingest.metadata import RESERVED_KEYS, clean_metadata
from ingest.model import LoadError
from ingest.pipeline import ingest

from .bombs import deep_html, docx_paragraphs, docx_zip_bomb, pdf_bomb

GOOD = "---\ntitle: Träd i staden\n---\n# Träd i staden\n\nKommunen planterar träd längs gatorna för skuggans skull.\n"


def _front(line: str) -> bytes:
    return f"---\ntitle: Fil\n{line}\n---\n\nKommunen har en plan för miljöarbetet.\n".encode()


MALFORMED = {
    "datum.md": (_front("published: 2022-13-45"), "month must be in 1..12"),
    "tid.md": (_front("published: 2022-02-30 25:00:00"), "cannot be read"),
    "heltal.md": (_front("nummer: " + "9" * 5000), "cannot be read"),
    "hakar.md": (_front("taggar: " + "[" * 20_000), "nested too deeply"),
    "djup.html": (deep_html(5000), "nested too deeply"),
    "sidkarta.md": (_front("page_map: inte json"), "'page_map' is reserved"),
    "kalla.md": (_front("source: annat.md"), "'source' is reserved"),
    "chroma.md": (_front('"chroma:document": x'), "not allowed"),
}


@pytest.fixture
def store(tmp_path):
    return build_store(Settings(home=tmp_path / "home"))


def test_cli_folder_with_malformed_files_stores_the_rest_and_names_each_failure(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bra.md").write_text(GOOD, encoding="utf-8")
    for name, (data, _) in MALFORMED.items():
        (folder / name).write_bytes(data)
    code = main(["ingest", str(folder), "--home", str(tmp_path / "home"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # some files failed; not 2 (a crash)
    assert (report["documents"], report["added"]) == (1, 1)
    failed = {f["source"]: f["error"] for f in report["failed"]}
    assert set(failed) == set(MALFORMED)
    for name, (_, reason) in MALFORMED.items():
        assert reason in failed[name], (name, failed[name])
    store = build_store(Settings(home=tmp_path / "home"))
    assert set(store.documents()) == {"bra.md"}


def test_reserved_keys_are_one_list_covering_what_the_chunker_writes(tmp_path, store):
    (tmp_path / "bra.md").write_text(GOOD, encoding="utf-8")
    ingest([str(tmp_path / "bra.md")], store, build_chunker(Settings()), "x", progress=False)
    written = set(store.chunks_of("bra.md")[0].metadata)
    document_fields = {"title", "ingest_root"} - RESERVED_KEYS
    assert written - document_fields <= RESERVED_KEYS
    for key in RESERVED_KEYS:
        with pytest.raises(LoadError, match="reserved"):
            clean_metadata({"title": "x", key: "1"})


def test_manifest_overrides_cannot_set_reserved_keys(tmp_path, store):
    (tmp_path / "bra.md").write_text(GOOD, encoding="utf-8")
    report = ingest(
        [str(tmp_path / "bra.md")],
        store,
        build_chunker(Settings()),
        "x",
        progress=False,
        overrides={"bra.md": {"page": "tre"}},
    )
    assert report.failed[0]["source"] == "bra.md" and "'page' is reserved" in report.failed[0]["error"]


def test_metadata_is_plain_text_with_safe_urls_and_json_values():
    meta = clean_metadata(
        {
            "title": "<b>Plan</b> <script>alert(1)</script>för\u202e miljön &amp; klimatet",
            "publisher": "<img src=x onerror=alert(1)>Kommunen",
            "source_url": "javascript:alert(document.cookie)",
            "logo_url": "https://kommun.se/logo.png",
            "bad_url": "data:text/html,<script>alert(1)</script>",
            "ratio": float("nan"),
            "huge": 10**30,
            "flag": True,
        }
    )
    assert meta["title"] == "Plan för miljön & klimatet"  # script content is not text
    assert meta["publisher"] == "Kommunen"
    assert "source_url" not in meta and "bad_url" not in meta and "ratio" not in meta
    assert meta["logo_url"] == "https://kommun.se/logo.png"
    assert meta["huge"] == str(10**30) and meta["flag"] is True


def test_html_metadata_is_sanitised_at_ingest(tmp_path, store):
    page = (
        "<html><head><title>Plan &lt;script&gt;alert(1)&lt;/script&gt;</title>"
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta name="dc.publisher" content="&lt;b&gt;Kommunen&lt;/b&gt;"></head>'
        "<body><main><h1>Plan</h1><p>Kommunen planterar träd längs alla gator i centrum.</p></main></body></html>"
    )
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    report = ingest([str(tmp_path / "plan.html")], store, build_chunker(Settings()), "x", progress=False)
    assert not report.failed
    meta = store.chunks_of("plan.html")[0].metadata
    assert "<" not in meta["title"] and meta["publisher"] == "Kommunen"
    assert not str(meta.get("source_url", "")).startswith("javascript")


# --- bombs and parse limits: in a worker process, within IngestLimits -----------------------------


def _ingest_one(tmp_path: Path, store, name: str, data: bytes, limits: IngestLimits) -> str:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "bra.md").write_text(GOOD, encoding="utf-8")
    paths = [str(tmp_path / name), str(tmp_path / "bra.md")]
    report = ingest(paths, store, build_chunker(Settings()), "x", progress=False, limits=limits)
    assert "bra.md" in store.documents() and name not in store.documents()
    assert [f["source"] for f in report.failed] == [name]
    return report.failed[0]["error"]


def test_pdf_decompression_bomb_is_refused_before_parsing(tmp_path, store):
    error = _ingest_one(tmp_path, store, "bomb.pdf", pdf_bomb(400), IngestLimits())
    assert "decompression bomb" in error


def test_pdf_bomb_past_the_checks_is_stopped_by_the_worker_memory_limit(tmp_path, store):
    # pdfminer meets the MemoryError, then retries the stream byte by byte: the time limit ends it.
    limits = IngestLimits(unpacked_mb=100_000, parse_memory_mb=200, parse_seconds=10)
    error = _ingest_one(tmp_path, store, "bomb.pdf", pdf_bomb(400), limits)
    assert re.search(r"MemoryError|more than 200 MB|longer than 10 s", error), error


def test_docx_with_too_many_paragraphs_is_refused(tmp_path, store):
    error = _ingest_one(tmp_path, store, "stycken.docx", docx_paragraphs(100_000), IngestLimits())
    assert "100001 paragraphs (limit 50000)" in error


def test_docx_zip_bomb_is_refused(tmp_path, store):
    error = _ingest_one(tmp_path, store, "zip.docx", docx_zip_bomb(40), IngestLimits(unpacked_mb=32))
    assert "zip bomb" in error


def test_slow_parse_is_killed_at_the_time_limit(tmp_path, store):
    limits = IngestLimits(paragraphs=10**9, parse_seconds=1)
    error = _ingest_one(tmp_path, store, "stycken.docx", docx_paragraphs(100_000), limits)
    assert "longer than 1 s" in error


def test_parse_workers_do_not_rerun_the_callers_main_module(tmp_path):
    # Re-running __main__ in every worker cost seconds per file (the CLI imports Chroma), and a
    # script without a __main__ guard ran again in each worker and failed.
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from ingest.limits import IngestLimits\n"
        "from ingest.loaders.isolate import run_isolated\n"
        "print('script', flush=True)\n"
        "print(run_isolated(len, (b'abc',), IngestLimits()), flush=True)\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["script", "3"]
