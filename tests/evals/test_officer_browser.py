"""A county officer, as a new user would, all in the browser (real server, Debian chromium): download
the template, fill in ten questions in the spreadsheet, import it, run it, read the report, turn two
thumbs-down answers into eval items, run again and compare the two runs."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from assistant.api.app import create_app
from evals.spreadsheet import COLUMN_NAMES
from tests.api.sample import ADMIN_TOKEN, ingested_settings, running_server
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
TIMEOUT = 120_000  # ms: the first question also loads the embedder in the server
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# Ten questions about the three test documents (tests/api/sample.py), as an officer writes them.
QUESTIONS = [
    ("Vilka åtgärdsområden har Hagfors kommun valt?", "pollinering; vattenplanering", "hagfors.md", "nej", "ja"),
    ("Vilken period gäller Hagfors miljööverenskommelse?", "2022–2025", "hagfors.md", "nej", "nej"),
    ("Hur följer Hagfors kommun upp arbetet?", "hållbarhetsredovisning", "hagfors.md", "nej", "nej"),
    ("Vilka åtgärdsområden har Säffle kommun valt?", "laddinfrastruktur", "saffle.md", "nej", "nej"),
    ("Sedan när deltar Säffle i miljööverenskommelserna?", "2018", "saffle.md", "nej", "nej"),
    ("Hur många miljökvalitetsmål finns det?", "16", "miljomal.md", "nej", "ja"),
    ("Vilka miljökvalitetsmål finns det?", "Frisk luft", "miljomal.md", "nej", "nej"),
    ("Vem har beslutat om miljömålen?", "Riksdagen", "miljomal.md", "nej", "nej"),
    ("Vem vann fotbolls-VM 1958?", "", "", "ja", "nej"),
    ("Hur bakar man surdegsbröd?", "", "", "ja", "nej"),
]
THUMBS_DOWN = ["Vilket generationsmål har riksdagen beslutat om?", "Vad kostar laddinfrastrukturen i Säffle?"]


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return ingested_settings(tmp_path_factory.mktemp("officer"), admin_token=ADMIN_TOKEN)


@pytest.fixture(scope="module")
def server(settings):
    with running_server(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    page.goto(f"{server}/")
    yield page
    context.close()


def _choose(page: Page, elem_id: str, option: str) -> None:
    # The option of this dropdown: another one's list may still be closing.
    page.locator(f"#{elem_id} input").click()
    page.locator(f"#{elem_id}").get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # close the list, so that the next dropdown's options stand alone


def _subtab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _run(page: Page, items: int) -> None:
    _subtab(page, "Kör")
    _choose(page, "utv-samling", "egna (egen)")
    page.locator("#utv-starta").click()
    expect(page.locator("#utv-status")).to_contain_text(f"av {items} frågor godkända")
    report = page.frame_locator("#utv-rapport iframe")
    expect(report.locator("h1")).to_have_text("Utvärdering: egna")
    expect(report.locator("details")).to_have_count(items)


def _ask_and_dislike(page: Page, question: str, comment: str) -> None:
    box = page.get_by_label("Din fråga")
    box.fill(question)
    box.press("Enter")
    answers = page.locator('#samtal [data-testid="bot"]')
    expect(answers.last).not_to_be_empty()
    expect(page.locator("#skicka")).to_be_enabled()
    page.get_by_label("Kommentar till svaret").fill(comment)
    page.locator("#samtal").get_by_role("button", name="Ogilla", exact=True).last.click()
    expect(page.locator("#meddelande")).not_to_be_empty()


def test_officer_imports_runs_reviews_feedback_reruns_and_compares(page, settings, tmp_path):
    page.get_by_role("tab", name="Utvärdering").click()
    _subtab(page, "Egna frågor")
    with page.expect_download() as download:
        page.locator("#utv-mall-xlsx").click()
    template = tmp_path / "fragor.xlsx"
    download.value.save_as(template)

    book = load_workbook(template)  # the officer fills in the sheet: examples out, ten questions in
    sheet = book.active
    assert [c.value for c in sheet[1]] == COLUMN_NAMES
    sheet.delete_rows(3, sheet.max_row)
    for n, (question, facts, source, refuse, critical) in enumerate(QUESTIONS, 1):
        row = {"fråga": question, "förväntade nyckelfakta": facts, "förväntad källa": source}
        row |= {"ska vägras": refuse, "kritisk": critical, "id": f"f{n:02}"}
        sheet.append([row.get(c, "") for c in COLUMN_NAMES])
    book.save(template)

    page.locator("#utv-nyckel input").fill(ADMIN_TOKEN)
    page.locator("#utv-fil input[type=file]").set_input_files(template)
    page.locator("#utv-namn").get_by_role("textbox").fill("egna")
    page.locator("#utv-importera").click()
    expect(page.locator("#utv-import-status")).to_contain_text("Importerade 10 frågor till egna")

    _run(page, 10)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "utvardering-rapport.png", full_page=True)

    page.get_by_role("tab", name="Chatt").click()
    _ask_and_dislike(page, THUMBS_DOWN[0], "Svaret nämner inte generationsmålet.")
    _ask_and_dislike(page, THUMBS_DOWN[1], "Det här står inte i dokumenten.")

    page.get_by_role("tab", name="Utvärdering").click()
    _subtab(page, "Återkoppling")
    expect(page.locator("#utv-utkast-antal")).to_contain_text("2 utkast väntar på granskning")
    for question, facts, refuse in ((THUMBS_DOWN[0], "generationsmål", False), (THUMBS_DOWN[1], "", True)):
        page.locator("#utv-utkast input").click()
        page.get_by_role("option", name=question[:70], exact=False).click()
        expect(page.locator("#utv-utkast-text")).to_contain_text(question)
        if refuse:
            page.locator("#utv-utkast-vagras input").check()
        else:
            page.locator("#utv-utkast-fakta").get_by_role("textbox").fill(facts)
            page.locator("#utv-utkast-kalla").get_by_role("textbox").fill("miljomal.md")
        page.locator("#utv-utkast-samling").get_by_role("textbox").fill("egna")
        page.locator("#utv-godkann").click()
        expect(page.locator("#utv-utkast-status")).to_contain_text("i egna")
        if refuse:
            page.locator("#utv-utkast-vagras input").uncheck()
    expect(page.locator("#utv-utkast-antal")).to_contain_text("Inga utkast väntar")

    _run(page, 12)  # the two accepted drafts run in the next eval

    _subtab(page, "Jämför")
    runs = sorted(p.name for p in (settings.home / "evals" / "runs").iterdir())
    assert len(runs) == 2
    _choose(page, "utv-a", runs[0])
    _choose(page, "utv-b", runs[1])
    page.locator("#utv-jamfor-knapp").click()
    comparison = page.frame_locator("#utv-jamforelse iframe")
    expect(comparison.locator("h1")).to_have_text("Jämförelse av två körningar")
    expect(comparison.locator("h2", has_text="Måttförändringar")).to_be_visible()
    expect(comparison.get_by_text("Bara i B: aterkoppling-1, aterkoppling-2")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "utvardering-jamforelse.png", full_page=True)
