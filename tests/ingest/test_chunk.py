from __future__ import annotations

import re

from ingest.chunk import chunk_recursive, chunk_structured, embedding_text
from ingest.model import Block, LoadedDocument
from ingest.swedish import split_sentences

SENTENCE = "Kommunen följer upp sina miljömål varje år och redovisar resultatet för nämnden. "


def para(n: int, word: str = "Uppföljning") -> Block:
    return Block("paragraph", f"{word} sker löpande. " + SENTENCE * n, page=None)


def guidance() -> LoadedDocument:
    blocks = [
        Block("heading", "Vägledning", 1, page=1),
        Block("heading", "Del 3", 2, page=1),
        Block("heading", "Processteg", 3, page=1),
        Block("paragraph", "Processen har flera steg. " + SENTENCE * 4, page=1),
        Block("heading", "Uppföljning", 4, page=2),
        Block("paragraph", "Uppföljning görs årligen. " + SENTENCE * 14, page=2),
        Block("list", "- Samla in data\n- Analysera resultatet\n- Rapportera till fullmäktige", page=3),
        Block("heading", "Lärande exempel: Lunds kommun", 3, page=3),
        Block("paragraph", "Lund har arbetat med miljöprogram sedan länge. " + SENTENCE * 3, page=3),
        Block("heading", "Del 4", 2, page=4),
        Block("paragraph", "Avslutning. " + SENTENCE * 12, page=4),
    ]
    return LoadedDocument(
        source="vagledning.pdf",
        content_hash="abc",
        metadata={"title": "Vägledning", "publisher": "RUS", "published": "2020-05-01", "doc_type": "vägledning"},
        blocks=blocks,
    )


def test_section_paths_follow_the_heading_hierarchy():
    chunks = chunk_structured(guidance(), size=600, overlap=100)
    sections = [c.metadata["section"] for c in chunks]
    assert "Del 3 > Processteg > Uppföljning" in sections
    assert "Del 3 > Lärande exempel: Lunds kommun" in sections  # a level-3 sibling of Processteg
    assert sections[-1] == "Del 4"
    # The title heading is metadata, not part of any section path.
    assert not any(s.startswith("Vägledning") for s in sections)


def test_chunks_respect_size_and_never_cut_sentences_or_lists():
    chunks = chunk_structured(guidance(), size=600, overlap=100)
    assert len(chunks) >= 5
    for c in chunks:
        assert len(c.page_content) <= 600 + 120, c.page_content  # a heading line may ride along
        last = c.page_content.rstrip().splitlines()[-1]
        assert last.endswith((".", "!", "?", ":")) or last.startswith("- "), last
    lists = [c for c in chunks if "- Samla in data" in c.page_content]
    assert len(lists) == 1
    assert "- Analysera resultatet\n- Rapportera till fullmäktige" in lists[0].page_content


def test_overlap_repeats_the_previous_sentences_within_a_section_only():
    chunks = chunk_structured(guidance(), size=600, overlap=100)
    follow = [c for c in chunks if c.metadata["section"] == "Del 3 > Processteg > Uppföljning"]
    assert len(follow) >= 2
    tail = split_sentences(follow[0].page_content.split("\n\n")[-1])[-1]
    assert tail in follow[1].page_content
    del4 = [c for c in chunks if c.metadata["section"] == "Del 4"][0]
    assert "Lund har arbetat" not in del4.page_content


