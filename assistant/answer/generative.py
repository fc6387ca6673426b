"""The generative answer stage: the LLM writes, every sentence is verified as it streams in, and
anything that goes wrong ends in the extractive answer.

Runs after retrieval; `run` yields token events and returns the finished Answer. Only verified
sentences (or, with verify_action=mark, marked ones) are ever sent on. When the endpoint fails,
answers in another language, ignores the citation format or too little of it can be supported, a
`replace` event swaps what was shown for the extractive answer and the response says why.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.answer.generate import header, messages, tokens
from assistant.answer.verify import SentenceCheck, VerificationSession, Verifier, english_share, normalise_markers
from assistant.domain import Answer, Citation, Hit
from ingest.chunk import page_at, section_at
from ingest.swedish import sentence_spans

log = logging.getLogger(__name__)

Events = Generator[dict[str, Any], None, Answer]

# Why the extractive answer was given instead (Swedish: the response shows it).
FAILED = "språkmodellen kunde inte nås eller svarade fel"
EMPTY = "språkmodellen gav ett tomt svar"
LANGUAGE = "språkmodellen svarade inte på svenska"
NO_CITATIONS = "språkmodellen angav inga giltiga källhänvisningar"
TOO_LITTLE = "för lite av det genererade svaret kunde beläggas i källorna"


class _Fallback(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pieces(text: str) -> Iterator[dict[str, Any]]:
    """A finished answer delivered in pieces (words with their spacing): the extractive answer is
    composed whole, so this only imitates streaming for clients that expect tokens."""
    for piece in re.findall(r"\S+\s*|\s+", text):
        yield {"type": "token", "text": piece}


def _spans(text: str, start: int, final: bool) -> list[tuple[int, int]]:
    """Complete sentences of text[start:], as offsets: lines first, then sentences. The last one is
    complete only when a line break follows it or the stream has ended."""
    spans = [
        (start + line.start() + a, start + line.start() + b)
        for line in re.finditer(r"[^\n]+", text[start:])
        for a, b in sentence_spans(line.group(0))
    ]
    if spans and not final and "\n" not in text[spans[-1][1] :]:
        spans.pop()
    return spans


class GenerativeStage:
    def __init__(self, llm: BaseChatModel, verifier: Verifier, action: str, min_supported: float) -> None:
        self.llm = llm
        self.verifier = verifier
        self.action = action  # "remove" or "mark"
        self.min_supported = min_supported

    def run(self, question: str, history: list[dict[str, str]], extractive: Answer) -> Events:
        """Token events; returns the answer. A refusal stays the extractive refusal: without
        evidence there is nothing for the model to write from."""
        if extractive.refused:
            yield from pieces(extractive.answer)
            return extractive
        started = time.perf_counter()
        passages = extractive.retrieved
        session = self.verifier.session([h.text for h in passages], [header(h) for h in passages])
        run = _Run(session, self.action)
        try:
            yield from run.stream(tokens(self.llm, messages(question, history, passages)))
            run.finish(self.min_supported)
        except _Fallback as fallback:
            return (yield from self._fallback(extractive, fallback.reason, run, bool(run.text)))
        except Exception as exc:  # transport errors, time-outs, malformed completions
            log.warning("generative answer failed, answering extractively: %r", exc)
            return (yield from self._fallback(extractive, FAILED, run, bool(run.text)))
        answer = Answer(
            answer=run.text.strip(),
            refused=False,
            citations=run.citations(passages),
            retrieved=passages,
            timings_ms=extractive.timings_ms | {"generate": round((time.perf_counter() - started) * 1000, 2)},
            standalone_question=extractive.standalone_question,
            evidence=extractive.evidence,
            mode="generative",
            verification=run.report(self.action),
        )
        return answer

    def _fallback(self, extractive: Answer, reason: str, run: _Run, shown: bool) -> Events:
        log.warning("generative answer replaced by the extractive one: %s", reason)
        extractive.fallback = reason
        extractive.verification = run.report(self.action)
        if shown:
            yield {"type": "replace", "text": extractive.answer}
        else:
            yield from pieces(extractive.answer)
        return extractive


class _Run:
    """One answer's draft, checked sentence by sentence."""

    def __init__(self, session: VerificationSession, action: str) -> None:
        self.session = session
        self.action = action
        self.draft = ""
        self.text = ""  # what has been sent on
        self.checks: list[SentenceCheck] = []
        self.numbers: dict[int, int] = {}  # passage number → number shown in the answer

    def stream(self, chunks: Iterator[str]) -> Iterator[dict[str, Any]]:
        consumed = 0
        for chunk in chunks:
            self.draft += chunk
            norm = normalise_markers(self.draft)
            for a, b in _spans(norm, consumed, final=False):
                yield from self._sentence(norm[consumed:a], norm[a:b], norm[:b])
                consumed = b
        norm = normalise_markers(self.draft)
        for a, b in _spans(norm, consumed, final=True):
            yield from self._sentence(norm[consumed:a], norm[a:b], norm[:b])
            consumed = b

    def _sentence(self, separator: str, sentence: str, so_far: str) -> Iterator[dict[str, Any]]:
        if not self.text and english_share(so_far) > 0.5:
            raise _Fallback(LANGUAGE)
        check = self.session.check(sentence)
        if not check.text or any(c.text == check.text for c in self.checks):
            return  # a bare marker, or a small model repeating itself
        self.checks.append(check)
        if check.supported:
            marks = "".join(f" [{self.numbers.setdefault(n, len(self.numbers) + 1)}]" for n in check.passages)
            shown = check.text + marks
        elif self.action == "mark":
            shown = f"{check.text} ⚠️ (ej belagd: {check.reason})"
        else:
            return
        gap = ("\n\n" if "\n" in separator else " ") if self.text else ""
        self.text += gap + shown
        yield {"type": "token", "text": gap + shown}

    def finish(self, min_supported: float) -> None:
        if not self.draft.strip():
            raise _Fallback(EMPTY)
        if english_share(self.draft) > 0.5:
            raise _Fallback(LANGUAGE)
        claims = [c for c in self.checks if c.claim]
        if claims and not any(c.passages for c in claims):
            raise _Fallback(NO_CITATIONS)
        supported = sum(c.supported for c in claims)
        if not supported or supported < min_supported * len(claims):
            raise _Fallback(TOO_LITTLE)

    def report(self, action: str) -> dict[str, Any]:
        claims = [c for c in self.checks if c.claim]
        return {
            "sentences": len([c for c in self.checks if c.text]),
            "claims": len(claims),
            "supported": sum(c.supported for c in claims),
            "action": action,
            "removed": [{"sentence": c.text, "reason": c.reason} for c in claims if not c.supported],
        }

    def citations(self, passages: list[Hit]) -> list[Citation]:
        """One citation per cited passage, quoting the span from the first to the last of its
        sentences that supported the answer (the whole passage when none was measured)."""
        out = []
        for n, shown in sorted(self.numbers.items(), key=lambda item: item[1]):
            hit = passages[n - 1]
            units = [c.evidence[n].unit for c in self.checks if c.supported and n in c.evidence]
            units = [u for u in units if u is not None]
            start = min((u.start for u in units), default=0)
            end = max((u.end for u in units), default=len(hit.text))
            out.append(
                Citation(
                    n=shown,
                    source=hit.source,
                    title=hit.title,
                    source_url=hit.source_url,
                    page=page_at(hit.metadata, start),
                    section=section_at(hit.metadata, start) or None,
                    quote=hit.text[start:end],
                    chunk_id=hit.chunk_id,
                    start=start,
                    end=end,
                    text=hit.text,
                )
            )
        return out
