"""What a question is about, held against what the passages and their titles name."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.answer.coverage import (
    focus_stems,
    found,
    mentioned_share,
    named_after,
    names_title,
    title_share,
    titled,
    uncovered_words,
    unmentioned,
)
from assistant.domain import Candidate
from assistant.retrieval.scoring import content_stems
from assistant.retrieval.terms import TermWeights


def titled_passage(title: str) -> Candidate:
    return Candidate(Document(page_content="Parterna har kommit överens om en strategi.", metadata={"title": title}))


def test_a_question_is_about_a_document_titled_with_one_of_its_rarest_terms():
    # Chunk counts of a store of 1,000 chunks: "cop16" is rare, "värld" and "länd" are common.
    terms = TermWeights({"cop16": 3, "över": 2, "kom": 3, "värld": 200, "länd": 250}, 1000)
    question = "Vad kom världens länder överens om på COP16?"
    assert titled(question, [titled_passage("COP16 enades om vägen framåt för biologisk mångfald")], terms)
    # A title with the question's common words only says nothing of what it is about.
    assert not titled(question, [titled_passage("Världens länder samlas i Nairobi")], terms)


@pytest.mark.parametrize(
    ("term", "title", "expected"),
    [
        ("Myllrande våtmarker", "Myllrande våtmarker", True),
        ("cirkulär", "Cirkulär ekonomi - strategi för omställningen i Sverige", True),
        ("miljöövervakning", "Miljöövervakning följer tillståndet i miljön", True),
        # Naming the term somewhere is not being about it.
        ("cirkulär", "Uppdrag att främja information om hållbar konsumtion och cirkulär ekonomi", False),
        ("Myllrande våtmarker", "Myllrande skogar", False),
    ],
)
def test_a_title_is_named_after_a_term_it_opens_with(term, title, expected):
    assert named_after(term, title) is expected


def test_a_phrase_is_unmentioned_unless_one_text_names_all_of_it():
    texts = ["Sverige driver åtgärder mot mikroplaster i haven.", "Dagvatten och avloppsvatten ska renas bättre."]
    assert unmentioned("mikroplaster i dagvatten", texts)  # each text names only half of it
    assert not unmentioned("mikroplaster i dagvatten", [*texts, "Mikroplaster följer med dagvattnet ut i sjöar."])
    assert unmentioned("solceller", texts)
    # A word opening a compound names it: the page title "Storslagen fjällmiljö" is about the mountains.
    assert not unmentioned("vindkraft i fjällen", ["Storslagen fjällmiljö\nMarken exploateras för vindkraft."])


def test_an_everyday_word_of_a_phrase_need_not_be_named():
    # "roll" and "målet" are how the topic is put: the sentence on the planning itself names it.
    texts = ["Om kommunal översiktsplanering utvecklas kan den bli ett avgörande verktyg för God bebyggd miljö."]
    assert not unmentioned("översiktsplaneringens roll för målet", texts)
    assert unmentioned("bullerplaneringens roll för målet", texts)
    assert unmentioned("roll för målet", ["Kommunen har en plan."])  # all everyday: each must be named


@pytest.mark.parametrize(
    ("question", "title", "expected"),
    [
        ("Vad innebär miljökvalitetsmålet Giftfri miljö?", "Giftfri miljö", True),
        ("Hur går det för Sverige med målet Ingen övergödning?", "Ingen övergödning", True),
        ("Vilka principer har strategin för en giftfri miljö?", "Giftfri miljö", False),  # not the name
        ("Vad gör Naturvårdsverket?", "Naturvårdsverket", False),  # one word is a name of many pages
    ],
)
def test_a_question_names_a_page_by_its_title(question, title, expected):
    assert names_title(question, title) is expected


@pytest.mark.parametrize(
    ("stem", "stems", "expected"),
    [
        ("åtagit", {"åtagand"}, True),  # an inflection
        ("miljööverenskomm", {"miljööverenskommelsen"}, True),
        ("klimatanpassning", {"anpassning"}, True),  # the head of a compound
        ("klimatkliv", {"klimatfond"}, False),  # four letters are another compound's second part
        ("klimatanpassning", {"klimat"}, False),  # a shared first part
    ],
)
def test_a_stem_is_found_in_its_inflections_not_in_another_compound(stem, stems, expected):
    assert found(stem, stems) is expected


@pytest.mark.parametrize(
    "question",
    [
        "Vilka steg ingår i arbetsprocessen?",  # the verb after "vilka" and its noun
        "Hur många steg omfattar arbetsprocessen?",  # after "hur många" and its noun
        "Hur har kommunen jobbat med arbetsprocessen?",  # after "har" and its subject
        "Vi ska börja med arbetsprocessen. Hur gör vi?",  # after a modal and a pronoun
        "Hur kan man komma igång med arbetsprocessen?",  # the same, inverted
        "Vad gör kommunen för att gynna arbetsprocessen?",  # after "att"
        "Vad måste kommunen åta sig i arbetsprocessen?",  # before its object pronoun
        "Hur skiljer sig arbetsprocessen från den som gällt tidigare?",  # after "som"
        "Vilka steg ingår i arbetsprocessen och varifrån kommer de?",  # a question word
        "Vilka steg ingår i arbetsprocessen, och hur motiverade de dem?",  # the verb after a later ask's word
        "Vilka steg skulle arbetsprocessen täcka?",  # after a modal and its subject
        "Vi är en liten kommun som jobbar med arbetsprocessen, alltså?",  # everyday words
        "Finns det någon siffra på hur många steg arbetsprocessen har?",  # the kind of answer asked for
    ],
)
def test_the_verb_a_question_is_asked_with_is_no_uncovered_topic(question):
    passage = Candidate(
        Document(page_content="Kommunen följer arbetsprocessen i tre steg.", metadata={"title": "Processen"})
    )
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == []
    assert uncovered_words(question.replace("arbetsprocessen", "solcellerna"), [passage], TermWeights({}, 1000)) == [
        "solcellerna"
    ]


def test_a_compound_whose_parts_are_both_mentioned_is_covered():
    passage = Candidate(
        Document(page_content="Myndigheterna ska ta fram en plan med åtgärder.", metadata={"title": "Uppdrag"})
    )
    assert uncovered_words("Vilka myndigheter tog fram en åtgärdsplan?", [passage], TermWeights({}, 1000)) == []


def test_a_compound_of_a_mentioned_topic_and_an_everyday_head_is_covered():
    passage = Candidate(
        Document(page_content="Regeringen vill utveckla miljözonsbestämmelserna.", metadata={"title": "Miljözoner"})
    )
    question = "Varför ville regeringen se över miljözonsreglerna?"
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == []
    assert uncovered_words(question.replace("miljözon", "trängsel"), [passage], TermWeights({}, 1000)) == [
        "trängselsreglerna"
    ]


def test_a_word_another_document_has_is_not_said_to_be_missing_from_the_documents():
    passage = Candidate(Document(page_content="Kommunen följer arbetsprocessen i tre steg.", metadata={"title": "P"}))
    question = "Vilka steg ingår i arbetsprocessen för solcellerna?"
    (stem,) = content_stems("solcellerna")
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == ["solcellerna"]
    assert uncovered_words(question, [passage], TermWeights({stem: 1}, 1000)) == []  # one chunk elsewhere has it


def test_a_share_of_the_question_mentioned_counts_a_compound_named_by_its_head():
    stems = content_stems("Värmlands miljööverenskommelser RUS")
    weights = TermWeights({}, 1000)
    assert mentioned_share(stems, "Överenskommelserna är Länsstyrelsen Värmlands egna, inte RUS.", weights) == 1.0
    assert mentioned_share(stems, "RUS tog fram en vägledning.", weights) == pytest.approx(1 / 3)


def test_how_much_money_was_set_aside_asks_about_what_it_was_set_aside_for():
    assert focus_stems("Hur mycket pengar har staten avsatt för återvätning?") == content_stems("staten återvätning")


def test_a_compound_the_passages_write_apart_and_a_place_adjective_are_covered():
    passage = Candidate(
        Document(
            page_content="Utsläppen från inrikes transporter, utom inrikes flyg, ska minska. "
            "Hagfors ligger i Värmland.",
            metadata={"title": "Klimatmål"},
        )
    )
    weights = TermWeights({}, 1000)
    assert uncovered_words("Räknas inrikesflyget in i målet?", [passage], weights) == []
    assert uncovered_words("Finns det värmländska exempel?", [passage], weights) == []
    assert uncovered_words("Finns det norrländska exempel?", [passage], weights) == ["norrländska"]


def test_words_asking_for_the_differences_are_never_a_gap():
    passage = Candidate(Document(page_content="Etappmålet ändrar basår från 1990 till 2005.", metadata={"title": "M"}))
    assert uncovered_words("Vad är skillnaderna mellan etappmålen?", [passage], TermWeights({}, 1000)) == []


def test_how_concretely_a_question_is_asked_is_never_a_gap():
    passage = Candidate(Document(page_content="Varje aktör väljer själv sina åtgärdsområden.", metadata={"title": "M"}))
    question = "Hur väljer aktören rent praktiskt, och mer konkret, sina åtgärdsområden?"
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == []


def test_a_compound_names_a_title_word_as_its_head():
    side = "det etappmål till 2030 som gällt sedan klimatramverket"
    assert title_share(side, "Det klimatpolitiska ramverket") == 0.5
    assert title_share("ramverk", "Det klimatpolitiska ramverket") == 0.5
    assert title_share("etappmålet", "Ramverket för målen") == 0.0  # "mål" is too short a head


def test_a_verb_before_its_particle_or_a_known_word_inflected_is_no_gap():
    passage = Candidate(Document(page_content="Uppföljningen av åtgärderna planerades.", metadata={"title": "P"}))
    weights = TermWeights({"gäll": 3, "upplägg": 2}, 1000)  # the stems of "gäller", "upplägg"
    question = "Vilka tre strategier sågs över, och hur skiljer sig själva upplägget?"
    assert uncovered_words(question, [passage], weights) == []  # "upplägget" inflects "upplägg"
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == ["upplägget"]  # "sågs" is a verb


def test_how_sure_the_asker_wants_to_be_is_no_gap():
    passage = Candidate(Document(page_content="Vägsalt har nått grundvattnet.", metadata={"title": "Grundvatten"}))
    question = "Påverkar vägsaltet grundvattnet överhuvudtaget, och vad är den ordagranna lydelsen?"
    assert uncovered_words(question, [passage], TermWeights({}, 1000)) == ["lydelsen"]