def test_metadata_pages_examples_and_stable_ids():
    doc = guidance()
    chunks = chunk_structured(doc, size=600, overlap=100)
    example = [c for c in chunks if c.metadata["is_example"]]
    assert example and all("Lund" in c.page_content for c in example)
    assert all(c.metadata["page"] >= 1 for c in chunks)
    listed = [c for c in chunks if "- Samla in data" in c.page_content][0]
    assert (listed.metadata["page"], listed.metadata["page_end"]) == (3, 3)
    two_pages = LoadedDocument("p.pdf", "h", {"title": "P"}, [para(2), para(2)])
    two_pages.blocks[0].page, two_pages.blocks[1].page = 1, 2
    spanning = chunk_structured(two_pages, size=1000, overlap=0)
    assert [(c.metadata["page"], c.metadata["page_end"]) for c in spanning] == [(1, 2)]
    meta = chunks[0].metadata
    assert meta["source"] == "vagledning.pdf" and meta["year"] == 2020 and meta["publisher"] == "RUS"
    assert meta["n_chunks"] == len(chunks) and meta["doc_hash"] == "abc"
    assert [c.id for c in chunk_structured(doc, size=600, overlap=100)] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)
    doc.blocks[-1] = Block("paragraph", "Ny avslutning. " + SENTENCE * 12, page=4)
    changed = chunk_structured(doc, size=600, overlap=100)
    old_ids = {c.id for c in chunks}
    assert [c.id for c in changed[:5]] == [c.id for c in chunks[:5]]
    assert all(c.id not in old_ids for c in changed if "Ny avslutning" in c.page_content)


def test_small_web_sections_are_merged_into_few_chunks():
    blocks = [Block("heading", "Sida", 1)]
    for name in ("Bakgrund", "Så funkar det", "Hur jobbar vi?"):
        blocks += [Block("heading", name, 2), Block("paragraph", f"{name} är viktigt för kommunen.")]
    doc = LoadedDocument("sida.md", "h", {"title": "Sida"}, blocks)
    chunks = chunk_structured(doc, size=1000, overlap=100)
    assert len(chunks) == 1
    assert chunks[0].metadata["section"] == "Bakgrund"
    assert "Hur jobbar vi?\n\nHur jobbar vi? är viktigt" in chunks[0].page_content


def test_oversized_paragraph_splits_at_sentences():
    doc = LoadedDocument("x.txt", "h", {"title": "X"}, [para(60)])
    chunks = chunk_structured(doc, size=500, overlap=0)
    assert len(chunks) > 5
    for c in chunks:
        assert c.page_content.endswith(".")
        assert not re.search(r"\w$", c.page_content)


def test_recursive_baseline_splits_per_page():
    chunks = chunk_recursive(guidance(), size=400, overlap=80)
    assert {c.metadata["page"] for c in chunks} == {1, 2, 3, 4}
    assert all(len(c.page_content) <= 400 for c in chunks)
    assert all(c.metadata["section"] == "" for c in chunks)


def test_embedding_text_carries_title_and_section():
    chunk = chunk_structured(guidance(), size=600, overlap=100)[1]
    text = embedding_text(chunk)
    assert text.startswith("Vägledning – Del 3 > Processteg")
    assert text.endswith(chunk.page_content)


def test_a_list_keeps_its_lead_in_sentence_even_across_a_chunk_boundary():
    lead = "Vägledningen är indelad i tre delar enligt nedan, och innehåller lärande exempel."
    blocks = [
        Block("heading", "Vägledning", 2),
        Block("paragraph", SENTENCE * 8 + lead),
        Block("list", "1. Agenda 2030 och miljömålen\n2. Kommunens roller\n3. Processteg"),
    ]
    chunks = chunk_structured(LoadedDocument("v.md", "h", {"title": "V"}, blocks), size=800, overlap=0)
    with_list = [c for c in chunks if "1. Agenda 2030" in c.page_content]
    assert len(chunks) == 2 and len(with_list) == 1
    assert f"{lead}\n\n1. Agenda 2030" in with_list[0].page_content
    assert lead not in chunks[0].page_content


def test_a_document_without_a_date_is_dated_by_a_dated_web_address():
    url = "https://www.regeringen.se/rattsliga-dokument/proposition/2005/05/prop.-200405150-/"
    dated = LoadedDocument("prop.md", "h", {"title": "P", "source_url": url}, [para(1)])
    assert chunk_structured(dated, size=1000, overlap=0)[0].metadata["year"] == 2005
    undated = LoadedDocument("s.md", "h", {"title": "S", "source_url": "https://saffle.se/2005/"}, [para(1)])
    assert "year" not in chunk_structured(undated, size=1000, overlap=0)[0].metadata
    published = {"title": "P", "source_url": url, "published": "2010-01-01"}
    assert chunk_structured(LoadedDocument("p.md", "h", published, [para(1)]), 1000, 0)[0].metadata["year"] == 2010
