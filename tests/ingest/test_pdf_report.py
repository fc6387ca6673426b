"""Long report PDFs and scans: reading order over columns, boxes, tables, running headers and
footers, printed page labels and OCR, through the loader, the chunker and the service."""

from __future__ import annotations

from pathlib import Path

import pytesseract
import pytest

from ingest.chunk import chunk_structured, page_at, page_details
from ingest.loaders import load_path
from ingest.loaders.pdf import parse_pdf
from ingest.model import Block, LoadedDocument, LoadError

from .pdf_fixtures import (
    EXAMPLES,
    FOOTER,
    HEADER,
    PLAIN_HEADING,
    TABLES,
    ReportFacts,
    build_columns,
    build_report,
    build_scan,
)


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportFacts]:
    """The long report and the scan, built once per session."""
    folder = tmp_path_factory.mktemp("pdf-fixtures")
    data, facts = build_report()
    (folder / "rapport.pdf").write_bytes(data)
    (folder / "protokoll.pdf").write_bytes(build_scan())
    return folder, facts


@pytest.fixture(scope="session")
def facts(pdf_dir: tuple[Path, ReportFacts]) -> ReportFacts:
    return pdf_dir[1]


@pytest.fixture(scope="session")
def report(pdf_dir: tuple[Path, ReportFacts]) -> LoadedDocument:
    return load_path(pdf_dir[0] / "rapport.pdf", pdf_dir[0])


@pytest.fixture(scope="session")
def scan(pdf_dir: tuple[Path, ReportFacts]) -> LoadedDocument:
    return load_path(pdf_dir[0] / "protokoll.pdf", pdf_dir[0])


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join([lines[0], "| " + " | ".join("---" for _ in rows[0]) + " |", *lines[1:]])


def test_report_fixture_is_long(facts: ReportFacts) -> None:
    assert facts.pages >= 60
    assert len(facts.examples) == 3 and len(facts.tables) == 2


def test_sentence_across_column_break_is_read_whole(report: LoadedDocument, facts: ReportFacts) -> None:
    left, right = facts.column_break
    on_page = [b for b in report.blocks if b.page == facts.column_break_page]
    assert [b.kind for b in on_page if f"{left} {right}" in b.text] == ["paragraph"]
    assert not any(b.text.endswith(left) for b in on_page)


def test_headers_footers_page_numbers_and_contents_left_out(report: LoadedDocument) -> None:
    texts = [b.text for b in report.blocks]
    assert not any(HEADER in t or "Sida " in t or "Innehåll" in t or "....." in t for t in texts)
    assert not any(FOOTER in t for t in texts)
    assert 2 not in {b.page for b in report.blocks}  # the contents page


def test_contents_entry_in_body_font_is_a_heading(report: LoadedDocument) -> None:
    assert [(b.kind, b.page) for b in report.blocks if b.text == PLAIN_HEADING] == [("heading", 4)]


def test_boxes_are_blocks_of_their_own(report: LoadedDocument) -> None:
    for example in EXAMPLES:
        box = [b for b in report.blocks if b.box is not None and b.page == example.page]
        assert [(b.kind, b.text) for b in box] == [("heading", example.title), ("paragraph", example.text)]
    running = " ".join(b.text for b in report.blocks if b.box is None)
    assert not any(e.text[:40] in running for e in EXAMPLES)


def test_example_boxes_become_example_chunks(report: LoadedDocument) -> None:
    chunks = chunk_structured(report)
    examples = [c for c in chunks if c.metadata["is_example"]]
    found = {(c.metadata["municipality"], c.metadata["theme"], c.metadata["page"]) for c in examples}
    assert found == {
        ("Hagfors", "laddinfrastruktur", EXAMPLES[0].page),
        ("Säffle", "ängsmark för pollinatörer", EXAMPLES[1].page),
        ("Arvika", "mindre matsvinn i skolköken", EXAMPLES[2].page),
    }
    for chunk, example in zip(sorted(examples, key=lambda c: c.metadata["page"]), EXAMPLES, strict=True):
        assert chunk.page_content == f"{example.title}\n\n{example.text}"  # nothing of the running text
        assert chunk.metadata["section"].endswith(example.title)


def test_tables_are_markdown_with_their_header(report: LoadedDocument, facts: ReportFacts) -> None:
    tables = [(b.page, b.text) for b in report.blocks if b.kind == "table"]
    assert tables == [(page, markdown(rows)) for page, rows in facts.tables]
    chunks = chunk_structured(report)
    for (page, rows), (caption, _) in zip(facts.tables, TABLES, strict=True):
        holding = [c for c in chunks if markdown(rows[:1]) in c.page_content]
        assert len(holding) == 1
        assert caption in holding[0].page_content and markdown(rows) in holding[0].page_content
        assert holding[0].metadata["page"] == page


def test_long_table_is_split_between_rows_with_the_header_repeated() -> None:
    rows = [["Kommun", "Åtgärd", "År"]] + [[f"Kommun {i}", f"Åtgärd nummer {i} i planen", "2025"] for i in range(30)]
    doc = LoadedDocument("t.pdf", "h", {"title": "T"}, [Block("table", markdown(rows), page=4)])
    chunks = chunk_structured(doc, size=300, overlap=50)
    assert len(chunks) > 3
    header = markdown(rows[:1])
    body_rows = [line for c in chunks for line in c.page_content.split("\n")[2:]]
    assert all(c.page_content.startswith(header) for c in chunks)
    assert body_rows == [markdown([r]).split("\n")[0] for r in rows[1:]]  # each row once, in order


