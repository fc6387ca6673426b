"""The HTML of the sources panel and the other UI fragments."""

from __future__ import annotations

from assistant.ui.facets import facet_values
from assistant.ui.render import document_rows, highlighted, ingest_summary, sources_panel

CITATION = {
    "n": 1,
    "source": "hagfors.md",
    "title": "Hagfors <kommun>",
    "source_url": "https://example.org/h?a=1&b=2",
    "page": 4,
    "section": "Valda områden",
    "quote": "valt pollinering",
    "chunk_id": "c1",
    "start": 13,
    "end": 29,
    "text": "Kommunen har valt pollinering & <vatten>.",
}


def test_the_quoted_span_is_marked_and_everything_else_escaped():
    assert highlighted("ab<c>de", 2, 5) == "ab<mark>&lt;c&gt;</mark>de"
    assert highlighted("abc", 2, 9) == "abc"  # offsets outside the text mark nothing
    assert highlighted("a<b", 1, 1) == "a&lt;b"


def test_long_chunks_are_cut_around_the_quote():
    text = "början " * 100 + "CITAT" + " slutet" * 100
    html = highlighted(text, 700, 705, context=20)
    assert html == "…början början <mark>CITAT</mark> slutet slutet…"


def test_citation_card_has_title_section_page_link_and_mark():
    html = sources_panel({"refused": False, "citations": [CITATION]})
    assert "<h3>Källor (1)</h3>" in html
    assert 'id="kalla-1"' in html and "[1]</span> Hagfors &lt;kommun&gt;" in html
    assert "Valda områden · s. 4" in html
    assert '<a href="https://example.org/h?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">' in html
    assert "Kommunen har <mark>valt pollinering</mark> &amp; &lt;vatten&gt;." in html


def test_only_web_links_are_linked():
    html = sources_panel(None, [CITATION | {"source_url": "javascript:alert(1)"}])
    assert "javascript:" not in html and "Originalet" not in html


def test_refusal_says_so_and_lists_the_nearest_documents():
    answer = {"refused": True, "citations": [], "suggestions": [{"title": "Sveriges miljömål", "source_url": None}]}
    html = sources_panel(answer)
    assert "Inget svar i dokumenten" in html and "<li>Sveriges miljömål </li>" in html
    assert "Källorna till svaret visas här" in sources_panel(None)


def test_document_rows_and_facets():
    docs = [
        {"source": "a.md", "title": "A", "doc_type": "faktablad", "region": "Värmland", "chunks": 2},
        {
            "source": "b.md",
            "title": "B",
            "municipality": "Säffle",
            "region": "nationell",
            "chunks": 1,
            "complete": False,
        },
    ]
    assert document_rows(docs) == [
        ["A", "", "faktablad", "", 2, "a.md"],
        ["B", "", "", "", "1 (ofullständigt)", "b.md"],
    ]
    assert facet_values(docs) == {
        "doc_type": ["faktablad"],
        "region": ["nationell", "Värmland"],
        "municipality": ["Säffle"],
    }


def test_ingest_summary_in_plain_swedish():
    report = {"stored": ["a.md"], "documents": 4, "failed": [{"source": "b.md", "error": "tom fil"}]}
    assert ingest_summary(report) == "Inläst: a.md. Lagret har nu 4 dokument.\n\nKunde inte läsa in **b.md**: tom fil."
