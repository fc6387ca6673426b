"""Incremental ingest through the real CLI and pipeline: unchanged, changed, removed, failed, killed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.cli import main
from assistant.components import build_chunker, build_store
from assistant.settings import Settings
from ingest.pipeline import ingest

DOC = """---
title: "{title}"
publisher: "Testkommun"
doc_type: "faktablad"
region: "Värmland"
published: "2022"
---

# {title}

{body}

## Uppföljning

Åtgärderna följs upp en gång per år av kommunens miljöstrateg.
"""


def write(folder, name, title, body):
    (folder / name).write_text(DOC.format(title=title, body=body), encoding="utf-8")


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "pollinering.md", "Pollinering", "Kommunen sår ängar för vilda pollinatörer längs vägarna.")
    write(docs, "vatten.md", "Kommunal vattenplanering", "Vattenplanen pekar ut vattenförekomster att skydda.")
    (docs / "README.md").write_text("Om mappen", encoding="utf-8")
    (docs / "bild.png").write_bytes(b"\x89PNG")
    return docs


def run_json(capsys, *args) -> tuple[int, dict]:
    code = main(["ingest", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_second_run_adds_nothing_and_embeds_nothing(folder, tmp_path, capsys):
    home = str(tmp_path / "home")
    code, first = run_json(capsys, str(folder), "--home", home)
    assert code == 0
    assert (first["documents"], first["added"], first["unchanged"], first["failed"]) == (2, 2, 0, [])
    assert first["embedded"] > first["chunks"] > 0  # every chunk, then its answer units (warm_units)
    assert first["skipped"] == ["bild.png"]  # README.md describes the folder and is not ingested
    code, second = run_json(capsys, str(folder), "--home", home)
    assert code == 0
    assert (second["added"], second["updated"], second["unchanged"], second["embedded"]) == (0, 0, 2, 0)


def test_runs_read_the_registry_never_every_chunk(folder, tmp_path):
    """Unchanged, changed, added and removed files, with chunk metadata unreadable after the first run:
    the document list and content hashes come from the registry, and the store and lexical index
    still follow every change."""
    settings = Settings(home=tmp_path / "home")
    store = build_store(settings)

    def run(prune: bool = False):
        return ingest([str(folder)], store, build_chunker(settings), settings.chunking_id, progress=False, prune=prune)

    run()

    def scan() -> None:
        raise AssertionError("every chunk's metadata was read")

    store._chunks_by_source = scan
    report = run()
    assert (report.unchanged, report.added, report.updated, report.documents) == (2, 0, 0, 2)
    write(folder, "vatten.md", "Kommunal vattenplanering", "Vattenplanen omfattar nu även dagvatten.")
    write(folder, "luft.md", "Luft", "Vedeldning ger partiklar i tätorten.")
    (folder / "pollinering.md").unlink()
    report = run(prune=True)
    assert (report.updated, report.added, report.deleted, report.documents) == (1, 1, 1, 2)
    assert set(store.documents()) == {"vatten.md", "luft.md"}
    top = store.lexical_search("dagvatten", k=1)
    assert store.get([top[0][0]])[0].metadata["source"] == "vatten.md"
    assert store.lexical_search("pollinatörer ängar", k=3) == []


def test_changed_file_replaces_exactly_its_own_chunks(folder, tmp_path, capsys):
    home = tmp_path / "home"
    run_json(capsys, str(folder), "--home", str(home))
    store = build_store(Settings(home=home))
    before = {s: {c.id for c in store.chunks_of(s)} for s in ("pollinering.md", "vatten.md")}
    write(folder, "vatten.md", "Kommunal vattenplanering", "Vattenplanen omfattar nu även dagvatten och grundvatten.")
    code, report = run_json(capsys, str(folder), "--home", str(home))
    assert code == 0 and (report["updated"], report["unchanged"]) == (1, 1)
    after = {s: {c.id for c in store.chunks_of(s)} for s in ("pollinering.md", "vatten.md")}
    assert after["pollinering.md"] == before["pollinering.md"]
    assert after["vatten.md"] != before["vatten.md"]
    assert any("dagvatten" in c.page_content for c in store.chunks_of("vatten.md"))
    assert not any("pekar ut" in c.page_content for c in store.chunks_of("vatten.md"))
    # Only the changed paragraph is new text: the new chunk and that one sentence (an answer unit)
    # are embedded; the unchanged "Uppföljning" sentence hits the cache.
    assert report["embedded"] == len(after["vatten.md"]) + 1


def test_prune_deletes_removed_files_only_from_the_same_folder(folder, tmp_path, capsys):
    home = str(tmp_path / "home")
    other = tmp_path / "other"
    other.mkdir()
    write(other, "annan.md", "Annan", "Ett annat dokument om grönska.")
    run_json(capsys, str(folder), str(other), "--home", home)
    (folder / "vatten.md").unlink()
    code, report = run_json(capsys, str(folder), "--home", home)
    assert report["deleted"] == 0 and report["documents"] == 3  # without --prune nothing goes
    code, report = run_json(capsys, str(folder), "--prune", "--home", home)
    assert code == 0 and report["deleted"] == 1
    assert {d.source for d in build_store(Settings(home=home)).documents().values()} == {
        "pollinering.md",
        "annan.md",
    }


def test_bad_files_fail_clearly_and_nothing_stored_is_lost(folder, tmp_path, capsys):
    home = str(tmp_path / "home")
    run_json(capsys, str(folder), "--home", home)
    (folder / "tom.md").write_bytes(b"")
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (folder / "latin1.txt").write_bytes("Miljömål för Säffle och Åmål".encode("latin-1"))
    (folder / "pollinering.md").write_bytes(b"")  # a stored document turns empty
    code, report = run_json(capsys, str(folder), "--home", home)
    assert code == 1
    failed = {f["source"]: f["error"] for f in report["failed"]}
    assert set(failed) == {"tom.md", "trasig.pdf", "latin1.txt", "pollinering.md"}
    assert "empty" in failed["tom.md"] and "UTF-8" in failed["latin1.txt"]
    assert report["documents"] == 2  # pollinering.md keeps its previous chunks
    store = build_store(Settings(home=home))
    assert any("ängar" in c.page_content for c in store.chunks_of("pollinering.md"))


def test_missing_path_and_unreachable_url_are_reported(tmp_path, capsys):
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/sida.html"
    code, report = run_json(capsys, str(tmp_path / "finns-inte"), url, "--home", str(tmp_path / "home"))
    assert code == 1
    errors = {f["source"]: f["error"] for f in report["failed"]}
    assert "no such file" in errors[str(tmp_path / "finns-inte")]
    assert url in errors and "reach" in errors[url]


def test_a_run_killed_halfway_is_completed_by_the_next(folder, tmp_path):
    long_body = "\n\n".join(
        f"Stycke {i}: vattenplanen beskriver skyddet av sjöar och vattendrag." * 4 for i in range(8)
    )
    write(folder, "vatten.md", "Kommunal vattenplanering", long_body)
    settings = Settings(home=tmp_path / "home")
    store = build_store(settings)
    original = store.replace_documents

    def dies_halfway(batch):
        (first, first_chunks), (_, second_chunks) = batch[0], batch[1]
        original([(first, first_chunks)])
        # Half a replacement of the second document: one chunk written, then the process dies.
        part = second_chunks[:1]
        store._collection.upsert(
            ids=[c.id for c in part],
            embeddings=store.embeddings.embed_documents([c.page_content for c in part]),
            documents=[c.page_content for c in part],
            metadatas=[c.metadata for c in part],
        )
        raise KeyboardInterrupt

    store.replace_documents = dies_halfway
    with pytest.raises(KeyboardInterrupt):
        ingest([str(folder)], store, build_chunker(settings), settings.chunking_id, progress=False)
    state = build_store(settings)
    assert set(state.documents()) == {"pollinering.md"}  # the half-written one was never switched to
    assert state.orphans()

    fresh = build_store(settings)
    report = ingest([str(folder)], fresh, build_chunker(settings), settings.chunking_id, progress=False)
    assert report.unchanged == 1 and report.added + report.updated == 1
    assert all(d.complete for d in fresh.documents().values()) and fresh.orphans() == []


def test_urls_are_fetched_and_ingested(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sida.html").write_text(
        "<html lang='sv'><head><title>Miljömål i kommunen</title></head><body><nav>Meny Hem Kontakt</nav>"
        "<main><h1>Miljömål i kommunen</h1><p>Kommunen har antagit ett miljöprogram med mål för 2030 och "
        "följer upp det varje år i en rapport till fullmäktige.</p></main></body></html>",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sida.html"
        code, report = run_json(capsys, url, "--home", str(tmp_path / "home"))
    finally:
        server.shutdown()
    assert code == 0 and report["added"] == 1
    doc = build_store(Settings(home=tmp_path / "home")).documents()[url]
    assert doc.metadata["title"] == "Miljömål i kommunen" and doc.metadata["source_url"] == url


def test_status_lists_what_is_stored(folder, tmp_path, capsys):
    home = str(tmp_path / "home")
    run_json(capsys, str(folder), "--home", home)
    assert main(["ingest", "--status", "--json", "--home", home]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["source"] for r in rows} == {"pollinering.md", "vatten.md"} and all(r["complete"] for r in rows)


@pytest.mark.slow
def test_cli_against_a_chroma_server(folder, tmp_path, chroma_server):
    env = {"KOMMUNSTOD_CHROMA": chroma_server, "KOMMUNSTOD_COLLECTION": "cli-test", "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "assistant.cli"]
    home = ["--home", str(tmp_path / "home")]
    out = subprocess.run([*cmd, "ingest", str(folder), "--json", *home], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["added"] == 2
    assert not (tmp_path / "home" / "chroma").exists()  # nothing embedded-local: the server holds it
    out = subprocess.run(
        [*cmd, "search", "vilda pollinatörer", "--json", *home], env=env, capture_output=True, text=True
    )
    assert json.loads(out.stdout)[0]["source"] == "pollinering.md"


def test_an_ingested_pdf_is_answered_with_page_and_section(report_pdf, tmp_path, capsys):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "vagledning.pdf").write_bytes(report_pdf)
    home = str(tmp_path / "home")
    code, report = run_json(capsys, str(tmp_path / "pdf" / "vagledning.pdf"), "--home", home)
    assert code == 0 and report["added"] == 1
    assert main(["ask", "Hur ofta görs uppföljningen och vad omfattar den?", "--json", "--home", home]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert not answer["refused"]
    cited = answer["citations"][0]
    assert cited["source"] == "vagledning.pdf" and cited["page"] == 2
    assert "Uppföljning" in cited["section"] and "en gång per år" in answer["answer"]


def test_ingest_from_a_manifest_fetches_every_listed_page(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    for name, title in (("vagledning.html", "Vägledning"), ("varmland.html", "Miljööverenskommelser")):
        (site / name).write_text(
            f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{title} beskriver hur "
            "kommuner och länsstyrelser arbetar med miljömålen och följer upp arbetet varje år.</p>"
            "</main></body></html>",
            encoding="utf-8",
        )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    manifest = tmp_path / "sources.yaml"
    manifest.write_text(
        "documents:\n"
        f"  - title: Vägledning för lokalt arbete\n    url: {base}/vagledning.html\n"
        "    publisher: Länsstyrelserna (RUS)\n    doc_type: vägledning\n    published: '2020'\n"
        f"  - title: Miljööverenskommelser i Värmland\n    url: {base}/varmland.html\n    region: Värmland\n",
        encoding="utf-8",
    )
    try:
        code, report = run_json(capsys, "--from-manifest", str(manifest), "--home", str(tmp_path / "home"))
    finally:
        server.shutdown()
    assert code == 0 and report["added"] == 2
    docs = build_store(Settings(home=tmp_path / "home")).documents()
    guide = docs[f"{base}/vagledning.html"].metadata
    assert guide["title"] == "Vägledning för lokalt arbete"  # the manifest's metadata wins
    assert guide["publisher"] == "Länsstyrelserna (RUS)" and guide["year"] == 2020
    assert docs[f"{base}/varmland.html"].metadata["region"] == "Värmland"


def test_a_manifest_without_urls_is_refused(tmp_path, capsys):
    manifest = tmp_path / "sources.yaml"
    manifest.write_text("documents:\n  - title: Utan adress\n", encoding="utf-8")
    assert main(["ingest", "--from-manifest", str(manifest), "--home", str(tmp_path / "home")]) == 2
    assert "url" in capsys.readouterr().err
