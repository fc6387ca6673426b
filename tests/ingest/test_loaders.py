"""Loaders: every format into blocks, failures as LoadError with a reason, URLs over real HTTP."""

from __future__ import annotations

import hashlib
import io
import re
import socket
from pathlib import Path

import pypdf
import pytest
from fpdf import FPDF

from ingest.limits import IngestLimits
from ingest.loaders import SUPPORTED_SUFFIXES, load_path, load_url
from ingest.model import Block, LoadError

from .conftest import FOOTER


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def texts(blocks: list[Block], kind: str | None = None) -> list[str]:
    return [b.text for b in blocks if kind is None or b.kind == kind]


def headings(blocks: list[Block]) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in blocks if b.kind == "heading"]


# --- Markdown and text -------------------------------------------------------------------------

MARKDOWN = """---
title: Miljömål i Exempelby
publisher: Exempelby kommun
published: 2022-06-10
language: sv
license: CC BY 4.0
tags: [miljö, agenda]
---

# Miljömål i Exempelby

Kommunen arbetar med miljömålen i alla förvaltningar. Se [portalen](https://sverigesmiljomal.se "Portal").

![Framsida](bild1.jpg)

## Åtgärder

Kommunen har valt följande områden:

* Laddinfrastruktur för **elbilar**
- Pollinering
 • Kommunal vattenplanering

1. Nulägesanalys
2. Handlingsplan

Vad händer sedan?
Åtgärderna följs upp en gång per år och redovisas för kommunfullmäktige.
Uppföljningen publiceras på kommunens webbplats.
"""


def test_markdown_front_matter_headings_lists_and_plain_headings(tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "miljomal.md", MARKDOWN)
    doc = load_path(path, tmp_path)

    assert doc.source == "docs/miljomal.md"
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.metadata["title"] == "Miljömål i Exempelby"
    assert doc.metadata["published"] == "2022-06-10"
    assert doc.metadata["license"] == "CC BY 4.0"
    assert "tags" not in doc.metadata  # lists cannot be stored as metadata
    assert headings(doc.blocks) == [(1, "Miljömål i Exempelby"), (2, "Åtgärder"), (3, "Vad händer sedan?")]
    lists = texts(doc.blocks, "list")
    assert lists == [
        "- Laddinfrastruktur för elbilar\n- Pollinering\n- Kommunal vattenplanering",
        "1. Nulägesanalys\n2. Handlingsplan",
    ]
    paragraphs = texts(doc.blocks, "paragraph")
    assert "Kommunen arbetar med miljömålen i alla förvaltningar. Se portalen." in paragraphs
    # single newlines between full sentences separate paragraphs
    assert paragraphs[-2:] == [
        "Åtgärderna följs upp en gång per år och redovisas för kommunfullmäktige.",
        "Uppföljningen publiceras på kommunens webbplats.",
    ]
    assert not any("bild1" in t or "](" in t for t in texts(doc.blocks))


def test_markdown_setext_heading_table_link_line_and_code(tmp_path: Path) -> None:
    page = (
        "Myndigheter\n===========\n\n"
        "| Myndighet | Ansvar |\n| --- | --- |\n| Boverket | God bebyggd miljö |\n| | |\n\n"
        "[Prop. 2013/14:141 En svensk strategi](/rattsliga-dokument/prop \"Prop\")\n\n"
        "Riksdagen antog strategin i juni 2014 efter behandling i utskottet.\n\n"
        "```\n# inte en rubrik\nkommunstod ingest fil.pdf\n```\n"
    )
    doc = load_path(write(tmp_path / "t.md", page), tmp_path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Myndigheter"),
        ("paragraph", "Myndighet | Ansvar\nBoverket | God bebyggd miljö"),
        ("paragraph", "Prop. 2013/14:141 En svensk strategi"),  # a link line is a reference, not a heading
        ("paragraph", "Riksdagen antog strategin i juni 2014 efter behandling i utskottet."),
        ("paragraph", "# inte en rubrik\nkommunstod ingest fil.pdf"),
    ]


