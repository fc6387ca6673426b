"""Markdown and plain-text loader.

Besides Markdown syntax it handles the common plain-text page: headings are short lines without
`#` and paragraphs are separated by single newlines. Such headings are found by general rules
(see `_plain_heading_level`) and placed one level below the latest explicit heading or title.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from markdown_it import MarkdownIt

from ingest.clean import is_clutter
from ingest.frontmatter import parse_front_matter
from ingest.loaders.lines import ends_paragraph, join_lines, looks_like_heading
from ingest.model import Block, LoadError
from ingest.swedish import words

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# "- x", "* x", "• x", " • x", "1. x", "1) x"; "–" is left out: Swedish uses it for quotations.
_ITEM = re.compile(r"^\s*(?:([-*+•▪●◦])|(\d{1,3})[.)])\s+(\S.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+(?:\s*:?-{2,}:?\s*)?\|?\s*$")

_LINK_LINE = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)\s*)+$")
_MARKDOWN = MarkdownIt("commonmark")
# markdown-it leaves a link to an unsafe URL (javascript:, data:) as literal text; only the visible
# text is kept here, never the URL, so every link is parsed as one and reduced to its text.
_MARKDOWN.validateLink = lambda url: True
_CODE_TAG = re.compile(r"<(/?)(?:script|style)\b", re.IGNORECASE)  # their content is code, no text


@dataclass
class _Unit:
    kind: str  # "heading" | "paragraph" | "list" | "table" | "code"
    lines: list[str] = field(default_factory=list)
    level: int = 0
    link_only: bool = False  # a Markdown line that is nothing but a link: a reference, never a heading

    @property
    def text(self) -> str:
        if self.kind == "paragraph":
            return join_lines(self.lines)
        return "\n".join(self.lines)


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 (BOM allowed): a wrong guess would silently garble å, ä and ö."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp1252")
            hint = " (looks like Latin-1/Windows-1252?)"
        except UnicodeDecodeError:
            pass
        raise LoadError(
            f"not valid UTF-8{hint}: byte 0x{data[exc.start]:02x} at position {exc.start}; save the file as UTF-8"
        ) from exc


def parse_markdown(data: bytes) -> tuple[dict[str, Any], list[Block]]:
    return _parse(data, markdown=True)


def parse_text(data: bytes) -> tuple[dict[str, Any], list[Block]]:
    return _parse(data, markdown=False)


def _parse(data: bytes, markdown: bool) -> tuple[dict[str, Any], list[Block]]:
    text = decode_utf8(data).replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = parse_front_matter(text)
    units = _group(body.split("\n"), markdown)
    return metadata, _to_blocks(units, metadata.get("title"))


def _inline(text: str) -> str:
    """Reduce Markdown inline syntax to its visible text (markdown-it-py's inline tokens): link and
    emphasis text stays, images and inline HTML go (with what a script or style tag holds), code
    keeps its backticks (commands, paths)."""
    parts, in_code = [], False
    for token in _MARKDOWN.parseInline(text)[0].children or []:
        if token.type == "html_inline":
            if tag := _CODE_TAG.match(token.content):
                in_code = not tag.group(1)
        elif in_code:
            continue
        elif token.type == "text":
            parts.append(token.content)
        elif token.type == "code_inline":
            parts.append(f"`{token.content}`")
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _group(lines: list[str], markdown: bool) -> list[_Unit]:
    """Split lines into headings, paragraphs, lists and tables."""
    units: list[_Unit] = []
    current: _Unit | None = None  # the open paragraph, list, table or code block
    in_code = False
    for line in lines:
        if markdown and _FENCE.match(line):
            in_code = not in_code
            current = _Unit("code") if in_code else None
            if in_code:
                units.append(current)
            continue
        if in_code and current is not None:
            current.lines.append(line.rstrip())  # verbatim: commands and paths keep their form
            continue
        if not line.strip():
            current = None
            continue
        if markdown and (m := _ATX.match(line)):
            units.append(_Unit("heading", [_inline(m.group(2))], len(m.group(1))))
            current = None
            continue
        setext = markdown and _SETEXT.match(line)
        if setext and current and current.kind == "paragraph" and len(current.lines) == 1:
            current.kind, current.level = "heading", 1 if "=" in line else 2
            current = None
            continue
        if _RULE.match(line):
            current = None
            continue
        if markdown and line.lstrip().startswith("|"):
            row = _table_row(line)
            if row is not None:
                if current is None or current.kind != "table":
                    current = _Unit("table")
                    units.append(current)
                if row:
                    current.lines.append(row)
            continue
        if m := _ITEM.match(line):
            item = _inline(m.group(3)) if markdown else m.group(3).strip()
            marker = "- " if m.group(1) else f"{m.group(2)}. "
            if current is None or current.kind != "list":
                current = _Unit("list")
                units.append(current)
            current.lines.append(marker + item)
            continue
        text = _inline(line) if markdown else line.strip()
        if not text:
            current = None
            continue
        if current is not None and current.kind == "list" and line[:2] == "  ":
            current.lines[-1] += " " + text  # an indented line continues the list item
        elif current is not None and current.kind == "paragraph" and _continues(current.lines, text):
            current.lines.append(text)
        else:
            current = _Unit("paragraph", [text], link_only=markdown and bool(_LINK_LINE.match(line)))
            units.append(current)
    return [u for u in units if u.lines and u.text.strip()]


def _table_row(line: str) -> str | None:
    """'| a | b |' -> 'a | b'; '' for a separator or empty row; None if it is not a row."""
    if _TABLE_SEPARATOR.match(line):
        return ""
    cells = [_inline(cell) for cell in line.strip().strip("|").split("|")]
    if len(cells) < 2 and not line.rstrip().endswith("|"):
        return None
    return " | ".join(cell for cell in cells if cell)


def _continues(lines: list[str], nxt: str) -> bool:
    """Is `nxt` the next line of the same (hard-wrapped) paragraph, or a new paragraph?"""
    if nxt[:1].islower():
        return True
    last = lines[-1]
    if ends_paragraph(last):
        return False
    # A short title-like line on its own is a heading candidate when what follows is clearly a new
    # unit: a complete line, or a much longer one (a wrapped line is about as long as the last).
    if len(lines) == 1 and looks_like_heading(last):
        return not (ends_paragraph(nxt) or len(last) < 0.6 * len(nxt))
    return True


def _to_blocks(units: list[_Unit], title: str | None) -> list[Block]:
    blocks: list[Block] = []
    base = 1  # level of the latest explicit heading (or title line); plain headings go one below
    seen_content = False
    seen_heading = False
    for i, unit in enumerate(units):
        text = unit.text
        if unit.kind == "heading":
            blocks.append(Block("heading", " ".join(text.split()), unit.level))
            base, seen_heading = unit.level, True
            continue
        if unit.kind == "paragraph" and len(unit.lines) == 1 and not unit.link_only and not is_clutter(text):
            following = islice(units, i + 1, None)
            level = _plain_heading_level(text, following, title, seen_content, seen_heading, base)
            if level:
                blocks.append(Block("heading", text, level))
                if level == 1:
                    base = 1
                seen_heading = True
                continue
        kind = "list" if unit.kind == "list" else "paragraph"
        blocks.append(Block(kind, text))
        if not is_clutter(text):
            seen_content = True
    return blocks


def _plain_heading_level(
    text: str,
    following: Iterable[_Unit],
    title: str | None,
    seen_content: bool,
    seen_heading: bool,
    base: int,
) -> int:
    """Level for a single-line paragraph that reads as a heading, else 0.

    Rules: the line looks like a heading (short, title-like, no sentence end) and the next
    non-clutter unit is content: a list, or a paragraph that is not itself heading-like and is
    longer. A heading above all content is the page title (level 1); further lines there that
    repeat part of the metadata title get level 2.
    """
    if not looks_like_heading(text):
        return 0
    first = not seen_content and not seen_heading
    if not seen_content and title and _within(text, title):
        return 1 if first else 2
    nxt = next((u for u in following if not is_clutter(u.text)), None)
    if nxt is None or nxt.kind == "heading":
        return 0
    if nxt.kind == "paragraph":
        nxt_text = nxt.text
        if len(nxt_text) <= len(text) or (len(nxt.lines) == 1 and looks_like_heading(nxt_text)):
            return 0
    return 1 if first else min(base + 1, 6)  # a heading above all content is the page title


def _within(text: str, title: str) -> bool:
    joined = " ".join(words(text))
    return bool(joined) and f" {joined} " in " " + " ".join(words(title)) + " "
