"""Web-clutter removal: general rules on synthetic blocks, and the real founding pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.clean import clean_blocks, drop_repeated_lines, is_clutter
from ingest.loaders import load_path
from ingest.model import Block, LoadedDocument

HINT = "Länk till annan webbplats, öppnas i nytt fönster."


def p(text: str) -> Block:
    return Block("paragraph", text)


def h(text: str, level: int = 2) -> Block:
    return Block("heading", text, level)


def lst(*items: str) -> Block:
    return Block("list", "\n".join(f"- {i}" for i in items))


# --- rules on synthetic blocks --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "logo",
        "undersida bild",
        " Content Editor",
        "Publicerad av",
        "Senast ändrad",
        "Senast ändrad: 2023-05-12",
        "Sidan uppdaterades den 3 maj 2021",
        "Dela",
        "Skriv ut",
        "Till toppen",
        "Läs mer",
        "Framsida.PNG",
        "bild1.jpg",
        "Årsrapport 2020.pdf",
        "Länk till vägledningen",
        "Länk till guiden",
        "Läs mer om miljömålen",
        HINT,
        "Foto: Anna Andersson",
        "Start > Miljö > Miljömål",
        "»",
        "\u00a0",
    ],
)
def test_clutter(text: str) -> None:
    assert is_clutter(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bakgrund",
        "Hur jobbar vi?",
        "Dela ut information om avfall till alla hushåll.",
        "Publicerade rapporter visar att utsläppen minskar.",
        "Uppdaterad handlingsplan för biologisk mångfald",
        "Läs mer om miljömålen på Naturvårdsverkets webbplats.",
        "Pollinering",
        "Kommunal vattenplanering",
        "Bilden visar att utsläppen minskar i alla län.",
        "Till dig som är företagare",
        "2022-2025",
    ],
)
def test_content_is_not_clutter(text: str) -> None:
    assert not is_clutter(text)


def test_whitespace_and_link_hints() -> None:
    blocks = clean_blocks(
        [
            h("Miljö\u00a0och\u00a0 hälsa"),
            p(f"Läs på Länsstyrelsens webb (länk till miljömålen {HINT}). Mer\u00a0text\u200b här."),
            p(f"Mer information på Länsstyrelsens webb. {HINT}"),
        ]
    )
    assert [b.text for b in blocks] == [
        "Miljö och hälsa",
        "Läs på Länsstyrelsens webb (länk till miljömålen). Mer text här.",
        "Mer information på Länsstyrelsens webb.",
    ]


def test_clutter_blocks_and_list_items_are_dropped() -> None:
    blocks = clean_blocks(
        [
            p("logo"),
            h("Åtgärder"),
            p("undersida bild"),
            p("Kommunen har valt följande områden:"),
            Block("list", "- Pollinering\n- Läs mer\n- Kommunal vattenplanering"),
            lst("Dela", "Skriv ut"),
            p("Framsida.PNG"),
        ]
    )
    assert blocks == [
        h("Åtgärder"),
        p("Kommunen har valt följande områden:"),
        Block("list", "- Pollinering\n- Kommunal vattenplanering"),
    ]


def test_empty_sections_and_dangling_lead_ins() -> None:
    blocks = clean_blocks(
        [
            h("Titel", 1),
            p("Inledning med innehåll."),
            h("Tom rubrik", 2),
            h("Nästa avsnitt", 2),
            h("Underrubrik med text", 3),
            p("Text under underrubriken."),
            h("Tom på slutet", 3),
            h("Avslutning", 2),
            p("Sista stycket."),
            p("Exempel på åtgärder i vår kommun:"),
            p("Publicerad av"),
        ]
    )
    assert [b.text for b in blocks] == [
        "Titel",
        "Inledning med innehåll.",
        "Nästa avsnitt",
        "Underrubrik med text",
        "Text under underrubriken.",
        "Avslutning",
        "Sista stycket.",
    ]


def test_lead_in_with_content_or_long_text_is_kept() -> None:
    long_lead_in = (
        "Ansvaret har överlämnats till länsstyrelserna. Det är Naturvårdsverkets ansvar att:"
    )
    blocks = [p("Kommunen åtar sig att:"), lst("Delta på möten"), p(long_lead_in), h("Nästa")]
    expected = ["Kommunen åtar sig att:", "- Delta på möten", long_lead_in]
    assert [b.text for b in clean_blocks(blocks)] == expected


def test_fragment_repeating_a_heading_is_dropped() -> None:
    blocks = clean_blocks(
        [
            h("Guide till lokalt arbete med miljömål"),
            p("Guiden innehåller goda exempel."),
            p("Guide till lokalt arbete med miljömål"),
            p("Lokalt arbete med miljömål"),
            p("Lokalt arbete med miljömål är viktigt."),
        ]
    )
    assert [b.text for b in blocks] == [
        "Guide till lokalt arbete med miljömål",
        "Guiden innehåller goda exempel.",
        "Lokalt arbete med miljömål är viktigt.",
    ]


def test_clean_is_idempotent(seeds: Path) -> None:
    # load_path cleans, and the pipeline may clean again: a second pass must change nothing
    for path in sorted(seeds.glob("*.md")):
        blocks = load_path(path, seeds).blocks
        assert clean_blocks(blocks) == blocks


def test_clean_does_not_mutate_its_input() -> None:
    original = [p("Text\u00a0med mellanslag.")]
    clean_blocks(original)
    assert original == [p("Text\u00a0med mellanslag.")]


# --- repeated lines across a run ------------------------------------------------------------------

FOOTER = "Exempelby kommun, växel 0123-456 00"
SHARED = "Regeringen sammanställer varje år vad som gjorts för att nå miljökvalitetsmålen."


def doc(name: str, *blocks: Block) -> LoadedDocument:
    return LoadedDocument(name, name, {}, list(blocks))


def test_drop_repeated_lines() -> None:
    docs = [
        doc("a", h("Om oss", 1), p("Text a."), p(SHARED), p(FOOTER)),
        doc("b", h("Om oss", 1), p("Text b."), p(SHARED), p(FOOTER), h("Kontakt"), p(FOOTER)),
        doc("c", h("Om oss", 1), p("Text c."), p(SHARED), Block("list", f"- {FOOTER}\n- Unik punkt")),
        doc("d", h("Annat", 1), p("Text d."), p("Bara i två dokument."), lst("Delad punkt")),
        doc("e", h("Annat", 1), p("Text e."), p("Bara i två dokument."), lst("Delad punkt")),
    ]
    drop_repeated_lines(docs)
    assert [b.text for b in docs[0].blocks] == ["Om oss", "Text a.", SHARED]
    # the repeated sentence of substance is kept once (in the first document), the footer nowhere,
    # and the heading left without content goes with it
    assert [b.text for b in docs[1].blocks] == ["Om oss", "Text b."]
    assert [b.text for b in docs[2].blocks] == ["Om oss", "Text c.", "- Unik punkt"]
    assert [b.text for b in docs[3].blocks] == ["Annat", "Text d.", "Bara i två dokument.", "- Delad punkt"]


def test_drop_repeated_lines_needs_a_share_of_the_run() -> None:
    docs = [doc(str(i), p(f"Text {i}."), *([p(FOOTER)] if i < 3 else [])) for i in range(12)]
    drop_repeated_lines(docs)  # 3 of 12 documents is under 30 %
    assert sum(FOOTER in b.text for d in docs for b in d.blocks) == 3


# --- the founding pages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Path:
    path = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    return path


def body_lines(path: Path) -> list[str]:
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [" ".join(line.split()) for line in body.split("\n") if line.strip()]


HAGFORS_CLUTTER = (
    "logo",
    "undersida bild",
    "Publicerad av",
    "Senast ändrad",
    "Exempel på åtgärder i vår kommun:",
)


def substantive_sentences(path: Path) -> list[str]:
    """Every sentence of six words or more in the raw page, except link hints and the dangling
    lead-in that introduces nothing."""
    sentences = []
    for line in body_lines(path):
        if line in HAGFORS_CLUTTER:
            continue
        line = re.sub(r"^(?:•|\d+\.)\s*", "", line)
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if len(sentence.split()) >= 6 and "Länk till annan webbplats" not in sentence:
                sentences.append(sentence)
    return sentences


def bullets(lines: list[str]) -> list[str]:
    return [re.sub(r"^•\s*", "- ", line) for line in lines if line.startswith("•")]


def test_hagfors_page(seeds: Path) -> None:
    path = seeds / "hagfors-miljooverenskommelsen-2022-2025.md"
    doc = load_path(path, seeds)
    lines = [line for b in doc.blocks for line in b.text.split("\n")]
    all_text = "\n".join(lines)

    for clutter in HAGFORS_CLUTTER:
        assert clutter not in lines
    assert "Länk till annan webbplats" not in all_text
    assert "(länk till Sveriges Miljömål)." in all_text  # the hint removed inside the sentence

    sentences = substantive_sentences(path)
    assert len(sentences) >= 10
    flat = " ".join(all_text.split())
    assert [s for s in sentences if s not in flat] == []
    assert bullets(body_lines(path)) == [
        line for b in doc.blocks if b.kind == "list" for line in b.text.split("\n")
    ]  # every list item survives, as "- " lines

    found = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert found[0][0] == 1
    for heading in ("Bakgrund", "Hur jobbar vi?", "Nytt! Vi väljer åtgärdsområden"):
        assert (2, heading) in found

    lead_in = "Hagfors kommun har valt följande åtgärdsområden för 2022-2025:"
    i = next(i for i, b in enumerate(doc.blocks) if b.text == lead_in)
    areas = doc.blocks[i + 1]
    assert areas.kind == "list"
    raw = body_lines(path)
    start = raw.index(lead_in) + 1
    assert areas.text.split("\n") == bullets(raw[start : start + 4])
    assert len(areas.text.split("\n")) == 4
    assert doc.blocks[i + 2].kind == "heading"


def test_rus_page(seeds: Path) -> None:
    path = seeds / "kommunstod-rus.md"
    doc = load_path(path, seeds)
    texts = [b.text for b in doc.blocks]
    all_text = "\n".join(texts)

    for clutter in ("Länk till vägledningen", "Länk till guiden", "Content Editor", "Framsida.PNG"):
        assert clutter not in all_text
    assert "Lokalt arbete med miljömål" not in texts  # teaser repeating a heading
    assert texts.count("Guide till lokalt arbete med miljömål") == 1

    flat = " ".join(all_text.split())
    assert [s for s in substantive_sentences(path) if s not in flat] == []

    assert doc.blocks[0] == Block("heading", "Kommunstöd", 1)
    assert ("Guide till lokalt arbete med miljömål", 2) in [(b.text, b.level) for b in doc.blocks]
    numbered = [b.text.split("\n") for b in doc.blocks if b.kind == "list"]
    assert len(numbered) == 1 and [line[:3] for line in numbered[0]] == ["1. ", "2. ", "3. "]
    assert doc.blocks[-1].kind == "paragraph"


def test_paragraph_broken_mid_sentence_is_joined() -> None:
    blocks = clean_blocks(
        [
            p("Utredningen övervägde olika möjligheter för att åstadkomma mer"),
            p("likvärdig konkurrens mellan olika sätt att resa."),
            p("En rubrikliknande rad utan punkt"),
            p("Nästa stycke börjar med versal."),
            p("Kommunen åtar sig att:"),
            p("delta på möten."),
        ]
    )
    assert [b.text for b in blocks] == [
        "Utredningen övervägde olika möjligheter för att åstadkomma mer likvärdig konkurrens"
        " mellan olika sätt att resa.",
        "En rubrikliknande rad utan punkt",
        "Nästa stycke börjar med versal.",
        "Kommunen åtar sig att:",
        "delta på möten.",
    ]