def test_plain_text_page_with_unmarked_headings(tmp_path: Path) -> None:
    page = (
        "Miljööverenskommelsen\n\n"
        "Kommunen skrev under överenskommelsen med länsstyrelsen år 2018 och förnyade den 2022.\n\n"
        "Bakgrund\n"
        "Åtgärdsprogrammet ska förbättra förutsättningarna att nå miljökvalitetsmålen.\n"
        "Hur jobbar vi?\n"
        "Arbetsgrupper startas för varje prioriterat åtgärdsområde under våren.\n"
        "Kontakt: Anna Andersson, miljöstrateg\n"
    )
    doc = load_path(write(tmp_path / "sida.txt", page), tmp_path)
    assert headings(doc.blocks) == [(1, "Miljööverenskommelsen"), (2, "Bakgrund"), (2, "Hur jobbar vi?")]
    assert doc.metadata["title"] == "Miljööverenskommelsen"  # no front matter: the first heading
    assert texts(doc.blocks)[-1] == "Kontakt: Anna Andersson, miljöstrateg"


def test_hard_wrapped_text_is_rejoined_and_dehyphenated(tmp_path: Path) -> None:
    page = (
        "I skrivelsen redogörs för regeringens samlade arbete med att genomföra\n"
        "Agenda 2030 och de globala målen för hållbar utveckling. Kommunernas miljö-\n"
        "arbete och EU-\n"
        "kommissionens förslag om miljö- och\n"
        "klimatpolitik beskrivs också.\n"
    )
    doc = load_path(write(tmp_path / "wrapped.txt", page), tmp_path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (
            "paragraph",
            "I skrivelsen redogörs för regeringens samlade arbete med att genomföra Agenda 2030 och de "
            "globala målen för hållbar utveckling. Kommunernas miljöarbete och EU-kommissionens förslag om "
            "miljö- och klimatpolitik beskrivs också.",
        )
    ]
    assert doc.metadata["title"] == "wrapped"  # no title, no heading: the file stem


def test_txt_keeps_markdown_syntax_as_text(tmp_path: Path) -> None:
    line = "# Inte en rubrik i en textfil och det är helt i sin ordning."
    doc = load_path(write(tmp_path / "a.txt", line + "\n"), tmp_path)
    assert [(b.kind, b.text) for b in doc.blocks] == [("paragraph", line)]


def test_latin1_text_fails_with_encoding_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", "Miljömål för Värmland och Skåne\n".encode("latin-1"))
    with pytest.raises(LoadError, match=r"not valid UTF-8 \(looks like Latin-1/Windows-1252\?\)"):
        load_path(path, tmp_path)


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    data = "\ufeffRubrik\r\n\r\nEn mening om miljömål som är lång nog.\r\n".encode()
    doc = load_path(write(tmp_path / "bom.md", data), tmp_path)
    assert headings(doc.blocks) == [(1, "Rubrik")]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\n", "empty file"),
        ("data.xyz", b"whatever", r"unsupported file type \.xyz"),
        ("old.doc", b"whatever", r"unsupported file type \.doc \(save it as \.docx\)"),
        ("clutter.md", b"logo\n\nDela\n\nFramsida.PNG\n", "no text content left after removing web clutter"),
        ("broken.md", b"---\ntitle: [oops\n---\nText.\n", "front matter is not valid YAML"),
    ],
)
def test_load_errors_name_the_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(LoadError, match=reason):
        load_path(write(tmp_path / name, data), tmp_path)


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="could not read file"):
        load_path(tmp_path / "finns-inte.md", tmp_path)


def test_single_file_given_directly_uses_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "sub" / "fil.md", "En mening om kommunens miljöarbete.\n")
    assert load_path(path, path).source == "fil.md"
    assert load_path(path, tmp_path / "annat").source == "fil.md"


