"""Web-clutter removal applied to the blocks of every format.

Web pages saved as text (and many PDFs made from them) carry UI words, image file names,
"opens in a new window" hints and link labels whose href is lost. They add noise to retrieval
and answers, so they are dropped here by general rules; sentences of substance never match them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace

from ingest.model import Block, LoadedDocument
from ingest.swedish import words

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")
_SPACE_BEFORE_CLOSE = re.compile(r"\s+([).,;:!?])")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_LIST_MARKER = re.compile(r"^(?:- |\d{1,3}\. )")

# "Opens in a new window" style hints, also when a CMS glued them into a sentence.
_LINK_HINTS = re.compile(
    r"\s*(?:"
    r"(?:extern\s+)?länk\s+till\s+(?:en\s+)?annan\s+webbplats(?:,?\s*öppnas\s+i\s+(?:ett\s+)?nytt\s+fönster)?\.?"
    r"|\(?öppnas\s+i\s+(?:ett\s+)?nytt\s+fönster\)?\.?"
    r"|\((?:extern\s+länk|external\s+link)\)"
    r"|link\s+to\s+(?:an)?other\s+(?:web)?site(?:,?\s*opens\s+in\s+a\s+new\s+(?:window|tab))?\.?"
    r"|\(?opens\s+in\s+a\s+new\s+(?:window|tab)\)?\.?"
    r"|\((?:pdf|docx?|xlsx?|pptx?|odt)(?:,\s*\d[\d\s,.]*\s*[kmg]b)?\)"
    r")",
    re.IGNORECASE,
)

# Words of page furniture (widgets, share bars, image placeholders). A short line made only of
# these (plus filler words) is UI, e.g. "logo", "undersida bild", "Content Editor", "Till toppen".
_UI_WORDS = frozenset(
    {
        "logo", "logotyp", "logga", "bild", "bilder", "undersida", "toppbild", "ikon", "foto", "image",
        "banner", "puff", "content", "editor", "webpart", "meny", "menu", "sök", "search", "dela", "share",
        "skriv", "print", "utskrift", "toppen", "top", "publicerad", "publicerat", "uppdaterad", "ändrad",
        "senast", "granskad", "sidan", "tillbaka", "back", "stäng", "close", "lyssna", "listen",
        "talsyntes", "kakor", "cookies", "acceptera", "godkänn", "hoppa", "huvudinnehåll", "facebook",
        "twitter", "linkedin", "instagram", "youtube", "e-post", "mejla", "tipsa", "översätt", "translate",
        "läs", "mer", "visa", "fler", "ladda", "ner", "ned", "öppna", "klicka", "här"
    }
)
_FILLER_WORDS = frozenset(
    {
        "av", "ut", "till", "på", "i", "om", "en", "ett", "den", "denna", "detta", "the", "to", "of",
        "this", "page"
    }
)

# "Publicerad av", "Senast ändrad: 2023-05-12", "Sidan uppdaterades den 3 maj 2021".
_PAGE_DATES = re.compile(
    r"^(?:senast\s+(?:ändrad|ändrat|uppdaterad|granskad)|publicerad|publicerat|uppdaterad|ändrad"
    r"|sidan\s+(?:publicerades|uppdaterades|senast\s+ändrad|granskades))(?:\s*:|\s+(?:av|den)\b|\s+\d|$)",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(r"^(?:foto|bild|fotograf|photo|illustration)\s*:\s*\S", re.IGNORECASE)
_FILE_NAME = re.compile(
    r"^[\w()., -]{1,80}\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|heic|pdf|docx?|xlsx?|pptx?|odt|zip)$",
    re.IGNORECASE,
)
# A link label whose target was lost: "Länk till vägledningen", "Läs mer om miljömålen".
_LINK_LABEL = re.compile(
    r"^(?:länk(?:ar)?\s+till|läs\s+mer|läs\s+hela|klicka\s+här|gå\s+till|ladda\s+(?:ner|ned)|direktlänk)\b",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^[^.!?]{1,50}(?:\s[>›»]\s[^.!?]{1,50}){2,}$")
_WORD_CHAR = re.compile(r"[^\W_]")


def normalise_text(text: str) -> str:
    """Drop invisible characters, turn non-breaking and repeated spaces into one, drop empty lines."""
    text = _INVISIBLE.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def strip_link_hints(text: str) -> str:
    stripped = _LINK_HINTS.sub("", text)
    if stripped == text:
        return text
    return _SPACE_BEFORE_CLOSE.sub(r"\1", stripped).strip()


def is_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def is_clutter(text: str) -> bool:
    """True for a line that is page furniture rather than content."""
    text = strip_link_hints(normalise_text(text))
    if not _WORD_CHAR.search(text):
        return True  # symbols only: separators, "»", "|"
    words = re.findall(r"[\w-]+", text.casefold())
    if (
        len(words) <= 4
        and all(w in _UI_WORDS or w in _FILLER_WORDS for w in words)
        and any(w in _UI_WORDS for w in words)
    ):
        return True
    short = len(words) <= 8
    if short and (_PAGE_DATES.match(text) or _PHOTO_CREDIT.match(text)):
        return True
    if len(text.split()) <= 5 and _FILE_NAME.match(text):
        return True
    if short and not is_sentence(text) and _LINK_LABEL.match(text):
        return True
    return bool(_BREADCRUMB.match(text))


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Return the blocks without web clutter, normalised, and without sections left empty."""
    kept: list[Block] = []
    for block in blocks:
        cleaned = _clean_block(block)
        if cleaned is None:
            continue
        if kept and kept[-1].kind == cleaned.kind and kept[-1].text == cleaned.text:
            continue  # the same block twice in a row (e.g. a teaser repeating the heading)
        if kept and _continues(kept[-1], cleaned):
            kept[-1] = replace(kept[-1], text=f"{kept[-1].text} {cleaned.text}")
            continue
        kept.append(cleaned)
    headings = [_words(b.text) for b in kept if b.kind == "heading"]
    kept = [b for b in kept if not _repeats_a_heading(b, headings)]
    return drop_empty_sections(kept)


def drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Drop headings with no content before the next heading of the same or a higher level,
    and short lead-ins ending in ':' that introduce nothing (followed by a heading or the end)."""
    # has_content[k]: some content follows before the next kept heading of level <= k.
    has_content = [False] * 8
    next_kind: str | None = None
    kept_reversed: list[Block] = []
    for block in reversed(blocks):
        if block.kind == "heading":
            level = min(max(block.level, 1), 6)
            if not has_content[level]:
                continue
            for k in range(level, len(has_content)):
                has_content[k] = False
        elif block.kind == "paragraph" and next_kind in (None, "heading") and _is_lead_in(block.text):
            continue
        else:
            has_content = [True] * len(has_content)
        kept_reversed.append(block)
        next_kind = block.kind
    return kept_reversed[::-1]


def drop_repeated_lines(
    docs: list[LoadedDocument], min_docs: int = 3, min_share: float = 0.3
) -> None:
    """Remove boilerplate: paragraphs and list items that occur verbatim in at least `min_docs`
    documents and `min_share` of the run. Headings are kept (they structure each document).
    A repeated sentence of substance is kept in the first document that has it, so the run
    still holds the text once; short non-sentences (footers, UI lines) go everywhere."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update({_key(unit) for block in doc.blocks for unit in _units(block)})
    threshold = max(min_docs, math.ceil(min_share * len(docs)))
    repeated = {key for key, count in counts.items() if count >= threshold}
    if not repeated:
        return
    kept_once: set[str] = set()
    for doc in docs:
        blocks: list[Block] = []
        for block in doc.blocks:
            units = [u for u in _units(block) if _keep_unit(u, repeated, kept_once)]
            if block.kind == "heading" or units == _units(block):
                blocks.append(block)
            elif units:
                blocks.append(replace(block, text="\n".join(units)))
        if blocks != doc.blocks:
            doc.blocks = drop_empty_sections(blocks)


def _is_lead_in(text: str) -> bool:
    """One short clause ending in ':' ("Exempel på åtgärder i vår kommun:"), nothing else in it."""
    return text.endswith(":") and len(text.split()) <= 15 and not re.search(r"[.!?]\s", text)


def _keep_unit(unit: str, repeated: set[str], kept_once: set[str]) -> bool:
    key = _key(unit)
    if key not in repeated:
        return True
    if len(key.split()) >= 8 and is_sentence(key) and key not in kept_once:
        kept_once.add(key)
        return True
    return False


def _units(block: Block) -> list[str]:
    """The parts of a block that can repeat: a list item by item, anything else whole."""
    if block.kind == "heading":
        return []
    if block.kind == "list":
        return block.text.split("\n")
    return [block.text]


def _key(unit: str) -> str:
    return " ".join(_LIST_MARKER.sub("", unit).casefold().split())


def _clean_block(block: Block) -> Block | None:
    if block.kind == "list":
        items = [strip_link_hints(line) for line in normalise_text(block.text).split("\n")]
        items = [item for item in items if not is_clutter(_LIST_MARKER.sub("", item))]
        return replace(block, text="\n".join(items)) if items else None
    text = strip_link_hints(normalise_text(block.text))
    if block.kind == "heading":
        text = " ".join(text.split())
    if not text or is_clutter(text):
        return None
    return replace(block, text=text)


def _continues(previous: Block, block: Block) -> bool:
    """A paragraph broken mid-sentence by a stray blank line in the source: the first part ends
    without a sentence end and the second goes on in lower case ("… för att åstadkomma mer" /
    "likvärdig konkurrens …"). Quoting either half alone would cut the sentence."""
    return (
        previous.kind == block.kind == "paragraph"
        and (previous.page, previous.box) == (block.page, block.box)
        and not is_sentence(previous.text)
        and not previous.text.endswith(":")
        and block.text[:1].islower()
    )


def _words(text: str) -> str:
    return " ".join(words(text))


def _repeats_a_heading(block: Block, headings: list[str]) -> bool:
    """A short non-sentence paragraph that only repeats (part of) a heading, like the teaser
    and image caption blocks that CMS pages put after the content."""
    if block.kind != "paragraph" or is_sentence(block.text) or block.text.endswith(":"):
        return False
    words = _words(block.text)
    if not words or len(words.split()) > 8:
        return False
    return any(f" {words} " in f" {heading} " for heading in headings)
