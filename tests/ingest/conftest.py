"""Fixtures for the loader tests: PDF and DOCX files built on the fly, and a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

FOOTER = "Länsstyrelsen Exempel - Vägledning för lokalt arbete"


class _ReportPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 5, f"{FOOTER}    Sida {self.page_no()}", align="C")


def _lines(pdf: FPDF, lines: list[str], size: float = 11, style: str = "") -> None:
    """One cell per line, so the test decides where lines break (and hyphenate)."""
    pdf.set_font("helvetica", style, size)
    for line in lines:
        pdf.cell(0, size * 0.55, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * 0.5)


def build_report_pdf() -> bytes:
    """Three pages: a title, numbered headings at larger sizes, a bold heading, a paragraph
    hyphenated across a line break, a list, a footer with page numbers on every page."""
    pdf = _ReportPDF()
    pdf.set_title("Vägledning för lokalt miljömålsarbete")
    pdf.set_author("Länsstyrelsen Exempel")
    pdf.add_page()
    _lines(pdf, ["Vägledning för lokalt miljömålsarbete"], size=20, style="B")
    _lines(
        pdf,
        [
            "Kommunerna arbetar sedan länge med de nationella miljö-",
            "målen och med Agenda 2030. Arbetet sker i dialog med",
            "länsstyrelserna och följs upp varje år.",
        ],
    )
    _lines(pdf, ["1 Bakgrund"], size=15, style="B")
    _lines(
        pdf,
        [
            "Vägledningen beskriver hur en kommun kan organisera sitt miljö-",
            "och klimatarbete och hur ansvaret fördelas mellan nämnderna.",
        ],
    )
    _lines(pdf, ["Det andra stycket handlar om samverkan mellan kommuner i samma län."])
    pdf.add_page()
    _lines(pdf, ["3.2 Uppföljning"], size=13, style="B")
    _lines(pdf, ["Uppföljningen görs en gång per år och omfattar följande delar:"])
    _lines(pdf, ["- Indikatorer för varje åtgärdsområde", "- En årlig rapport till fullmäktige"])
    _lines(pdf, ["Resultaten publiceras på kommunens webbplats i december."])
    pdf.add_page()
    _lines(pdf, ["Del 3 Processteg"], size=15, style="B")
    _lines(pdf, ["Processen har fem steg från nulägesanalys till uppföljning och revidering."])
    _lines(pdf, ["Sammanfattning"], style="B")
    _lines(pdf, ["Stegen beskrivs närmare i bilagorna till vägledningen."])
    return bytes(pdf.output())


def build_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Miljöplan för Exempelby"
    document.core_properties.author = "Exempelby kommun"
    document.add_heading("Miljöplan för Exempelby", level=1)
    document.add_paragraph("Planen gäller för perioden 2022–2025 och omfattar alla förvaltningar.")
    document.add_heading("Åtgärder", level=2)
    document.add_paragraph("Kommunen prioriterar tre åtgärdsområden:")
    for item in ("Laddinfrastruktur", "Pollinering", "Kommunal vattenplanering"):
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("Arbetet sker i två steg:")
    for item in ("Nulägesanalys", "Handlingsplan"):
        document.add_paragraph(item, style="List Number")
    document.add_heading("Uppföljning", level=2)
    document.add_paragraph("Miljönämnden följer upp planen varje år.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return build_report_pdf()


@pytest.fixture(scope="session")
def word_docx() -> bytes:
    return build_docx()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 serving `tmp_path/www`; yields (base URL, folder)."""
    www = tmp_path / "www"
    www.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(www))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", www
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