def test_supported_suffixes() -> None:
    assert {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"} == set(SUPPORTED_SUFFIXES)


# --- HTML ----------------------------------------------------------------------------------------

HTML = """<!doctype html>
<html lang="sv-SE"><head><meta charset="utf-8">
<title>Miljömål - Exempelby kommun</title>
<meta name="description" content="Så arbetar Exempelby med miljömålen">
<meta property="og:title" content="Miljömål i Exempelby">
<meta name="dcterms.publisher" content="Exempelby kommun">
<meta name="DC.date" content="2023-04-01T10:00:00+02:00">
<link rel="canonical" href="https://www.exempelby.se/miljomal">
</head><body>
<header><a href="/">Startsida Exempelby</a><nav><ul><li><a href="/bo">Bo och leva</a></li>
<li><a href="/omsorg">Omsorg och stöd</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent"><p>Vi använder kakor för att webbplatsen ska fungera bra.</p>
<button>Godkänn kakor</button></div>
<main><article>
<h1>Miljömål i Exempelby</h1>
<p>Kommunen arbetar med de nationella miljökvalitetsmålen och Agenda 2030 i alla förvaltningar.</p>
<h2>Prioriterade åtgärder</h2>
<p>Följande åtgärder prioriteras under perioden 2022&ndash;2025:</p>
<ul><li>Laddinfrastruktur för elbilar</li><li>Pollinering i parker och på kommunens mark</li></ul>
<h2>Uppföljning</h2>
<p>Åtgärderna följs upp varje år i en rapport till kommunfullmäktige.
<a href="https://lansstyrelsen.se">Mer om länets arbete
Länk till annan webbplats, öppnas i nytt fönster.</a></p>
</article></main>
<footer><p>Exempelby kommun, Box 1, 123 45 Exempelby. Telefon 0123-456 00.</p></footer>
</body></html>
"""

NAV_AND_BANNER = ("Startsida Exempelby", "Bo och leva", "Omsorg och stöd", "kakor", "Box 1")


def assert_article(blocks: list[Block]) -> None:
    all_text = "\n".join(texts(blocks))
    for clutter in NAV_AND_BANNER:
        assert clutter not in all_text
    assert headings(blocks) == [(1, "Miljömål i Exempelby"), (2, "Prioriterade åtgärder"), (2, "Uppföljning")]
    assert texts(blocks, "list") == [
        "- Laddinfrastruktur för elbilar\n- Pollinering i parker och på kommunens mark"
    ]
    assert "Länk till annan webbplats" not in all_text
    assert "Åtgärderna följs upp varje år i en rapport till kommunfullmäktige." in all_text


def test_html_keeps_main_content_and_metadata(tmp_path: Path) -> None:
    doc = load_path(write(tmp_path / "miljomal.html", HTML), tmp_path)
    assert_article(doc.blocks)
    assert doc.metadata == {
        "title": "Miljömål i Exempelby",
        "publisher": "Exempelby kommun",
        "published": "2023-04-01",
        "language": "sv",
        "source_url": "https://www.exempelby.se/miljomal",
        "description": "Så arbetar Exempelby med miljömålen",
    }


def test_html_fallback_without_trafilatura_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingest.loaders.html.trafilatura.extract", lambda *a, **k: None)
    doc = load_path(write(tmp_path / "miljomal.htm", HTML), tmp_path)
    assert_article(doc.blocks)


def test_html_fallback_drops_banners_inside_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingest.loaders.html.trafilatura.extract", lambda *a, **k: None)
    page = (
        "<html><body><div class='cookie-consent'>Vi använder kakor på webbplatsen.</div>"
        "<div role='navigation'><a href='/'>Startsida Exempelby</a></div>"
        "<div class='content'><h2>Avfall</h2>Kommunen samlar in matavfall från alla hushåll."
        "<p>Insamlingen sker varannan vecka.</p></div></body></html>"
    )
    doc = load_path(write(tmp_path / "avfall.html", page), tmp_path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Avfall"),
        ("paragraph", "Kommunen samlar in matavfall från alla hushåll."),
        ("paragraph", "Insamlingen sker varannan vecka."),
    ]


def test_html_in_declared_legacy_charset(tmp_path: Path) -> None:
    page = HTML.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').replace("&ndash;", "-")
    doc = load_path(write(tmp_path / "latin.html", page.encode("cp1252")), tmp_path)
    assert doc.metadata["title"] == "Miljömål i Exempelby"


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_headings_paragraphs_pages_and_footer(tmp_path: Path, report_pdf: bytes) -> None:
    doc = load_path(write(tmp_path / "rapport.pdf", report_pdf), tmp_path)
    assert doc.metadata["title"] == "Vägledning för lokalt miljömålsarbete"
    assert doc.metadata["author"] == doc.metadata["publisher"] == "Länsstyrelsen Exempel"
    assert [(b.level, b.text, b.page) for b in doc.blocks if b.kind == "heading"] == [
        (1, "Vägledning för lokalt miljömålsarbete", 1),
        (2, "1 Bakgrund", 1),
        (3, "3.2 Uppföljning", 2),
        (2, "Del 3 Processteg", 3),
        (4, "Sammanfattning", 3),
    ]
    assert all(b.page in (1, 2, 3) for b in doc.blocks)
    paragraphs = texts(doc.blocks, "paragraph")
    # re-joined across line breaks, hyphenation undone, but "miljö- och" kept
    assert paragraphs[0] == (
        "Kommunerna arbetar sedan länge med de nationella miljömålen och med Agenda 2030. "
        "Arbetet sker i dialog med länsstyrelserna och följs upp varje år."
    )
    assert paragraphs[1].startswith("Vägledningen beskriver hur en kommun kan organisera sitt miljö- och kli")
    assert paragraphs[2] == "Det andra stycket handlar om samverkan mellan kommuner i samma län."
    assert [(b.text, b.page) for b in doc.blocks if b.kind == "list"] == [
        ("- Indikatorer för varje åtgärdsområde\n- En årlig rapport till fullmäktige", 2)
    ]
    all_text = "\n".join(texts(doc.blocks))
    assert FOOTER not in all_text and "Sida" not in all_text


def test_encrypted_pdf(tmp_path: Path, report_pdf: bytes) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(report_pdf)))
    writer.encrypt("hemligt")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(LoadError, match="PDF is encrypted"):
        load_path(write(tmp_path / "krypterad.pdf", out.getvalue()), tmp_path)


