"""Sentence-level verification of a generated answer against the passages it cites.

Every sentence's [n] markers must name a passage; a sentence that states something must cite one;
its numbers, years and names must occur in what it cites; and its content must be supported by one
sentence (or list) of a cited passage — lexical coverage and embedding similarity, combined by a
logistic model fitted on ../shared/swequad-dev (see verify_support.json and fit_verify.py).
Sentences inside a passage that give instructions ("ignorera tidigare instruktioner …") never
count as support: a document is data, not a prompt.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.guard import _ENGLISH, _SWEDISH, refusal_reason, unmatched_names
from assistant.answer.units import Unit, split_units
from assistant.retrieval.scoring import content_stems, cosines, coverage
from ingest.embeddings import NamedEmbeddings
from ingest.swedish import sentence_spans, words

SUPPORT_MODEL = Path(__file__).with_name("verify_support.json")

MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# "Text. [1] Nästa" → "Text [1]. Nästa": the markers then stay with their sentence when split.
_TRAILING_MARKERS = re.compile(r"([.!?:])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_NUMBER = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")
# Sentences that say what the passages do not cover need no source.
_GAP = re.compile(
    r"\b(framgår inte|nämns inte|inte (?:tar upp|täcker|anger|beskriver|säger|innehåller|svarar)|"
    r"(?:säger|står|anger|finns) (?:inget|ingenting|inte)|saknar (?:uppgift|information)|"
    r"ingen (?:uppgift|information))\b",
    re.I,
)


def normalise_markers(text: str) -> str:
    return _TRAILING_MARKERS.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)


def markers(sentence: str) -> list[int]:
    return [int(n) for group in MARKER.findall(sentence) for n in re.split(r"\s*[,;]\s*", group)]


def strip_markers(sentence: str) -> str:
    return MARKER.sub("", sentence).strip()


def split_sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, separator before it) pairs; lines split first, so list items stay apart."""
    out: list[tuple[str, str]] = []
    text = normalise_markers(text)
    pos = 0
    for line in re.finditer(r"[^\n]+", text):
        for a, b in sentence_spans(line.group(0)):
            start, end = line.start() + a, line.start() + b
            out.append((text[start:end], text[pos:start]))
            pos = end
    return out


def numbers(text: str) -> set[str]:
    return {re.sub(r"[ \u00a0]", "", n).replace(",", ".") for n in _NUMBER.findall(text)}


def is_claim(sentence: str) -> bool:
    """Whether a sentence states something a source must back: not a lead-in ("Enligt dokumenten
    gäller följande:"), not a statement of what the passages do not cover."""
    plain = strip_markers(sentence)
    if numbers(plain):
        return True
    if _GAP.search(plain) or plain.endswith(":"):
        return False
    return len(content_stems(plain)) >= 3


def english_share(text: str) -> float:
    """Share of English among the English and Swedish function words (0 when there are none)."""
    tokens = words(text)
    en = sum(t in _ENGLISH for t in tokens)
    sv = sum(t in _SWEDISH for t in tokens)
    return en / (en + sv) if en + sv else 0.0


@dataclass
class SupportModel:
    """p(supported) = sigmoid(w_lex * lexical + w_dense * dense + bias); supported when ≥ threshold."""

    w_lexical: float
    w_dense: float
    bias: float
    threshold: float
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = SUPPORT_MODEL) -> SupportModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["w_lexical"], data["w_dense"], data["bias"], data["threshold"], data.get("provenance", {}))

    def probability(self, lexical: float, dense: float) -> float:
        return 1 / (1 + math.exp(-(self.w_lexical * lexical + self.w_dense * dense + self.bias)))


@dataclass
class Evidence:
    lexical: float
    dense: float
    unit: Unit | None  # the passage's best supporting sentence or list


def support_units(passage: str) -> list[Unit]:
    """The units of a passage that can support a claim: no headings, no planted instructions."""
    return [u for u in split_units(passage) if u.kind != "heading" and refusal_reason(u.text) != "instruktion"]


def best_support(claim: str, claim_vec: np.ndarray, units: Sequence[Unit], unit_vecs: list[list[float]]) -> Evidence:
    """The unit that supports the claim best, by lexical coverage plus embedding similarity."""
    if not units:
        return Evidence(0.0, 0.0, None)
    stems = content_stems(claim)
    lexical = [coverage(stems, u.text) for u in units]
    dense = cosines(unit_vecs, claim_vec)
    i = max(range(len(units)), key=lambda j: lexical[j] + float(dense[j]))
    return Evidence(lexical[i], float(dense[i]), units[i])


@dataclass
class SentenceCheck:
    text: str  # as shown: markers renumbered, unknown ones dropped
    passages: list[int]  # 1-based passage numbers it cites (after dropping unknown ones)
    claim: bool
    supported: bool
    reason: str = ""  # Swedish, for the response and the UI
    evidence: dict[int, Evidence] = field(default_factory=dict)


class Verifier:
    def __init__(self, embeddings: NamedEmbeddings, model: SupportModel | None = None) -> None:
        self.embeddings = embeddings
        self.model = model or SupportModel.load()

    def session(self, passages: list[str], headers: list[str]) -> VerificationSession:
        return VerificationSession(self, passages, headers)


class VerificationSession:
    """Checks the sentences of one answer as they arrive (the answer may still be streaming)."""

    def __init__(self, verifier: Verifier, passages: list[str], headers: list[str]) -> None:
        self.verifier = verifier
        self.passages = passages
        self.headers = headers  # title, section, page, year as the prompt showed them
        self._units: dict[int, tuple[list[Unit], list[list[float]]]] = {}

    def _passage_units(self, n: int) -> tuple[list[Unit], list[list[float]]]:
        if n not in self._units:
            units = support_units(self.passages[n - 1])
            vecs = self.verifier.embeddings.embed_documents([u.text for u in units]) if units else []
            self._units[n] = (units, vecs)
        return self._units[n]

    def check(self, sentence: str) -> SentenceCheck:
        cited = [n for n in dict.fromkeys(markers(sentence)) if 1 <= n <= len(self.passages)]
        unknown = [n for n in markers(sentence) if n not in cited]
        plain = strip_markers(sentence)
        claim = is_claim(sentence)
        result = SentenceCheck(plain, cited, claim, supported=not claim)
        if not claim:
            return result
        if not cited:
            result.reason = "hänvisar till en källa som inte finns" if unknown else "saknar källhänvisning"
            result.supported = False
            return result
        support_text = "\n".join(f"{self.headers[n - 1]}\n{self.passages[n - 1]}" for n in cited)
        missing = sorted(numbers(plain) - numbers(support_text))
        if missing:
            result.reason = f"talet {', '.join(missing)} står inte i källan"
            result.supported = False
            return result
        names = unmatched_names(plain, support_text)
        if names:
            result.reason = f"{', '.join(names)} nämns inte i källan"
            result.supported = False
            return result
        claim_vec = np.asarray(self.verifier.embeddings.embed_documents([plain])[0], dtype=np.float32)
        for n in cited:
            units, vecs = self._passage_units(n)
            result.evidence[n] = best_support(plain, claim_vec, units, vecs)
        model = self.verifier.model
        backing = [n for n, e in result.evidence.items() if model.probability(e.lexical, e.dense) >= model.threshold]
        result.supported = bool(backing)
        if backing:
            result.passages = backing  # a citation of a passage that says something else is dropped
        else:
            result.reason = "källan stöder inte påståendet"
        return result
