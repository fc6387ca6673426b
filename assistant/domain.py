"""Domain types shared by retrieval, answering and the service.

The JSON shapes are a public contract (CLI, API, evals)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.documents import Document


class QuestionError(ValueError):
    """A question that cannot be answered as asked; the message is Swedish, for the user."""


@dataclass
class Filters:
    doc_type: list[str] = field(default_factory=list)
    publisher: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    examples_only: bool = False
    sources: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass
class Candidate:
    doc: Document
    dense: float | None = None  # cosine similarity of the passage to the query
    unit_dense: float | None = None  # the highest cosine of one of its sentences or lists to the query
    lexical: float | None = None  # BM25 score
    fused: float = 0.0  # weighted reciprocal-rank fusion
    score: float = 0.0  # final ranking score (after rerank; = fused without one)

    @property
    def source(self) -> str:
        return self.doc.metadata.get("source", "")


@dataclass
class Hit:
    """A retrieved passage, as `kommunstod search --json` prints it."""

    source: str
    title: str
    chunk_id: str
    score: float
    text: str
    page: int | None
    section: str | None
    source_url: str | None
    metadata: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_document(cls, doc: Document, score: float) -> Hit:
        m = doc.metadata
        return cls(
            source=m.get("source", ""),
            title=m.get("title", ""),
            chunk_id=m.get("chunk_id", doc.id or ""),
            score=round(float(score), 6),
            text=doc.page_content,
            page=m.get("page"),
            section=m.get("section") or None,
            source_url=m.get("source_url"),
            metadata=dict(m),
        )

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("metadata")
        return out


def page_text(page: int | None, page_label: str | None = None, ocr: bool = False) -> str:
    """How a citation names its page: "s. 12", "s. 10 (PDF-sida 12)" when the PDF prints another page
    number on it, and a note when the page was read by OCR."""
    if page is None:
        return ""
    text = f"s. {page_label} (PDF-sida {page})" if page_label and page_label != str(page) else f"s. {page}"
    return f"{text}, inskannad (OCR)" if ocr else text


@dataclass
class Citation:
    """[n] in the answer: the passage it rests on and the exact quoted span (offsets into `text`)."""

    n: int
    source: str
    title: str
    source_url: str | None
    page: int | None
    section: str | None
    quote: str
    chunk_id: str
    start: int
    end: int
    text: str
    page_label: str | None = None  # the page number printed on the page, when the PDF defines labels
    ocr: bool = False  # the quoted page was read by OCR (a scan)
    year: int | None = None  # publication year of the source, shown with the citation

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    answer: str
    refused: bool
    citations: list[Citation]
    retrieved: list[Hit]
    timings_ms: dict[str, float]
    standalone_question: str = ""
    evidence: float = 0.0  # the refusal model's probability that the passages answer (refusal_threshold)
    similarity: float = 0.0  # the similarity evidence (similarity_threshold)
    suggestions: list[Hit] = field(default_factory=list)
    mode: str = "extractive"  # "generative" when the LLM's verified answer is given
    verification: dict[str, Any] | None = None  # generative: {sentences, claims, supported, action, removed}
    fallback: str = ""  # why the extractive answer was given although generative mode is on (Swedish)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [h.to_json() for h in self.retrieved],
            "timings_ms": self.timings_ms,
            "standalone_question": self.standalone_question,
            "evidence": round(self.evidence, 4),
            "similarity": round(self.similarity, 4),
            "suggestions": [
                {"source": h.source, "title": h.title, "source_url": h.source_url} for h in self.suggestions
            ],
            "mode": self.mode,
            "verification": self.verification,
            "fallback": self.fallback,
        }
