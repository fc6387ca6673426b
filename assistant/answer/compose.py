"""Extractive answer composition: pick the sentences and whole lists that answer the question.

Every block of the answer is verbatim text of one retrieved passage followed by its citation
marker, so no sentence appears that is not in a cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.answer.units import Unit, UnitScorer, split_units
from assistant.domain import Candidate, Citation
from ingest.chunk import page_at, page_details, section_at


@dataclass
class _Pick:
    rank: int  # passage rank
    unit: Unit
    score: float


@dataclass
class Composition:
    lead_in: str
    blocks: list[tuple[str, int]]  # (verbatim text, citation number)
    citations: list[Citation]
    best: float  # best unit score: the evidence the refusal decision rests on

    @property
    def text(self) -> str:
        body = "\n\n".join(f"{text} [{n}]" for text, n in self.blocks)
        return f"{self.lead_in}\n\n{body}" if body else self.lead_in


class Composer:
    # The numbers come from Settings (composer_*), where their origin is recorded.
    def __init__(self, scorer: UnitScorer, max_units: int, max_chars: int, margin: float, rank_penalty: float) -> None:
        self.scorer = scorer
        self.max_units = max_units
        self.max_chars = max_chars
        self.margin = margin  # units within this of the best are relevant enough to show
        self.rank_penalty = rank_penalty  # passage rank is a prior: the reranker judged passages as a whole

    def _picks(self, question: str, query_vec: np.ndarray, passages: list[Candidate]) -> list[_Pick]:
        picks = []
        for rank, cand in enumerate(passages):
            units = [u for u in split_units(cand.doc.page_content) if u.kind != "heading"]
            for unit, score in zip(units, self.scorer.score(question, query_vec, units), strict=True):
                picks.append(_Pick(rank, unit, score - self.rank_penalty * rank))
        return sorted(picks, key=lambda p: p.score, reverse=True)

    def _select(self, picks: list[_Pick]) -> list[_Pick]:
        if not picks:
            return []
        best = picks[0].score
        chosen: list[_Pick] = [picks[0]]
        used = len(picks[0].unit.text)
        for pick in picks[1:]:
            if len(chosen) >= self.max_units or pick.score < best - self.margin:
                break
            if used + len(pick.unit.text) > self.max_chars:
                continue
            if any(_overlaps(pick, c) or _same_text(pick, c) for c in chosen):
                continue
            chosen.append(pick)
            used += len(pick.unit.text)
        return chosen

    def compose(self, question: str, query_vec: np.ndarray, passages: list[Candidate]) -> Composition:
        picks = self._picks(question, query_vec, passages)
        chosen = self._select(picks)
        best = picks[0].score if picks else 0.0
        # Group by passage, most direct answer first; inside a passage keep document order and
        # join units that stand next to each other into one quoted span.
        order: list[int] = []
        for pick in chosen:
            if pick.rank not in order:
                order.append(pick.rank)
        citations: list[Citation] = []
        blocks: list[tuple[str, int]] = []
        for rank in order:
            doc = passages[rank].doc
            text = doc.page_content
            units = sorted((p.unit for p in chosen if p.rank == rank), key=lambda u: u.start)
            spans: list[list[int]] = []
            for unit in units:
                if spans and not text[spans[-1][1] : unit.start].strip():
                    spans[-1][1] = unit.end
                else:
                    spans.append([unit.start, unit.end])
            for start, end in spans:
                n = len(citations) + 1
                m = doc.metadata
                page = page_at(m, start)
                page_label, ocr = page_details(m, page)
                citations.append(
                    Citation(
                        n=n,
                        source=m.get("source", ""),
                        title=m.get("title", ""),
                        source_url=m.get("source_url"),
                        page=page,
                        section=section_at(m, start) or None,
                        quote=text[start:end],
                        chunk_id=m.get("chunk_id", doc.id or ""),
                        start=start,
                        end=end,
                        text=text,
                        page_label=page_label,
                        ocr=ocr,
                    )
                )
                # Blank lines separate answer blocks, so a quoted span is shown without them.
                blocks.append((re.sub(r"\n\s*\n", "\n", text[start:end]), n))
        titles = {c.title for c in citations}
        lead_in = f"Enligt {titles.pop()}:" if len(titles) == 1 else "Enligt de inlästa dokumenten:"
        return Composition(lead_in, blocks, citations, best)


def _overlaps(a: _Pick, b: _Pick) -> bool:
    return a.rank == b.rank and a.unit.start < b.unit.end and b.unit.start < a.unit.end


def _same_text(a: _Pick, b: _Pick) -> bool:
    """Overlapping chunks repeat sentences; never show one twice."""
    return " ".join(a.unit.text.split()) == " ".join(b.unit.text.split())
