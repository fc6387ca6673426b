"""County staff's own questions as rows of a spreadsheet (CSV or XLSX) with Swedish columns, and the
template they fill in. Every row is checked; errors name the row and the column, in Swedish, and one
bad row means nothing is imported."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from evals.sets import CATEGORIES, REFUSAL_CATEGORIES, EvalItem, GoldSource

# (column, what the officer writes there): the template's header row and its help row.
COLUMNS = [
    ("fråga", "Frågan som en användare skulle ställa (obligatorisk)."),
    ("förväntade nyckelfakta", "Det som måste stå i svaret; flera skiljs med ; och alternativ med |."),
    ("förväntad källa", "Dokumentets filnamn, t.ex. hagfors.md; flera skiljs med ;."),
    ("ska vägras", "ja om assistenten ska avböja frågan, annars nej (tomt = nej)."),
    ("kategori", "besvarbar, flera källor, följdfråga, obesvarbar eller utanför området (tomt = gissas)."),
    ("kritisk", "ja om en underkänd fråga ska underkänna hela körningen (tomt = nej)."),
    ("referenssvar", "Ett bra svar med egna ord (frivilligt)."),
    ("id", "Ett kort unikt namn (frivilligt; tomt = rad-nummer)."),
]
COLUMN_NAMES = [c for c, _ in COLUMNS]
REQUIRED = ("fråga",)
CATEGORY_SV = {
    "besvarbar": "answerable",
    "flera källor": "multi_source",
    "följdfråga": "follow_up",
    "obesvarbar": "unanswerable",
    "utanför området": "out_of_scope",
}
SV_CATEGORY = {v: k for k, v in CATEGORY_SV.items()}
_YES, _NO = {"ja", "j", "yes", "true", "1", "x"}, {"nej", "n", "no", "false", "0", ""}
_ID = re.compile(r"[^a-z0-9åäö]+")
EXAMPLES = [
    {
        "fråga": "Vilka åtgärdsområden har Hagfors valt?",
        "förväntade nyckelfakta": "pollinering; vattenplanering",
        "förväntad källa": "hagfors.md",
        "ska vägras": "nej",
        "kategori": "besvarbar",
        "kritisk": "ja",
        "referenssvar": "Bland annat pollinering och kommunal vattenplanering.",
        "id": "hagfors-omraden",
    },
    {
        "fråga": "Vem vann fotbolls-VM 1958?",
        "ska vägras": "ja",
        "kategori": "utanför området",
        "kritisk": "nej",
        "id": "fotboll",
    },
]


class ImportProblems(ValueError):
    """Rows that cannot be imported; `problems` are Swedish lines naming row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


def _yes_no(value: str, where: str, problems: list[str]) -> bool:
    low = value.strip().lower()
    if low in _YES:
        return True
    if low not in _NO:
        problems.append(f"{where}: skriv ja eller nej (fick {value!r})")
    return False


def item_from_row(
    row: dict[str, str], label: str, known_sources: set[str] | None = None
) -> tuple[EvalItem | None, list[str]]:
    """One row (column → text) → an item, or the problems, each prefixed with `label` and the column."""
    problems: list[str] = []
    cell = {k: (row.get(k) or "").strip() for k in COLUMN_NAMES}

    def where(column: str) -> str:
        return f"{label}, kolumn '{column}'"

    if not cell["fråga"]:
        problems.append(f"{where('fråga')}: frågan saknas")
    refuse = _yes_no(cell["ska vägras"], where("ska vägras"), problems)
    critical = _yes_no(cell["kritisk"], where("kritisk"), problems)
    facts: list[str | list[str]] = []
    for fact in _split(cell["förväntade nyckelfakta"]):
        options = [o.strip() for o in fact.split("|") if o.strip()]
        facts.append(options if len(options) > 1 else options[0])
    sources = _split(cell["förväntad källa"])
    for source in sources:
        if known_sources is not None and source not in known_sources:
            problems.append(f"{where('förväntad källa')}: {source!r} finns inte bland de inlästa dokumenten")
    category = cell["kategori"].lower()
    if category:
        category = CATEGORY_SV.get(category, category)
        if category not in CATEGORIES:
            problems.append(f"{where('kategori')}: skriv {', '.join(CATEGORY_SV)} (fick {cell['kategori']!r})")
    else:
        category = "unanswerable" if refuse else "multi_source" if len(sources) > 1 else "answerable"
    if category in CATEGORIES and refuse != (category in REFUSAL_CATEGORIES):
        problems.append(
            f"{where('ska vägras')}: '{'ja' if refuse else 'nej'}' stämmer inte med kategorin "
            f"'{SV_CATEGORY.get(category, category)}'"
        )
    if category == "follow_up":
        problems.append(f"{where('kategori')}: följdfrågor kan inte importeras från ett kalkylark (skriv dem i YAML)")
    if not refuse and not sources:
        problems.append(f"{where('förväntad källa')}: en fråga som ska besvaras behöver minst en källa")
    if not refuse and not facts and not cell["referenssvar"]:
        problems.append(f"{where('förväntade nyckelfakta')}: ange nyckelfakta (eller ett referenssvar)")
    if category == "multi_source" and len(set(sources)) < 2:
        problems.append(f"{where('förväntad källa')}: 'flera källor' behöver minst två dokument")
    if problems:
        return None, problems
    return (
        EvalItem(
            id=cell["id"] or "",
            question=cell["fråga"],
            category=category,
            expect_refusal=refuse,
            reference_answer=cell["referenssvar"],
            key_facts=facts,
            gold_sources=[GoldSource(s) for s in sources],
            critical=critical,
        ),
        [],
    )


