"""HTML loader: main content only, with headings and lists kept.

trafilatura finds the main content and drops navigation, headers, footers and cookie banners;
its XML output keeps <head>, <p>, <list> and <table>. When it finds nothing (tiny or unusual
pages) a BeautifulSoup walk over <main>/<article>/<body> with page furniture removed is used.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from bs4 import BeautifulSoup, NavigableString, Tag, UnicodeDammit
from lxml import etree

from ingest.model import Block, BlockKind, LoadError

_HEADING_TAG = re.compile(r"^h([1-6])$")
_FURNITURE_TAGS = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "button", "select", "dialog", "menu",
]
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"}
_FURNITURE_NAMES = re.compile(
    r"cookie|consent|gdpr|breadcrumb|skip-?link|share|social|sidebar|navbar|site-?header|site-?footer",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "tr", "h1", "h2", "h3", "h4",
        "h5", "h6", "blockquote", "pre", "figure", "dl", "dt", "dd"
    }
)


def parse_html(data: bytes, encoding: str | None = None) -> tuple[dict[str, Any], list[Block]]:
    html = _decode(data, encoding)
    soup = BeautifulSoup(html, "lxml")
    return _metadata(soup), _from_trafilatura(html) or _from_soup(soup)


def _decode(data: bytes, encoding: str | None) -> str:
    """Use the HTTP charset if given, else the page's own <meta charset>, else detection."""
    dammit = UnicodeDammit(data, known_definite_encodings=[encoding] if encoding else [], is_html=True)
    if dammit.unicode_markup is None:
        raise LoadError("could not determine the text encoding of the HTML page")
    return dammit.unicode_markup


def _text(parts: Any) -> str:
    return " ".join("".join(parts).split())


def _from_trafilatura(html: str) -> list[Block]:
    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_tables=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        favor_recall=True,
    )
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks: list[Block] = []
    _walk_xml(main if main is not None else root, blocks)
    return blocks


def _walk_xml(element: Any, blocks: list[Block]) -> None:
    for child in element:
        tag = child.tag
        if tag == "head":
            m = re.search(r"\d", child.get("rend") or "")
            _add(blocks, "heading", _text(child.itertext()), int(m.group()) if m else 2)
        elif tag == "list":
            lines = _xml_list_items(child, numbered=child.get("rend") == "ol")
            if lines:
                blocks.append(Block("list", "\n".join(lines)))
        elif tag == "table":
            rows = [" | ".join(_text(c.itertext()) for c in row if _text(c.itertext())) for row in child]
            _add(blocks, "paragraph", "\n".join(r for r in rows if r))
        elif tag in ("p", "quote", "code"):
            _add(blocks, "paragraph", _text(child.itertext()))
        else:
            _walk_xml(child, blocks)


def _xml_list_items(element: Any, numbered: bool) -> list[str]:
    lines: list[str] = []
    for n, item in enumerate(element.iterfind("item"), start=1):
        parts = [item.text or ""]
        for c in item:
            if c.tag != "list":
                parts.extend(c.itertext())
            parts.append(c.tail or "")
        own = _text(parts)
        if own:
            lines.append(f"{n}. {own}" if numbered else f"- {own}")
        for sub in item.iterfind("list"):
            lines.extend(_xml_list_items(sub, numbered=sub.get("rend") == "ol"))
    return lines


def _add(blocks: list[Block], kind: BlockKind, text: str, level: int = 0) -> None:
    if text.strip():
        blocks.append(Block(kind, text, level))


def _from_soup(soup: BeautifulSoup) -> list[Block]:
    for tag in soup.find_all(_FURNITURE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if tag.get("role") in _FURNITURE_ROLES or (names.strip() and _FURNITURE_NAMES.search(names)):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[Block] = []
    _walk_soup(root, blocks)
    return blocks


def _walk_soup(element: Tag, blocks: list[Block]) -> None:
    inline: list[str] = []

    def flush() -> None:
        _add(blocks, "paragraph", _text(inline))
        inline.clear()

    for child in element.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                inline.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            inline.append(" ")
        elif name not in _BLOCK_TAGS:
            inline.append(child.get_text(" "))
        else:
            flush()
            if m := _HEADING_TAG.match(name):
                _add(blocks, "heading", _text(child.get_text(" ")), int(m.group(1)))
            elif name in ("ul", "ol"):
                lines = _soup_list_items(child)
                if lines:
                    blocks.append(Block("list", "\n".join(lines)))
            elif name == "table":
                rows = [
                    " | ".join(t for c in tr.find_all(["td", "th"]) if (t := _text(c.get_text(" "))))
                    for tr in child.find_all("tr")
                ]
                _add(blocks, "paragraph", "\n".join(r for r in rows if r))
            elif name in ("p", "blockquote", "pre", "dt", "dd"):
                _add(blocks, "paragraph", _text(child.get_text(" ")))
            else:
                _walk_soup(child, blocks)
    flush()


def _soup_list_items(element: Tag) -> list[str]:
    lines: list[str] = []
    numbered = element.name == "ol"
    for n, item in enumerate(element.find_all("li", recursive=False), start=1):
        nested = item.find_all(["ul", "ol"])
        for sub in nested:
            sub.extract()
        own = _text(item.get_text(" "))
        if own:
            lines.append(f"{n}. {own}" if numbered else f"- {own}")
        for sub in nested:
            lines.extend(_soup_list_items(sub))
    return lines


def _metadata(soup: BeautifulSoup) -> dict[str, Any]:
    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").strip().lower()
        content = " ".join(str(tag.get("content") or "").split())
        if key and content:
            metas.setdefault(key, content)

    def first(*keys: str) -> str | None:
        return next((metas[k] for k in keys if metas.get(k)), None)

    title_tag = soup.find("title")
    page_title = _text(title_tag.get_text()) if title_tag else ""
    html_tag = soup.find("html")
    lang = (html_tag.get("lang") if isinstance(html_tag, Tag) else None) or first(
        "dcterms.language", "dc.language", "og:locale"
    )
    canonical = soup.find("link", rel="canonical")
    urls = [
        canonical.get("href") if isinstance(canonical, Tag) else None,
        first("og:url", "dcterms.identifier"),
    ]

    meta: dict[str, Any] = {
        "title": first("dcterms.title", "dc.title", "og:title") or page_title,
        "publisher": first("dcterms.publisher", "dc.publisher", "og:site_name"),
        "published": _date(
            first("dcterms.issued", "dcterms.date", "dcterms.created", "dc.date", "article:published_time")
        ),
        "doc_type": first("dcterms.type", "dc.type"),
        "language": re.split(r"[-_]", str(lang))[0].lower() if lang else None,
        "source_url": next((str(u) for u in urls if u and str(u).startswith(("http://", "https://"))), None),
        "description": first("description", "dcterms.description", "dc.description", "og:description"),
    }
    return {k: v for k, v in meta.items() if v}


def _date(value: str | None) -> str | None:
    if value and (m := re.match(r"\d{4}-\d{2}-\d{2}", value)):
        return m.group()
    return value