def test_footnote_mark_dropped_and_note_kept_apart(report: LoadedDocument, facts: ReportFacts) -> None:
    page, note = facts.footnote
    on_page = [b.text for b in report.blocks if b.page == page]
    assert on_page[-1] == f"1 {note}"  # after both columns
    assert any("varje år i sin miljöredovisning för avsnitt 8.1" in t for t in on_page)


def test_physical_pages_and_printed_labels(report: LoadedDocument, facts: ReportFacts) -> None:
    cover = report.blocks[0]
    assert (cover.page, cover.page_label, cover.text) == (1, "i", "Vägledning för lokalt miljöarbete")
    assert all(b.page_label == str(b.page - 2) for b in report.blocks if b.page and b.page > 2)
    example = next(c for c in chunk_structured(report) if c.metadata.get("municipality") == "Arvika")
    assert (example.metadata["page"], example.metadata["page_label"]) == (facts.examples[2].page, "48")


def test_scanned_pages_are_ocrd(scan: LoadedDocument) -> None:
    text = {b.page: b.text for b in scan.blocks if b.kind == "paragraph" and len(b.text) > 60}
    assert "alla nya förskolor ska byggas med stomme av trä" in text[2]
    assert "gatubelysningen ska bytas till lysdioder" in text[3]
    assert all(b.ocr for b in scan.blocks)
    chunk = next(c for c in chunk_structured(scan) if "stomme av trä" in c.page_content)
    assert chunk.metadata["ocr_pages"] == "[1, 2, 3]"
    page = page_at(chunk.metadata, chunk.page_content.index("stomme av trä"))
    assert (page, page_details(chunk.metadata, page)) == (2, (None, True))


def test_missing_tesseract_fails_the_file_with_its_reason(
    pdf_dir: tuple[Path, ReportFacts], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(LoadError, match=r"OCR is unavailable: Tesseract is not installed \(apt-get install"):
        load_path(pdf_dir[0] / "protokoll.pdf", pdf_dir[0])


@pytest.fixture(scope="session")
def pdf_service(pdf_dir: tuple[Path, ReportFacts], tmp_path_factory: pytest.TempPathFactory):
    """A service over a fresh data home with the report and the scan ingested (real embedder, Chroma)."""
    from assistant.service import AssistantService
    from assistant.settings import Settings

    service = AssistantService(Settings(home=tmp_path_factory.mktemp("pdf-home")))
    report = service.ingest_paths([str(pdf_dir[0])])
    assert (report.documents, report.failed) == (2, [])
    return service


def test_example_question_is_answered_from_the_box_with_its_page(pdf_service, facts: ReportFacts) -> None:
    answer = pdf_service.ask("Hur minskade Arvika matsvinnet i skolköken?")
    assert not answer.refused
    first = answer.citations[0]
    assert "väga tallrikssvinnet varje dag" in answer.answer
    assert (first.source, first.page, first.page_label, first.ocr) == (
        "rapport.pdf",
        facts.examples[2].page,
        "48",
        False,
    )


def test_examples_are_found_by_theme_and_municipality(pdf_service, facts: ReportFacts) -> None:
    from assistant.domain import Filters

    hits = pdf_service.search("ängsmark för pollinatörer", k=3, filters=Filters(examples_only=True))
    assert (hits[0].page, hits[0].metadata["page_label"], hits[0].metadata["municipality"]) == (
        facts.examples[1].page,
        "30",
        "Säffle",
    )
    only = pdf_service.search("laddplatser", k=3, filters=Filters(examples_only=True, municipality=["Hagfors"]))
    assert [(h.page, h.metadata["theme"]) for h in only] == [(facts.examples[0].page, "laddinfrastruktur")]


def test_table_row_is_quoted_with_its_header_and_page(pdf_service, facts: ReportFacts) -> None:
    answer = pdf_service.ask("Vilket år ska kommunen ha fossilfria tjänstebilar?")
    page, rows = facts.tables[0]
    quote = next(c for c in answer.citations if "Fossilfria tjänstebilar" in c.quote)
    assert quote.quote.startswith(markdown(rows[:1]))
    assert "| Transporter | Fossilfria tjänstebilar | 2027 |" in quote.quote
    assert (quote.page, quote.page_label) == (page, str(page - 2))


def test_sentence_on_a_scanned_page_is_answered_with_its_page(pdf_service) -> None:
    answer = pdf_service.ask("Vad beslutade kommunfullmäktige om nya förskolor?")
    first = answer.citations[0]
    assert "stomme av trä" in first.quote
    assert (first.source, first.page, first.ocr) == ("protokoll.pdf", 2, True)


def test_citation_page_names_printed_label_and_ocr() -> None:
    from assistant.domain import page_text

    assert page_text(12) == "s. 12"
    assert page_text(12, "10") == "s. 10 (PDF-sida 12)"
    assert page_text(3, "3") == "s. 3"
    assert page_text(2, None, ocr=True) == "s. 2, inskannad (OCR)"
    assert page_text(None) == ""


@pytest.mark.parametrize("columns", [2, 3])
def test_columns_are_read_one_after_the_other(columns: int) -> None:
    data, text = build_columns(columns)
    _, blocks = parse_pdf(data)
    assert {b.kind for b in blocks} == {"paragraph"}
    assert " ".join(b.text for b in blocks) == text