def test_corrupt_pdf(tmp_path: Path, report_pdf: bytes) -> None:
    with pytest.raises(LoadError, match="corrupt or unreadable PDF"):
        load_path(write(tmp_path / "trasig.pdf", report_pdf[: len(report_pdf) // 3]), tmp_path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a "scanned" page: graphics only
    with pytest.raises(LoadError, match=r"no text layer \(scanned PDF\?\)"):
        load_path(write(tmp_path / "skannad.pdf", bytes(pdf.output())), tmp_path)


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_headings_lists_and_properties(tmp_path: Path, word_docx: bytes) -> None:
    doc = load_path(write(tmp_path / "plan.docx", word_docx), tmp_path)
    assert doc.metadata == {
        "title": "Miljöplan för Exempelby",
        "author": "Exempelby kommun",
        "publisher": "Exempelby kommun",
    }
    assert headings(doc.blocks) == [(1, "Miljöplan för Exempelby"), (2, "Åtgärder"), (2, "Uppföljning")]
    assert texts(doc.blocks, "list") == [
        "- Laddinfrastruktur\n- Pollinering\n- Kommunal vattenplanering",
        "1. Nulägesanalys\n2. Handlingsplan",
    ]
    assert [b.kind for b in doc.blocks] == [
        "heading", "paragraph", "heading", "paragraph", "list", "paragraph", "list", "heading", "paragraph"
    ]


def test_corrupt_docx(tmp_path: Path, word_docx: bytes) -> None:
    with pytest.raises(LoadError, match="corrupt or not a Word .docx file"):
        load_path(write(tmp_path / "trasig.docx", word_docx[:500]), tmp_path)


# --- URLs ----------------------------------------------------------------------------------------


def test_load_url_html_and_pdf(http_root: tuple[str, Path], report_pdf: bytes) -> None:
    base, www = http_root
    write(www / "miljomal.html", HTML)
    write(www / "rapport.pdf", report_pdf)

    page = load_url(f"{base}/miljomal.html")
    assert page.source == f"{base}/miljomal.html"
    assert page.metadata["source_url"] == "https://www.exempelby.se/miljomal"  # the page's canonical URL
    assert_article(page.blocks)

    pdf = load_url(f"{base}/rapport.pdf")
    assert pdf.source == pdf.metadata["source_url"] == f"{base}/rapport.pdf"
    assert pdf.content_hash == hashlib.sha256(report_pdf).hexdigest()
    assert (2, "1 Bakgrund") in headings(pdf.blocks)


def test_load_url_without_canonical_uses_the_url(http_root: tuple[str, Path]) -> None:
    base, www = http_root
    write(www / "enkel.html", re.sub(r'<link rel="canonical"[^>]*>', "", HTML))
    assert load_url(f"{base}/enkel.html").metadata["source_url"] == f"{base}/enkel.html"


def test_load_url_http_error(http_root: tuple[str, Path]) -> None:
    base, _ = http_root
    with pytest.raises(LoadError, match="HTTP 404"):
        load_url(f"{base}/saknas.html")


def test_load_url_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    with pytest.raises(LoadError, match="could not reach URL: .*(refused|connect)"):
        load_url(f"http://127.0.0.1:{port}/sida.html", IngestLimits(url_seconds=5))


def test_load_url_rejects_other_schemes() -> None:
    with pytest.raises(LoadError, match="not an http"):
        load_url("file:///etc/passwd")
