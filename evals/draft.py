"""Draft candidate eval items from documents, for a person to review: one item per heading and one
per key sentence (a sentence with a number, a year or an obligation), as YAML in the set schema with
`# granska` comments where a human must look."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from evals.text import numbers
from ingest.loaders import SUPPORTED_SUFFIXES, load_path, load_url
from ingest.model import LoadedDocument
from ingest.swedish import FUNCTION_WORDS, split_sentences

_OBLIGATION = re.compile(r"\b(ska|skall|måste|bör|ansvarar|ansvar|krav|mål)\b", re.IGNORECASE)


@dataclass
class Draft:
    id: str
    question: str
    question_note: str
    reference_answer: str
    key_facts: list[str]
    source: str
    section: str | None
    page: int | None
    tags: list[str] = field(default_factory=lambda: ["utkast"])


def _slug(text: str, limit: int = 40) -> str:
    table = str.maketrans("åäöéü", "aaoeu")
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold().translate(table)).strip("-")
    return slug[:limit].rstrip("-") or "x"


@dataclass
class _Section:
    heading: str | None
    page: int | None
    sentences: list[str]


def _sections(doc: LoadedDocument) -> list[_Section]:
    title = str(doc.metadata.get("title") or "").strip().casefold()
    sections = [_Section(None, None, [])]
    for block in doc.blocks:
        if block.kind == "heading":
            if block.text.strip().casefold() != title:
                sections.append(_Section(block.text.strip(), block.page, []))
        else:
            units = split_sentences(block.text) if block.kind == "paragraph" else block.text.splitlines()
            sections[-1].sentences += [re.sub(r"^(- |\d+[.)] )", "", u).strip() for u in units if u.strip()]
            sections[-1].page = sections[-1].page or block.page
    return [s for s in sections if s.sentences]


def _lower_first(sentence: str) -> str:
    """Lower-case the first word only when it is a function word ("Den", "Det"), not a name."""
    first = sentence.split(" ", 1)[0]
    return sentence[0].lower() + sentence[1:] if first.casefold() in FUNCTION_WORDS else sentence


def _key_score(sentence: str) -> int:
    """Numbers and obligations make a sentence worth asking about; very short or long ones do not."""
    if not 50 <= len(sentence) <= 300:
        return 0
    return 2 * bool(numbers(sentence)) + bool(_OBLIGATION.search(sentence))


def drafts_for(doc: LoadedDocument, limit: int = 10) -> list[Draft]:
    title = str(doc.metadata.get("title") or doc.source)
    stem = _slug(Path(doc.source).stem, 24)
    out: list[Draft] = []
    sections = _sections(doc)
    for s in [s for s in sections if s.heading][: max(1, limit // 2)]:
        reference = " ".join(s.sentences[:2])
        out.append(
            Draft(
                id=f"{stem}-{_slug(s.heading or '')}",
                question=f"Vad säger {title} om {s.heading}?",
                question_note=f'skapad från rubriken "{s.heading}"; skriv om som en användare skulle fråga',
                reference_answer=reference,
                key_facts=sorted(numbers(reference)),
                source=doc.source,
                section=s.heading,
                page=s.page,
            )
        )
    candidates = sorted(
        ((_key_score(sent), n, s, sent) for n, s in enumerate(sections) for sent in s.sentences),
        key=lambda c: (-c[0], c[1]),
    )
    for score, _, s, sentence in candidates:
        if len(out) >= limit or score == 0:
            break
        body = sentence.rstrip(".!? ")
        out.append(
            Draft(
                id=f"{stem}-{_slug(body, 30)}",
                question=f"Stämmer det att {_lower_first(body)}?",
                question_note='svaret står i frågan: skriv om, t.ex. "Hur många …?" eller "När …?"',
                reference_answer=sentence,
                key_facts=sorted(numbers(sentence)),
                source=doc.source,
                section=s.heading,
                page=s.page,
            )
        )
    return out


def _inputs(items: list[str]) -> tuple[list[Path], list[str], Path | None]:
    """Files, URLs, and the corpus folder: the common folder of the folders and files' parents given,
    so sources are named as an ingest of that folder names them."""
    files: list[Path] = []
    roots: list[Path] = []
    urls: list[str] = []
    for item in items:
        if item.startswith(("http://", "https://")):
            urls.append(item)
            continue
        path = Path(item).expanduser().resolve()
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            roots.append(path)
        elif path.is_file():
            files.append(path)
            roots.append(path.parent)
        else:
            raise ValueError(f"{item}: ingen sådan fil eller mapp")
    return files, urls, Path(os.path.commonpath(roots)) if roots else None


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def render_yaml(drafts: list[Draft], corpus: str, name: str) -> str:
    lines = [
        f"# Utkast från `kommunstod eval-draft`, {date.today().isoformat()}. Granska varje fråga innan",
        "# samlingen används: skriv om frågan som en användare skulle ställa den, kontrollera",
        "# referenssvaret och nyckelfakta mot dokumentet, och ta bort det som inte är meningsfullt.",
        "# Lägg också till frågor som INTE går att besvara ur dokumenten (category: unanswerable,",
        "# expect_refusal: true) och följdfrågor med history. Rader märkta '# granska' behöver en människa.",
        f"name: {_q(name)}",
        f"description: {_q('Utkast till frågesamling, skapat från dokument; granskas innan användning.')}",
        f"corpus: {_q(corpus)}",
        "items:",
    ]
    seen: dict[str, int] = {}
    for d in drafts:
        seen[d.id] = seen.get(d.id, 0) + 1
        item_id = d.id if seen[d.id] == 1 else f"{d.id}-{seen[d.id]}"
        facts = "[" + ", ".join(_q(f) for f in d.key_facts) + "]"
        facts_note = "granska: lägg till fakta svaret måste innehålla" if not d.key_facts else "granska"
        lines += [
            "",
            f"  - id: {_q(item_id)}",
            f"    # granska: {d.question_note}",
            f"    question: {_q(d.question)}",
            "    history: []",
            "    category: answerable",
            "    expect_refusal: false",
            f"    reference_answer: {_q(d.reference_answer)}  # granska",
            f"    key_facts: {facts}  # {facts_note}",
            "    gold_sources:",
            f"      - source: {_q(d.source)}",
        ]
        if d.section:
            lines.append(f"        section: {_q(d.section)}")
        if d.page:
            lines.append(f"        page: {d.page}")
        lines += [f"    tags: [{', '.join(d.tags)}]", "    critical: false"]
    return "\n".join(lines) + "\n"


def draft_set(items: list[str], limit: int = 10, name: str = "utkast") -> tuple[str, list[str]]:
    """YAML text and the problems met (documents that could not be read)."""
    files, urls, root = _inputs(items)
    drafts: list[Draft] = []
    problems: list[str] = []
    for entry in [*files, *urls]:
        try:
            doc = load_path(entry, root) if isinstance(entry, Path) and root else load_url(str(entry))
        except Exception as exc:  # report and go on with the other documents
            problems.append(f"{entry}: {exc}")
            continue
        drafts += drafts_for(doc, limit)
    if urls:
        problems.append("webbadresser blir källor som URL:er; spara dokumenten i korpusmappen innan en körning")
    corpus = os.path.relpath(root) if root else "."
    return render_yaml(drafts, corpus, name), problems
