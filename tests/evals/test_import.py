"""County officers' own sets: the template round-trips, bad rows are named by row and column and
nothing is half-imported, and single questions are added, edited and removed with the same checks."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assistant.cli import main
from assistant.settings import Settings
from evals.home_sets import delete_item, home_sets, import_file, load_home_set, set_path, upsert_item
from evals.sources import load_any
from evals.spreadsheet import COLUMN_NAMES, ImportProblems, template_csv, template_xlsx

KNOWN = {"hagfors.md", "miljomal.md"}


def _xlsx(rows: list[list[str]]) -> bytes:
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.active
    sheet.delete_rows(3, sheet.max_row)  # keep the header and the help row, as an officer would
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(**kw: str) -> list[str]:
    base = {
        "fråga": "Vilka åtgärdsområden har Hagfors valt?",
        "förväntade nyckelfakta": "pollinering; vattenplanering | vatten",
        "förväntad källa": "hagfors.md",
        "ska vägras": "nej",
    }
    values = base | kw
    return [values.get(c, "") for c in COLUMN_NAMES]


def test_the_template_examples_import_from_xlsx_and_csv(tmp_path):
    settings = Settings(home=tmp_path)
    import_file(settings, "mall.xlsx", template_xlsx(), "mall-x", KNOWN)
    import_file(settings, "mall.csv", template_csv(), "mall-c", KNOWN)
    assert home_sets(settings) == ["mall-c", "mall-x"]
    for name in ("mall-c", "mall-x"):
        items = load_any(name, settings).items
        assert [i.id for i in items] == ["hagfors-omraden", "fotboll"]
        assert items[0].key_facts == ["pollinering", "vattenplanering"] and items[0].critical
        assert items[1].expect_refusal and items[1].category == "out_of_scope"
    assert load_home_set(settings, "mall-x").corpus is None  # asks the home's own documents


def test_bad_rows_are_named_and_nothing_is_imported(tmp_path):
    settings = Settings(home=tmp_path)
    data = _xlsx(
        [
            _row(),
            _row(**{"ska vägras": "kanske"}),
            _row(**{"förväntad källa": "okänd.pdf"}),
            _row(**{"fråga": ""}),
            _row(**{"kategori": "obesvarbar"}),
        ]
    )
    with pytest.raises(ImportProblems) as err:
        import_file(settings, "frågor.xlsx", data, "egna", KNOWN)
    problems = err.value.problems
    assert "Rad 4, kolumn 'ska vägras': skriv ja eller nej (fick 'kanske')" in problems
    assert "Rad 5, kolumn 'förväntad källa': 'okänd.pdf' finns inte bland de inlästa dokumenten" in problems
    assert "Rad 6, kolumn 'fråga': frågan saknas" in problems
    assert any(p.startswith("Rad 7, kolumn 'ska vägras'") for p in problems)
    assert not any(p.startswith("Rad 3") for p in problems)
    assert not set_path(settings, "egna").exists()


def test_unknown_header_and_wrong_file_type(tmp_path):
    settings = Settings(home=tmp_path)
    with pytest.raises(ImportProblems, match="Rad 1, kolumn 2: okänd rubrik 'svar'"):
        import_file(settings, "x.csv", "fråga;svar\nVad?;Inget\n".encode(), "x")
    with pytest.raises(ImportProblems, match="filtypen .ods stöds inte"):
        import_file(settings, "x.ods", b"", "x")
    with pytest.raises(ImportProblems, match="går inte att läsa som Excel"):
        import_file(settings, "x.xlsx", b"not a workbook", "x")


def test_single_questions_are_added_edited_and_removed(tmp_path):
    settings = Settings(home=tmp_path)
    row = dict(zip(COLUMN_NAMES, _row(), strict=True))
    first = upsert_item(settings, "egna", row, KNOWN)
    upsert_item(settings, "egna", row | {"fråga": "Vad är miljömål?", "förväntad källa": "miljomal.md"}, KNOWN)
    with pytest.raises(ImportProblems, match="kolumn 'ska vägras'"):
        upsert_item(settings, "egna", row | {"ska vägras": "ibland"}, KNOWN, old_id=first.id)
    upsert_item(settings, "egna", row | {"kritisk": "ja", "id": first.id}, KNOWN, old_id=first.id)
    items = load_home_set(settings, "egna").items
    assert len(items) == 2 and items[0].critical and items[0].id == first.id
    delete_item(settings, "egna", first.id)
    assert [i.question for i in load_home_set(settings, "egna").items] == ["Vad är miljömål?"]


def test_cli_import_reports_errors_and_imports_a_clean_file(tmp_path, capsys):
    home = tmp_path / "home"
    good, bad = tmp_path / "frågor.csv", tmp_path / "fel.csv"
    assert main(["eval-template", str(good), "--home", str(home)]) == 0
    bad.write_text("fråga;ska vägras\nVad?;kanske\n", encoding="utf-8")
    assert main(["eval-import", str(bad), "--name", "fel", "--home", str(home)]) == 1
    assert "Rad 2, kolumn 'ska vägras'" in capsys.readouterr().err
    assert main(["eval-import", str(good), "--name", "egna", "--home", str(home)]) == 0
    assert "Importerade 2 frågor till egna" in capsys.readouterr().out