def slug(text: str) -> str:
    return _ID.sub("-", text.lower()).strip("-")[:40] or "fraga"


def items_from_rows(rows: list[tuple[int, dict[str, str]]], known_sources: set[str] | None = None) -> list[EvalItem]:
    """(row number, row) pairs → items; raises ImportProblems listing every bad row."""
    problems: list[str] = []
    items: list[EvalItem] = []
    seen: set[str] = set()
    for number, row in rows:
        label = f"Rad {number}"
        item, found = item_from_row(row, label, known_sources)
        if item is not None:
            item.id = item.id or f"rad-{number}"
            if item.id in seen:
                found.append(f"{label}, kolumn 'id': {item.id!r} finns redan på en tidigare rad")
            seen.add(item.id)
        problems += found
        if item is not None and not found:
            items.append(item)
    if not rows:
        problems.append("Filen har inga frågor (bara rubrikraden eller ingenting).")
    if problems:
        raise ImportProblems(problems)
    return items


def _header(cells: list[Any]) -> dict[int, str]:
    """Column index → known column name; unknown headers are refused, so a typo does not drop data."""
    names = [str(c or "").strip().lower() for c in cells]
    problems = [
        f"Rad 1, kolumn {n + 1}: okänd rubrik {name!r} (kända: {', '.join(COLUMN_NAMES)})"
        for n, name in enumerate(names)
        if name and name not in COLUMN_NAMES
    ]
    problems += [f"Rad 1: kolumnen '{c}' saknas" for c in REQUIRED if c not in names]
    if problems:
        raise ImportProblems(problems)
    return {n: name for n, name in enumerate(names) if name}


def _is_help_row(row: dict[str, str]) -> bool:
    return row.get("fråga", "").strip() == COLUMNS[0][1]


def _rows(table: list[list[Any]]) -> list[tuple[int, dict[str, str]]]:
    """Spreadsheet rows → (1-based row number, column → text), without blank rows and the help row."""
    if not table:
        return []
    columns = _header(table[0])
    out = []
    for n, cells in enumerate(table[1:], 2):
        row = {name: "" if n_ >= len(cells) or cells[n_] is None else str(cells[n_]) for n_, name in columns.items()}
        if any(v.strip() for v in row.values()) and not _is_help_row(row):
            out.append((n, row))
    return out


def read_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # Excel on Windows saves CSV in this code page
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t") if text.strip() else csv.excel
    return _rows(list(csv.reader(io.StringIO(text), dialect)))


def read_xlsx(data: bytes) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is no workbook
        raise ImportProblems([f"Filen går inte att läsa som Excel-fil (.xlsx): {exc}"]) from exc
    return _rows([list(r) for r in sheet.iter_rows(values_only=True)])


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data)
    raise ImportProblems([f"{filename}: filtypen {suffix or '(ingen)'} stöds inte; använd .xlsx, .csv eller .yaml"])


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, delimiter=";")
    writer.writeheader()
    writer.writerows(EXAMPLES)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read å, ä and ö right


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "Frågor"
    sheet.append(COLUMN_NAMES)
    sheet.append([help_text for _, help_text in COLUMNS])
    for example in EXAMPLES:
        sheet.append([example.get(c, "") for c in COLUMN_NAMES])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="5D6778")
    for n, width in enumerate((50, 40, 30, 12, 18, 10, 40, 20), 1):
        sheet.column_dimensions[chr(64 + n)].width = width
    yes_no = DataValidation(type="list", formula1='"ja,nej"', allow_blank=True)
    categories = DataValidation(type="list", formula1=f'"{",".join(CATEGORY_SV)}"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(categories)
    yes_no.add("D3:D500")
    yes_no.add("F3:F500")
    categories.add("E3:E500")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def item_row(item: EvalItem) -> dict[str, str]:
    """An item as the columns show it (for editing one question in the UI)."""
    return {
        "id": item.id,
        "fråga": item.question,
        "förväntade nyckelfakta": "; ".join(f if isinstance(f, str) else " | ".join(f) for f in item.key_facts),
        "förväntad källa": "; ".join(g.source for g in item.gold_sources),
        "ska vägras": "ja" if item.expect_refusal else "nej",
        "kategori": SV_CATEGORY.get(item.category, item.category),
        "kritisk": "ja" if item.critical else "nej",
        "referenssvar": item.reference_answer,
    }
