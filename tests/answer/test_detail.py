"""Which detail a question asks for, and whether a passage gives it about the question's topic."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.answer.detail import asked_detail, gives_detail, lies_on, named_page
from assistant.domain import Candidate
from assistant.retrieval.terms import TermWeights


def passage(text: str, title: str = "") -> Candidate:
    return Candidate(Document(page_content=text, metadata={"title": title, "source": "x.md"}))


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Vad kostar det att delta i miljööverenskommelsen?", "kostnad eller belopp"),
        ("Hur stor budget har Hagfors avsatt för pollinering?", "kostnad eller belopp"),
        ("Får kommunen något ekonomiskt bidrag för arbetet, och hur mycket i så fall?", "kostnad eller belopp"),
        ("Hur mycket stöd kan kommunen söka för laddstolpar?", "kostnad eller belopp"),
        ("Kostar det något för en kommun att teckna en överenskommelse?", "kostnad eller belopp"),
        ("Tar Länsstyrelsen ut någon avgift för nätverket?", "kostnad eller belopp"),
        ("På vilken sida i vägledningen beskrivs uppföljningen?", "antal sidor eller sidnummer"),
        ("Hur mycket har utsläppen minskat sedan 2018?", "andel eller förändring i siffror"),
        ("Hur stor del av delmålen kräver lokala insatser?", "andel eller förändring i siffror"),
        ("Vad föreslogs för basåret, och hur stor minskning?", "andel eller förändring i siffror"),
        ("Finns det någon siffra på hur mycket av agendan som hänger på oss?", "andel eller förändring i siffror"),
        ("När är nästa nätverksträff för miljöstrategerna?", "när det sker nästa gång"),
        ("När ska nästa omgång överenskommelser skrivas under?", "när det sker nästa gång"),
        ("Vilka åtgärder föreslås för att minska övergödningen?", "vad som föreslogs"),
        ("Hur skiljer sig Miljömålsberedningens förslag till nytt etappmål från det gamla?", "vad som föreslogs"),
        ("Hur ofta följs åtgärderna upp?", "hur ofta det sker"),
        ("Vilken placering fick Sverige i SDG-indexet?", "placering eller rangordning"),
        ("Vilket telefonnummer har miljömålssamordnaren?", "telefonnummer eller e-postadress"),
        ("Vilken plats i landet har flest våtmarker?", None),  # a place, not a rank
        ("Hur många kommuner har valt pollinering?", "antalet kommuner"),
        ("Vad ska försäkringen täcka kostnader för?", None),  # names costs but asks for no sum
        ("På vilken sida kan jag läsa mer?", None),  # a web page, not a page number
        ("Var står det hur många gånger man får resa in?", None),  # "hur många" is not the ask
        ("När startade miljööverenskommelserna?", None),  # any date or year answers it
    ],
)
def test_the_detail_a_question_asks_for(question, name):
    detail = asked_detail(question)
    assert (detail.name if detail else None) == name


def test_a_detail_counts_only_in_a_sentence_about_the_topic():
    question = "Vad kostar det att delta i miljööverenskommelsen?"
    detail = asked_detail(question)
    about_topic = passage("Att delta i miljööverenskommelsen är kostnadsfritt för kommunen.")
    elsewhere = passage("Regeringen satsar 200 miljoner kronor på våtmarker. Överenskommelsen gäller 2022–2025.")
    assert gives_detail(detail, question, [about_topic])
    assert not gives_detail(detail, question, [elsewhere])


def test_a_count_needs_a_number_of_the_thing_asked_for():
    question = "Hur många kommuner skrev under överenskommelsen 2022?"
    detail = asked_detail(question)
    assert gives_detail(detail, question, [passage("Femton kommuner skrev under överenskommelsen.")])
    # A year is no count, and a number of something else does not answer.
    assert not gives_detail(detail, question, [passage("Kommunerna skrev under överenskommelsen 2022.")])
    assert not gives_detail(detail, question, [passage("Överenskommelsen har sju åtgärdsområden.")])


def test_what_was_proposed_is_not_given_by_the_remit_to_propose():
    question = "Vad föreslog utredningen om översyn av miljöövervakningen?"
    detail = asked_detail(question)
    assert detail.name == "vad som föreslogs" and detail.partial  # the remit is still quoted, with a note
    remit = passage(
        "Utredningen har haft i uppdrag att föreslå förändringar av miljöövervakningen.",
        title="Översyn av miljöövervakningen",
    )
    proposal = passage(
        "Utredningen föreslår att miljöövervakningen samordnas av en myndighet.", title="Översyn av miljöövervakningen"
    )
    # A proposal in another inquiry that shares one word of the topic ("översyn") answers nothing.
    other = passage("Därför föreslås att regeringen vid nästa översyn ser över målen.", title="Nya utsläppsmål")
    assert not gives_detail(detail, question, [remit, other])
    told = passage(
        "Utredningen om miljöövervakningen uppdras att lämna förslag på en ny organisation.",
        title="Översyn av miljöövervakningen",
    )
    assert not gives_detail(detail, question, [told])
    assert gives_detail(detail, question, [proposal])


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("Vad står det på sidan 47 i vägledningen?", 47),
        ("Vad säger s. 12 om uppföljning?", 12),
        ("Hur många sidor är del 2?", None),
        ("Vad hände på mötet 2018?", None),
    ],
)
def test_the_page_a_question_names(question, page):
    assert named_page(question) == page


def test_a_page_is_the_number_printed_on_it_when_the_pdf_prints_numbers():
    labelled = {"page": 7, "page_end": 7, "page_labels": '{"7": "5"}'}
    assert lies_on(labelled, 5) and not lies_on(labelled, 7)
    assert lies_on({"page": 3, "page_end": 4}, 4) and not lies_on({"page": 3}, 4)
    assert not lies_on({"source": "faktablad.md"}, 1)  # a web page has no pages


def test_which_three_asks_for_the_three_by_name():
    question = "Vilka tre kommuner presenterade goda exempel vid undertecknandet 2022?"
    detail = asked_detail(question)
    assert detail.name == "vilka tre kommuner det gäller"
    # Repeating the question's count names nobody; a sentence on another topic does not answer.
    repeat = passage("Vid undertecknandet 2022 presenterade tre kommuner goda exempel från perioden 2018–2020.")
    signing = passage("Den 22 februari 2022 skrev 15 kommuner, Region Värmland och Visit Värmland under.")
    timeline = passage(
        "Vad som hände sedan:\n- Våren 2021 var programmet ute på remiss.\n- Den 22 februari 2022 förnyades"
        " överenskommelserna.\n- Vid undertecknandet 2022 presenterade tre kommuner goda exempel."
    )
    # An enumeration about the signing that does not name the question's rarest word ("presenterade").
    renewed = passage("I februari 2022 undertecknade Hagfors, Kil och Säffle den nya överenskommelsen.")
    terms = TermWeights({"presenter": 1, "underteckn": 20, "god": 30, "2022": 40}, 100)
    assert not gives_detail(detail, question, [repeat, signing, timeline, renewed], terms)
    named = passage("Vid undertecknandet 2022 presenterade Hagfors, Kil och Säffle goda exempel.")
    listed = passage("Tre kommuner presenterade goda exempel vid undertecknandet:\n- Hagfors\n- Kil\n- Säffle")
    assert gives_detail(detail, question, [named], terms) and gives_detail(detail, question, [listed], terms)


def test_the_four_that_a_sentence_only_counts_are_not_named():
    question = "Vilka är de fyra nyckelfaktorerna i handlingsplanen för Agenda 2030?"
    detail = asked_detail(question)
    assert detail.name == "vilka de fyra nyckelfaktorerna är"
    assert asked_detail("Vad säger de fem etappmålen om biologisk mångfald?").name == "vilka de fem etappmålen är"
    # An adjective before the thing belongs to its name.
    tematic = asked_detail("Vilka är de sex tematiska fokusområdena i handlingsplanen?")
    assert tematic.name == "vilka de sex tematiska fokusområdena är"
    # The sentence that counts them, in another inflection and with an enumeration of something else.
    counted = passage(
        "Handlingsplanen lyfter fram sex fokusområden, bland annat klimat, hälsa och jämlikhet, och fyra"
        " nyckelfaktorer för genomförandet av Agenda 2030."
    )
    assert not gives_detail(detail, question, [counted])
    named = passage(
        "Nyckelfaktorerna i handlingsplanen för Agenda 2030 är styrning, uppföljning, samverkan och kunskap."
    )
    assert gives_detail(detail, question, [named])
    # Some of them, after the count, answer in part.
    some = passage(
        "Bland de fyra nyckelfaktorerna i handlingsplanen för Agenda 2030 finns styrning, samverkan och kunskap."
    )
    assert gives_detail(detail, question, [some])
    untold = passage(
        "Vilka fyra nyckelfaktorer handlingsplanen för Agenda 2030 har, och hur de följs, framgår inte här."
    )
    assert not gives_detail(detail, question, [untold])


def test_how_many_of_a_stated_number_is_not_answered_by_that_number():
    question = "Hur många av de 163 åtgärderna i miljööverenskommelserna var genomförda vid uppföljningen?"
    detail = asked_detail(question)
    assert detail.name == "antalet åtgärderna"
    stated = passage("Miljööverenskommelserna innehöll 163 åtgärder, som följdes upp våren 2019.")
    assert not gives_detail(detail, question, [stated])
    counted = passage("Vid uppföljningen av miljööverenskommelserna var 97 av åtgärderna genomförda.")
    assert gives_detail(detail, question, [counted])
    # A number next to another thing, or to a compound the thing only begins ("åtgärdsområden").
    other = passage("Miljööverenskommelserna följdes upp med 13 aktörer, som valde fyra av de sju åtgärdsområdena.")
    assert not gives_detail(detail, question, [other])
    assert asked_detail("Hur många av Miljömålsberedningens 102 förslag gäller kommunerna?").name == "antalet förslag"


def test_how_often_is_answered_by_a_frequency_about_the_topic():
    question = "Hur ofta följs åtgärderna i miljööverenskommelsen upp?"
    detail = asked_detail(question)
    assert gives_detail(detail, question, [passage("Åtgärderna i miljööverenskommelsen följs upp en gång per år.")])
    assert gives_detail(detail, question, [passage("Miljööverenskommelsens åtgärder följs upp årligen.")])
    assert not gives_detail(detail, question, [passage("Åtgärderna i miljööverenskommelsen startade våren 2022.")])


def test_when_the_next_one_is_is_not_given_by_the_last_ones_date():
    question = "När ska nästa omgång miljööverenskommelser skrivas under?"
    detail = asked_detail(question)
    last = passage("Miljööverenskommelserna skrevs under i februari 2022 för perioden 2022–2025.")
    assert not gives_detail(detail, question, [last])
    assert gives_detail(detail, question, [passage("Nästa omgång miljööverenskommelser skrivs under i mars 2099.")])


def test_a_sum_for_another_programme_sharing_common_words_is_no_cost():
    question = "Hur mycket pengar fick Hagfors kommun från länsstyrelsen för att genomföra åtgärder i överenskommelsen?"
    detail = asked_detail(question)
    terms = TermWeights({"genomför": 300, "åtgärd": 400, "länsstyr": 200, "överenskomm": 30, "hagfor": 3}, 1000)
    other = passage(
        "För uppdragets genomförande får Skogsstyrelsen använda 23 miljoner kronor till åtgärder.",
        title="Uppdrag att genomföra åtgärder inom skogsprogrammet",
    )
    own = passage("Hagfors kommun fick 200 000 kronor för sina åtgärder.", title="Miljööverenskommelsen")
    assert not gives_detail(detail, question, [other], terms)
    assert gives_detail(detail, question, [own], terms)


def test_a_rank_or_an_address_is_given_only_by_one():
    question = "Vilken placering fick Sverige i SDG-indexet?"
    detail = asked_detail(question)
    assert not gives_detail(detail, question, [passage("Sverige arbetar med SDG-indexet och Agenda 2030.")])
    assert gives_detail(detail, question, [passage("Sverige hamnade på tredje plats i SDG-indexet.")])
    question = "Vilken e-postadress har miljömålssamordnaren?"
    detail = asked_detail(question)
    assert not gives_detail(detail, question, [passage("Kontakta miljömålssamordnaren via länsstyrelsen.")])
    assert gives_detail(detail, question, [passage("Miljömålssamordnaren nås på miljomal@exempel.se.")])


def test_a_proposal_that_gives_someone_an_assignment_is_no_remit():
    question = "Vad föreslogs i betänkandet om länsstyrelsernas roll?"
    detail = asked_detail(question)
    assert detail is not None and detail.beside is not None
    proposal = (
        "Förslaget är att regeringen inrättar en parlamentarisk beredning och ger länsstyrelserna ett tydligare "
        "uppdrag att bidra till ett samordnat statligt stöd."
    )
    assert detail.gives.search(proposal) and not detail.beside.search(proposal)
    for remit in (
        "Utredningen har haft i uppdrag att föreslå hur länsstyrelsernas roll kan stärkas.",
        "Utredaren ska föreslå en ny roll för länsstyrelserna.",
        "I uppdraget ingår att lämna förslag om länsstyrelsernas roll.",
    ):
        assert detail.beside.search(remit) and not detail.gives.search(remit)


@pytest.mark.parametrize(
    "question",
    [
        "Hur mycket av de pengarna fördelas via Lona till kommunerna per år?",  # a share of a sum
        "Hur många kronor avsätts för hållbar stadsutveckling i regionalfondsprogrammet?",  # not a count
    ],
)
def test_how_much_money_asks_for_a_sum(question):
    detail = asked_detail(question)
    assert detail is not None and detail.name == "kostnad eller belopp"


def test_how_many_of_the_things_is_answered_by_a_part_of_them_only():
    question = "Hur många av åtgärderna hade genomförts vid uppföljningen 2019?"
    detail = asked_detail(question)
    assert detail is not None
    assert not detail.gives.search("Den omfattade 13 överenskommelser med sammanlagt 163 åtgärder.")
    assert detail.gives.search("Vid uppföljningen var 97 av åtgärderna genomförda.")
    # "… och hur många av dem …" asks a part of what the first count counted, which a list may give.
    whole = asked_detail("Hur många dödsfall orsakar luftföroreningar, och hur många av dem beror på vedeldning?")
    assert whole is not None and whole.gives.search("Luftföroreningar orsakar ca 5 500 förtida dödsfall per år.")
