"""The UI in a real headless Chromium: ask, watch the answer stream in with its highlighted source,
follow up, give feedback, upload a document with the token and get it cited; laptop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistant.feedback import FeedbackStore
from tests.api.sample import ADMIN_TOKEN, HAGFORS_Q, SAFFLE_FOLLOW_UP
from tests.api.test_documents import KIL
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TIMEOUT = 60_000  # ms; the first answer also loads the embedder in the server
expect.set_options(timeout=TIMEOUT)
# Records every distinct length of the latest answer while it is written.
WATCH_ANSWER = """() => {
  window.answerLengths = new Set();
  new MutationObserver(() => {
    const answers = document.querySelectorAll('#samtal [data-testid="bot"]');
    if (answers.length) window.answerLengths.add(answers[answers.length - 1].textContent.length);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    page.goto(f"{server}/")
    yield page
    context.close()
    assert outside == []  # offline: no CDN, no web fonts, no analytics


def _ask(page: Page, question: str) -> None:
    box = page.get_by_label("Din fråga")
    box.fill(question)
    box.press("Enter")


def _answers(page: Page):
    return page.locator('#samtal [data-testid="bot"]')


def test_chat_stream_sources_follow_up_feedback_and_upload(page, settings):
    page.evaluate(WATCH_ANSWER)
    _ask(page, HAGFORS_Q)
    mark = page.locator("#kallor mark").first  # the direct answer is the first source
    expect(mark).to_have_text(
        "För 2022–2025 har Hagfors kommun valt åtgärdsområdena pollinering och kommunal vattenplanering."
    )
    expect(_answers(page).last).to_contain_text("pollinering och kommunal vattenplanering. [1]")
    assert len(page.evaluate("() => [...window.answerLengths]")) > 3  # it grew in steps: streamed
    card = page.locator("#kalla-1")
    expect(card.locator("h4")).to_have_text("[1] Lärande exempel: Hagfors kommun och miljööverenskommelsen")
    expect(card.get_by_role("link", name="Originalet")).to_have_attribute("href", "https://example.org/hagfors")
    expect(card).to_contain_text("Valda åtgärdsområden")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "chat.png", full_page=True)

    _ask(page, SAFFLE_FOLLOW_UP)
    expect(page.locator("#kallor .kallfil").first).to_have_text("saffle.md")
    expect(_answers(page)).to_have_count(2)
    expect(_answers(page).last).to_contain_text("laddinfrastruktur")

    page.get_by_label("Kommentar till svaret").fill("Tydligt, tack.")
    page.locator("#samtal").get_by_role("button", name="Gilla", exact=True).last.click()
    expect(page.locator("#meddelande")).to_contain_text("Tack!")
    [entry] = FeedbackStore(settings.home / "feedback.sqlite").entries()
    assert (entry.rating, entry.question, entry.comment, entry.channel) == (
        "up",
        SAFFLE_FOLLOW_UP,
        "Tydligt, tack.",
        "ui",
    )
    assert entry.citations[0]["source"] == "saffle.md"

    kil = settings.home.parent / "kil.md"
    kil.write_text(KIL, encoding="utf-8")
    page.get_by_role("tab", name="Dokument").click()
    page.get_by_label("Administratörsnyckel").fill(ADMIN_TOKEN)  # the file is sent with the token
    page.locator("#filer input[type=file]").set_input_files(kil)
    page.get_by_role("button", name="Läs in").click()
    expect(page.locator("#dokument-status")).to_contain_text("Inläst: kil.md")
    expect(page.get_by_role("cell", name="kil.md")).to_be_visible()  # the list was refreshed

    page.get_by_role("tab", name="Chatt").click()
    _ask(page, "Hur lång cykelväg bygger Kils kommun?")
    expect(page.locator("#kallor .kallfil").first).to_have_text("kil.md")
    expect(_answers(page).last).to_contain_text("tolv kilometer")


def test_phone_width_and_keyboard_only(page):
    page.set_viewport_size({"width": 390, "height": 844})
    for _ in range(60):  # Tab through the page until the question box has the focus
        if page.evaluate("() => document.activeElement.closest('#fraga') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the question box cannot be reached with Tab")
    page.keyboard.type("Vilka är de 16 miljökvalitetsmålen?")
    page.keyboard.press("Enter")
    expect(page.locator("#kallor .kallfil").first).to_have_text("miljomal.md")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "chat-mobil.png", full_page=True)
