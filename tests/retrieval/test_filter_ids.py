"""The lexical filter's id set is cached, and a write to the store makes it read Chroma again."""

from __future__ import annotations

from assistant.domain import Filters
from assistant.service import AssistantService
from assistant.settings import Settings

DOC = """---
title: "{title}"
municipality: "Filtrerstad"
---

# {title}

Kommunen arbetar med {topic} i sitt lokala miljömålsarbete.
"""


def test_filtered_ids_follow_new_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(DOC.format(title="Dagvatten", topic="dagvatten"), encoding="utf-8")
    service = AssistantService(Settings(home=tmp_path / "home"))
    assert not service.ingest_paths([str(docs / "a.md")]).failed
    where = {"municipality": {"$in": ["Filtrerstad"]}}
    first = service.store.filter_ids(where)
    assert first == service.store.ids_where(where) and first
    assert service.store.filter_ids(where) is first  # cached

    (docs / "b.md").write_text(DOC.format(title="Pollinering", topic="pollinering"), encoding="utf-8")
    assert not service.ingest_paths([str(docs / "b.md")]).failed
    assert service.store.filter_ids(where) == service.store.ids_where(where) > first
    hits = service.search("pollinering", 5, Filters(municipality=["Filtrerstad"]))
    assert hits and hits[0].title == "Pollinering"
