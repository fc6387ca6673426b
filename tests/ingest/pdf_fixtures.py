"""Report-like PDFs built for the PDF tests from text written here: a long two-column report with a
cover, a table of contents, running header and footer, printed page labels, lärande exempel boxes,
ruled tables and footnotes; and a three-page scan (pages rasterised to images, no text layer)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2
from fpdf import FPDF

TITLE = "Vägledning för lokalt miljöarbete"
HEADER = "Vägledning för lokalt miljöarbete - rapport 2024"
FOOTER = "Länsstyrelsen Exempellän"
FRONT_PAGES = 2  # cover and contents, labelled i and ii; the body is labelled from 1
PLAIN_HEADING = "Om rapporten"  # set in the body font on body page 2: only the contents name it a heading

_TOPICS = [
    ("klimat", "utsläppen av växthusgaser", "energieffektivisering i kommunens lokaler"),
    ("vatten", "god vattenstatus i sjöar och vattendrag", "dagvatten och våtmarker"),
    ("natur", "den biologiska mångfalden", "skyddad skog och gröna kilar"),
    ("avfall", "mängden hushållsavfall", "återbruk och insamling av textilier"),
    ("luft", "halterna av kvävedioxid", "trafikplanering i tätorterna"),
    ("mark", "förorenade områden", "sanering av gamla industritomter"),
    ("hav", "övergödningen av kustvattnen", "enskilda avlopp och lantbrukets läckage"),
    ("kemikalier", "farliga ämnen i förskolan", "giftfria miljöer för barn"),
    ("bebyggelse", "en god bebyggd miljö", "täta och gröna stadsdelar"),
    ("odling", "jordbruksmarkens värden", "lokal livsmedelsproduktion"),
]
_FRAMES = [
    "Kommunen följer upp {a} varje år i sin miljöredovisning för avsnitt {n}.",
    "Arbetet med {b} kräver samverkan mellan förvaltningarna och de kommunala bolagen.",
    "En handlingsplan för {b} antogs av kommunstyrelsen efter en bred remiss i avsnitt {n}.",
    "Länsstyrelsen stödjer kommunerna med underlag om {a} och med regionala nätverk.",
    "Indikatorerna för {a} redovisas i en gemensam databas som uppdateras varje höst.",
    "Invånarna har bjudits in till dialog om {b} vid flera öppna möten under året.",
    "Budgeten för {b} prövas i den årliga planeringen och följs upp i delårsrapporten.",
    "Resultaten för {a} jämförs med andra kommuner i länet för att hitta goda lösningar.",
]


@dataclass
class Example:
    title: str
    municipality: str
    text: str
    page: int = 0


@dataclass
class ReportFacts:
    """What the tests assert against: where things were put and how they read."""

    pages: int = 0
    column_break: tuple[str, str] = ("", "")  # last line of a left column, first line of the right one
    column_break_page: int = 0
    examples: list[Example] = field(default_factory=list)
    tables: list[tuple[int, list[list[str]]]] = field(default_factory=list)  # (page, rows)
    footnote: tuple[int, str] = (0, "")


EXAMPLES = [
    Example(
        "Lärande exempel: Så gjorde Hagfors med laddinfrastruktur",
        "Hagfors",
        "Hagfors kommun byggde laddplatser för elbilar vid alla kommunala arbetsplatser. Laddstolparna "
        "finansierades med klimatklivet och drivs av ett kommunalt bolag. Personalen kan ladda sina egna "
        "bilar till självkostnadspris.",
    ),
    Example(
        "Exempel från Säffle kommun - ängsmark för pollinatörer",
        "Säffle",
        "Säffle kommun har gjort om tolv hektar gräsmattor till ängsmark för vilda bin och fjärilar. "
        "Parkpersonalen slår ängarna en gång per år i augusti. Skolklasser räknar humlor varje sommar.",
    ),
    Example(
        "Så gjorde Arvika: mindre matsvinn i skolköken",
        "Arvika",
        "Arvika minskade matsvinnet i skolköken med en tredjedel genom att väga tallrikssvinnet varje dag. "
        "Eleverna fick själva föreslå åtgärder i matråden. Kockarna planerar nu menyn efter svinnmätningarna.",
    ),
]

TABLES = [
    (
        "Tabell 1. Åtaganden per område",
        [
            ["Område", "Åtagande", "Klart år"],
            ["Energi", "Solceller på alla kommunala tak", "2025"],
            ["Transporter", "Fossilfria tjänstebilar", "2027"],
            ["Vatten", "Ny plan för dagvatten", "2026"],
            ["Natur", "Skydd av 200 hektar kommunal skog", "2028"],
        ],
    ),
    (
        "Tabell 2. Indikatorer och målvärden",
        [
            ["Indikator", "Utgångsvärde", "Målvärde"],
            ["Andel förnybar energi", "48 procent", "80 procent"],
            ["Matsvinn i skolan", "42 gram per portion", "25 gram per portion"],
            ["Cykelvägar", "61 kilometer", "90 kilometer"],
        ],
    ),
]


class _Report(FPDF):
    def header(self) -> None:
        if self.page_no() > FRONT_PAGES:
            self.set_font("helvetica", size=8)
            self.set_xy(20, 10)
            self.cell(170, 4, HEADER)

    def footer(self) -> None:
        if self.page_no() > FRONT_PAGES:
            self.set_font("helvetica", size=8)
            self.set_xy(20, 285)
            self.cell(85, 4, FOOTER)
            self.cell(85, 4, f"Sida {self.get_page_label()}", align="R")


_LEFT, _GUTTER, _WIDTH = 20.0, 10.0, 170.0
_COL = (_WIDTH - _GUTTER) / 2
_LINE = 5.0


def _paragraphs(page: int) -> list[str]:
    topic = _TOPICS[page % len(_TOPICS)]
    out = []
    for p in range(2):
        frames = [_FRAMES[(page + p * 3 + i) % len(_FRAMES)] for i in range(3)]
        out.append(" ".join(f.format(a=topic[1], b=topic[2], n=f"{page}.{p + 1}") for f in frames))
    return out


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    return pdf.multi_cell(width, _LINE, text, dry_run=True, output="LINES")


def _columns(pdf: FPDF, paragraphs: list[str], top: float, facts: ReportFacts | None) -> float:
    """Paragraph lines balanced over two columns (a blank line between paragraphs); returns the
    bottom. A sentence is left unfinished at the column break: the right column goes on with it."""
    pdf.set_font("helvetica", size=10)
    rows: list[str] = []
    for text in paragraphs:
        rows += _wrap(pdf, text, _COL) + [""]
    rows.pop()
    half = (len(rows) + 1) // 2
    if rows[half - 1] == "" or rows[half - 1].endswith("."):
        half += 1  # move the break into the middle of a sentence
    for col, part in enumerate((rows[:half], rows[half:])):
        y = top
        for row in part:
            pdf.set_xy(_LEFT + col * (_COL + _GUTTER), y)
            pdf.cell(_COL, _LINE, row)
            y += _LINE
    if facts is not None and not facts.column_break_page:
        facts.column_break = (rows[half - 1], rows[half])
        facts.column_break_page = pdf.page_no()
    return top + _LINE * max(half, len(rows) - half)


def _box(pdf: FPDF, example: Example, top: float) -> None:
    pdf.set_font("helvetica", size=10)
    lines = _wrap(pdf, example.text, _WIDTH - 10)
    height = 14 + _LINE * len(lines)
    pdf.set_fill_color(220, 235, 220)
    pdf.rect(_LEFT, top, _WIDTH, height, style="F")
    pdf.set_xy(_LEFT + 5, top + 4)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(_WIDTH - 10, 6, example.title)
    pdf.set_font("helvetica", size=10)
    for i, line in enumerate(lines):
        pdf.set_xy(_LEFT + 5, top + 11 + i * _LINE)
        pdf.cell(_WIDTH - 10, _LINE, line)


def _table(pdf: FPDF, caption: str, rows: list[list[str]], top: float) -> None:
    pdf.set_xy(_LEFT, top)
    pdf.set_font("helvetica", "B", 10)
    pdf.cell(_WIDTH, 6, caption)
    pdf.set_xy(_LEFT, top + 8)
    pdf.set_font("helvetica", size=10)
    with pdf.table(col_widths=(50, 80, 40), first_row_as_headings=False) as table:
        for row in rows:
            table.row(row)


def _footnote(pdf: FPDF, first_line: str, text: str) -> None:
    """A raised footnote mark after the first line of the left column, the note above the footer."""
    pdf.set_font("helvetica", size=10)
    x = _LEFT + pdf.get_string_width(first_line) + 2.5
    pdf.set_font("helvetica", size=6)
    pdf.set_xy(x, 44)
    pdf.cell(3, 3, "1")
    pdf.set_font("helvetica", size=8)
    pdf.set_xy(_LEFT, 272)
    pdf.cell(_WIDTH, 4, f"1 {text}")


def build_report(body_pages: int = 62) -> tuple[bytes, ReportFacts]:
    facts = ReportFacts()
    pdf = _Report(unit="mm", format="A4")
    pdf.set_margins(_LEFT, 20, _LEFT)
    pdf.set_auto_page_break(False)
    pdf.set_title(TITLE)
    pdf.set_author(FOOTER)
    pdf.add_page(label_style="r")
    pdf.set_font("helvetica", "B", 24)
    pdf.set_xy(_LEFT, 90)
    pdf.cell(_WIDTH, 12, TITLE)
    pdf.set_font("helvetica", size=14)
    pdf.set_xy(_LEFT, 110)
    pdf.cell(_WIDTH, 8, f"{FOOTER}, 2024")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.set_xy(_LEFT, 25)
    pdf.cell(_WIDTH, 8, "Innehåll")
    pdf.set_font("helvetica", size=10)
    pdf.set_xy(_LEFT, 33)
    pdf.cell(_WIDTH, 6, f"{PLAIN_HEADING} " + "." * 60 + " 2")
    for i in range(12):
        pdf.set_xy(_LEFT, 40 + i * 7)
        pdf.cell(
            _WIDTH,
            6,
            f"{i + 1} {_TOPICS[(i + 1) % len(_TOPICS)][0].capitalize()} i kommunen " + "." * 60 + f" {i * 5 + 1}",
        )
    example_pages = {12: 0, 30: 1, 48: 2}
    table_pages = {20: 0, 40: 1}
    footnote_page = 8
    for n in range(1, body_pages + 1):
        pdf.add_page(label_style="D", label_start=1) if n == 1 else pdf.add_page()
        physical = pdf.page_no()
        chapter, section = (n - 1) // 5 + 1, (n - 1) % 5 + 1
        if section == 1:
            pdf.set_font("helvetica", "B", 16)
            pdf.set_xy(_LEFT, 22)
            pdf.cell(_WIDTH, 8, f"{chapter} {_TOPICS[chapter % len(_TOPICS)][0].capitalize()} i kommunen")
        if n == 2:
            pdf.set_font("helvetica", size=10)
            pdf.set_xy(_LEFT, 24)
            pdf.cell(_WIDTH, 6, PLAIN_HEADING)
        pdf.set_font("helvetica", "B", 12)
        pdf.set_xy(_LEFT, 34)
        pdf.cell(_WIDTH, 6, f"{chapter}.{section} Arbetet med {_TOPICS[n % len(_TOPICS)][2]}")
        bottom = _columns(pdf, _paragraphs(n), 44, facts if n == 3 else None)
        if n in example_pages:
            example = EXAMPLES[example_pages[n]]
            example.page = physical
            _box(pdf, example, bottom + 10)
            facts.examples.append(example)
        if n in table_pages:
            caption, rows = TABLES[table_pages[n]]
            _table(pdf, caption, rows, bottom + 10)
            facts.tables.append((physical, rows))
        if n == footnote_page:
            text = "Uppgifterna kommer från den regionala miljöövervakningen år 2023."
            pdf.set_font("helvetica", size=10)
            _footnote(pdf, _wrap(pdf, _paragraphs(n)[0], _COL)[0], text)
            facts.footnote = (physical, text)
    facts.pages = pdf.page_no()
    return bytes(pdf.output()), facts


SCAN_PAGES = [
    (
        "Protokoll från kommunfullmäktige",
        "Kommunfullmäktige sammanträdde i stadshuset den 14 mars 2019. Ordföranden öppnade mötet och "
        "hälsade ledamöterna välkomna.",
    ),
    (
        "Beslut om förskolor",
        "Kommunfullmäktige beslutade att alla nya förskolor ska byggas med stomme av trä. Beslutet "
        "gäller från och med år 2020.",
    ),
    (
        "Beslut om belysning",
        "Fullmäktige beslutade också att gatubelysningen ska bytas till lysdioder före år 2024.",
    ),
]


def build_scan(dpi: int = 200) -> bytes:
    """Three pages of text rendered to images and put back as an image-only PDF."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    for heading, text in SCAN_PAGES:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 18)
        pdf.set_xy(25, 30)
        pdf.cell(160, 10, heading)
        pdf.set_font("helvetica", size=13)
        pdf.set_xy(25, 50)
        pdf.multi_cell(160, 7, text)
    document = pypdfium2.PdfDocument(bytes(pdf.output()))
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    document.close()
    scan = FPDF(unit="mm", format="A4")
    scan.set_auto_page_break(False)
    for number, image in enumerate(images, start=1):
        scan.add_page()
        scan.image(image, x=0, y=0, w=210, h=297)
        if number == 3:  # a page number stamped as text on the last scanned page
            scan.set_font("helvetica", size=9)
            scan.set_xy(100, 285)
            scan.cell(10, 4, str(number))
    return bytes(scan.output())


def build_columns(columns: int) -> tuple[bytes, str]:
    """One page holding one paragraph flowed over `columns` columns of equal length; returns the
    PDF and the paragraph's text."""
    text = " ".join(
        f"Mening {i} om {topic[1]} fortsätter över spalterna i broschyren." for i, topic in enumerate(_TOPICS * 2)
    )
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    width = (_WIDTH - _GUTTER * (columns - 1)) / columns
    rows = _wrap(pdf, text, width)
    per_column = -(-len(rows) // columns)
    for i, row in enumerate(rows):
        column, line = divmod(i, per_column)
        pdf.set_xy(_LEFT + column * (width + _GUTTER), 30 + line * 4.5)
        pdf.cell(width, 4.5, row)
    return bytes(pdf.output()), text
