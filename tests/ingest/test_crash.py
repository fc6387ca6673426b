"""Crash safety and atomic replacement against real embedded Chroma.

- An ingest process killed with SIGKILL at random moments (seeded, bounded loop) is always
  completed by the next run: exactly the right chunks, no duplicates, no orphans, and the BM25
  index agreeing with Chroma.
- Queries running while a document is replaced see it entirely old or entirely new. On main
  (new chunks upserted beside the old, then the old deleted) a query in between saw both.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from chromadb.api.client import SharedSystemClient

from assistant.components import build_chunker, build_store
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
TOPICS = ["pollinering", "dagvatten", "laddstolpar", "skolmaten", "cykelvägar"]


def _document(topic: str, version: int, paragraphs: int = 3) -> str:
    body = "\n\n".join(
        f"Version {version} stycke {i}: kommunens arbete med {topic} följs upp av nämnden "
        f"och redovisas i årsrapporten med mätetal nummer {version * 100 + i}." * 3
        for i in range(paragraphs)
    )
    return f"---\ntitle: Arbetet med {topic}\n---\n\n# Arbetet med {topic}\n\n{body}\n"


def _check_exact(settings: Settings, versions: dict[str, int]) -> None:
    store = build_store(settings)
    docs = store.documents()
    assert set(docs) == {f"{t}.md" for t in versions}
    assert all(d.complete for d in docs.values()), {s: (d.chunks, d.expected_chunks) for s, d in docs.items()}
    assert store.orphans() == []
    rows = store._collection.get(include=["metadatas", "documents"])
    assert len(rows["ids"]) == sum(d.chunks for d in docs.values())  # nothing beyond the live chunks
    keys = [(m["source"], m["chunk_index"]) for m in rows["metadatas"]]
    assert len(keys) == len(set(keys))  # no duplicates
    for meta, text in zip(rows["metadatas"], rows["documents"], strict=True):
        assert f"Version {versions[meta['source'][:-3]]} " in text  # the current version only
    assert set(store.lexical().ids) == set(rows["ids"])  # BM25 and Chroma agree


def _forget_clients() -> None:
    """Embedded Chroma is one process at a time: drop this process's cached client before a child
    writes, so the next check reads the files afresh."""
    SharedSystemClient.clear_system_cache()


@pytest.mark.slow  # child processes; about 1 s per kill on an idle machine
def test_ingest_killed_at_random_points_is_always_completed_by_the_next_run(tmp_path):
    rng = random.Random(15)
    folder = tmp_path / "docs"
    folder.mkdir()
    versions = {topic: 1 for topic in TOPICS}
    for topic in TOPICS:
        (folder / f"{topic}.md").write_text(_document(topic, 1), encoding="utf-8")
    settings = Settings(home=tmp_path / "home")
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    killed_during_run = 0
    template = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.crash_child"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert template.stdin is not None and template.stdout is not None

    def start() -> int:
        """A new ingest child; returns its pid once it has the store open and the model loaded."""
        _forget_clients()
        template.stdin.write(f"{settings.home}\t{folder}\n")
        template.stdin.flush()
        ready, pid = template.stdout.readline().split()
        assert ready == "ready"
        return int(pid)

    try:
        # A first, whole run; then a run over a few changed documents, as each killed run below has,
        # measures how long such a run takes here, so the kills land inside runs (a whole run takes
        # longer, and kills timed by it landed after the run on a loaded machine).
        start()
        assert template.stdout.readline().strip() == "done"
        assert template.stdout.readline().strip() == "exit 0"
        for topic in TOPICS[:2]:
            versions[topic] += 1
            (folder / f"{topic}.md").write_text(_document(topic, versions[topic]), encoding="utf-8")
        start()
        began = time.monotonic()
        assert template.stdout.readline().strip() == "done"
        run_seconds = time.monotonic() - began
        assert template.stdout.readline().strip() == "exit 0"
        for _ in range(KILLS):
            for topic in rng.sample(TOPICS, rng.randint(1, 3)):
                versions[topic] += 1
                (folder / f"{topic}.md").write_text(_document(topic, versions[topic]), encoding="utf-8")
            pid = start()
            time.sleep(rng.uniform(0.0, run_seconds * 0.8))
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(pid, signal.SIGKILL)
            lines = [template.stdout.readline().strip()]
            if lines[0] == "done":
                lines.append(template.stdout.readline().strip())
            killed_during_run += lines == [f"exit {int(signal.SIGKILL)}"]
            store = build_store(settings)
            report = ingest([str(folder)], store, build_chunker(settings), settings.chunking_id, progress=False)
            assert report.failed == []
            _check_exact(settings, versions)
    finally:
        template.stdin.close()
        template.wait(timeout=30)
    assert killed_during_run >= KILLS // 2  # most kills landed inside the run, not after it


def test_queries_during_a_replacement_see_one_version(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "dagvatten.md"
    path.write_text(_document("dagvatten", 1, paragraphs=10), encoding="utf-8")
    service = AssistantService(Settings(home=tmp_path / "home"))
    assert not service.ingest_paths([str(folder)]).failed
    seen: list[set[str]] = []
    stop = threading.Event()

    def query() -> None:
        while not stop.is_set():
            hits = service.search("dagvatten mätetal årsrapporten nämnden", k=10)
            seen.append({v for h in hits if h.source == "dagvatten.md" for v in re.findall(r"Version (\d+)", h.text)})

    reader = threading.Thread(target=query)
    reader.start()
    try:
        for version in range(2, 8):
            path.write_text(_document("dagvatten", version, paragraphs=10), encoding="utf-8")
            assert not service.ingest_paths([str(folder)]).failed
    finally:
        stop.set()
        reader.join(timeout=60)
    assert len(seen) >= 5
    mixed = [versions for versions in seen if len(versions) > 1]
    assert mixed == []
