import pytest

from assistant.answer.intent import (
    asked_for,
    asked_part,
    asked_topic,
    asks_about_now,
    asks_more_than_one,
    compared,
    compared_sides,
    defined_term,
    each_question,
    event_year,
    first_ask,
    for_each_name,
    intent,
    joined_names,
    later_asks,
    task_focus,
    task_topic,
    told_asks,
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Skriv ett utkast till ett miljöprogram för vår kommun.", "task"),
        ("Kan du formulera en motivering till nämnden?", "task"),
        # A task after a sentence about the asker, and in the infinitive after "kan du".
        ("Jag ska presentera vägledningen för nämnden. Kan du skriva ett kort underlag om den?", "task"),
        ("Hur går man tillväga för att ta fram ett miljöprogram?", "steps"),
        ("Ge exempel på vad kommuner har gjort för pollinering.", "examples"),
        ("Vad är skillnaden mellan guiden från 2014 och vägledningen?", "comparison"),
        ("Hur många kommuner skrev under 2022?", "number"),
        ("När undertecknades den första miljööverenskommelsen?", "number"),
        ("Vem ledde arbetet med vägledningen?", "who"),
        ("Vem var samordnare, och när skulle uppdraget redovisas?", "who"),  # the date is a later ask
        ("Vad är generationsmålet?", "definition"),
        ("Vilka åtgärdsområden har Hagfors valt?", "list"),
        ("Finns det stöd för att söka extern finansiering?", "yesno"),
        ("Är guiden från 2014 värd att läsa? Och när lanserades den?", "yesno"),  # the first question's kind
        ("Jag vill förstå. Hur ser årshjulet ut? Vem lämnar vad?", "who"),  # the first shows no kind
        ("hagfors pollinering", "other"),
        ("Hur går det med miljömålet Levande skogar?", "status"),
        ("Hur går det till rent praktiskt för kommunen?", "steps"),
        ("Vilka kommuner har valt pollinering?", "examples"),
        ("hur funkar den årliga uppföljningen av miljömålen? vem rapporterar till vem?", "steps"),
    ],
)
def test_intent(question, expected):
    assert intent(question) == expected


def test_a_task_is_searched_for_what_it_is_about():
    assert task_topic("Skriv ett utkast om att vi går med i miljööverenskommelsen.") == (
        "vi går med i miljööverenskommelsen."
    )
    assert task_topic("Skriv något.") == "Skriv något."
    assert task_topic("Skriv en inledning till miljöprogrammet som förklarar hur målen hänger ihop.") == (
        "hur målen hänger ihop."
    )
    # The sentence before the task says what it is about.
    assert task_topic("Jag ska presentera RUS vägledning. Kan du skriva ett underlag om vem som tagit fram den?") == (
        "Jag ska presentera RUS vägledning. vem som tagit fram den?"
    )
    # A reader named in the lead ("vår VA-chef") is no part of the topic.
    assert task_topic("Skriv ett mejl till vår VA-chef som sammanfattar vad utredningen föreslår.") == (
        "vad utredningen föreslår."
    )
    # The lead never crosses a question word: the "om" here opens the second ask, not the topic.
    assert task_topic("Sammanfatta kort vad samordnaren kom fram till, och om något föreslogs om länen.") == (
        "vad samordnaren kom fram till, och om något föreslogs om länen."
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vilka åtgärdsområden har Säffle valt och vad kostar arbetet kommunen?", True),
        ("Hur ser arbetet ut, vem ansvarar?", True),
        ("Vad kostar det att gå med i miljööverenskommelsen?", False),
        ("Vilka aktörer och kommuner skrev under?", False),
    ],
)
def test_a_question_with_two_asks(question, expected):
    assert asks_more_than_one(question) is expected


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Vad är miljöövervakning?", "miljöövervakning"),
        ("Vad är en miljööverenskommelse?", "miljööverenskommelse"),
        ("Vad innebär generationsmålet för kommunerna?", "generationsmålet"),
        ("Vad innebär det att vara kontaktperson?", ""),
        ("Hur startar vi ett miljöprogram?", ""),
        ("Vad är syftet med miljökvalitetsmålet Skyddande ozonskikt?", "Skyddande ozonskikt"),  # not "syftet"
        ("vad är egentligen ett etappmål?", "etappmål"),  # not "egentligen"
    ],
)
def test_the_term_a_definition_question_asks_about(question, term):
    assert defined_term(question) == term


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Vad står det i Hagfors klimat- och energiplan om solceller?", "solceller"),
        ("Vad säger vägledningen om medborgardialog?", "medborgardialog"),
        ("Finns det något i dokumenten om hur man börjar?", ""),  # asks how, not about a topic
        ("Hur gör vi om kommunen saknar en miljöstrateg?", ""),  # "om" as "if"
        ("Vilka åtgärdsområden har Säffle valt?", ""),
    ],
)
def test_the_topic_a_what_do_the_documents_say_question_asks_about(question, topic):
    assert asked_topic(question) == topic


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Vilka åtgärdsområden kan en kommun välja?", "åtgärdsområden"),
        ("Vilka fokusområden fanns under den första perioden?", "fokusområden"),
        ("Vilka skrev under miljööverenskommelserna 2022?", ""),  # a verb: who did it, no thing named
    ],
)
def test_the_thing_a_which_question_asks_for(question, thing):
    assert asked_for(question) == thing


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("Vad föreslog Miljömålsberedningen 2025?", 2025),
        ("Vad lämnade beredningen i februari 2025 om kolinbindning?", 2025),
        ("Hur många kommuner skrev under när överenskommelsen förnyades 2022?", 2022),
        ("Vilka områden föreslog beredningen för 2011–2014?", None),  # a period
        ("Vad föreslog Agenda 2030-delegationen i SOU 2019:13?", None),  # names
        ("Vad hände med Klimatfärdplan 2050?", None),  # a year still to come names something
        ("Vad ska Sverige nå till 2030?", None),  # a target
    ],
)
def test_the_year_a_question_says_something_happened_in(question, year):
    assert event_year(question) == year


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Vad är RUS?", []),
        ("Vem genomförde satsningen och när skulle den rapporteras?", ["när skulle den rapporteras?"]),
        ("Vad är RUS, och vem leder det? När startade det?", ["vem leder det?", "När startade det?"]),
        ("Vad innebär etappmålet, och till vilket år ska det nås?", ["vilket år ska det nås?"]),
        ("Vad föreslogs om basår och hur stor minskning?", ["hur stor minskning?"]),  # no "o" of "och" left
        ("Vad betyder det? Och finns det något att tänka på?", ["finns det något att tänka på?"]),
        ("Vi planerar en satsning. Finns det exempel, och vilka valde det?", ["vilka valde det?"]),  # told first
        ("Vem rapporterar vad till vem, och ungefär när på året?", ["när på året?"]),  # an adverb first
    ],
)
def test_the_asks_after_the_first_are_split_off(question, asks):
    assert later_asks(question) == asks


@pytest.mark.parametrize(
    ("question", "pair"),
    [
        ("Vad är skillnaden mellan preciseringar och etappmål egentligen?", ("preciseringar", "etappmål")),
        ("Hur skiljer sig en precisering från ett etappmål?", ("precisering", "etappmål")),
        ("Vad är skillnaden mellan preciseringar och etappmål i miljömålssystemet?", ("preciseringar", "etappmål")),
        ("Vad är skillnaden mellan överenskommelserna 2018–2020 och de som gäller nu?", None),  # refers back
        ("Vilka skillnader finns mellan kommunerna?", None),
        ("Jag blandar ihop preciseringar och etappmål – vad är skillnaden?", ("preciseringar", "etappmål")),
        ("Jag blandar alltid ihop preciseringar och etappmål. Vad är skillnaden?", ("preciseringar", "etappmål")),
        ("Hur ska vi skilja på etappmål och miljökvalitetsmål?", ("etappmål", "miljökvalitetsmål")),
    ],
)
def test_the_two_things_a_comparison_asks_about(question, pair):
    assert compared(question) == pair


def test_names_joined_by_och_are_asked_of_each():
    question = "Vilka åtgärdsområden har både Hagfors och Säffle valt?"
    assert joined_names(question) == ["Hagfors", "Säffle"]
    assert for_each_name(question) == {
        "Hagfors": "Vilka åtgärdsområden har både Hagfors valt?",
        "Säffle": "Vilka åtgärdsområden har både Säffle valt?",
    }
    assert joined_names("Hagfors och Säffle, vad har de valt?") == []  # the opening word is capitalised anyway
    assert for_each_name("Vad gör kommunerna och länsstyrelsen?") == {}


def test_the_asking_sentences_of_a_question_that_also_tells_about_the_asker():
    question = "Vad menas med kompletterande åtgärder? Vi behöver förklara begreppet för politikerna."
    assert asked_part(question) == "Vad menas med kompletterande åtgärder?"
    assert asked_part("Vad är RUS, och vem leder det? När startade det?") == (
        "Vad är RUS, och vem leder det? När startade det?"
    )
    assert asked_part("Beskriv RUS arbete.") == "Beskriv RUS arbete."
    assert asked_part("Jag ska tala inför nämnden: hur stor andel av delmålen gäller kommunerna?") == (
        "hur stor andel av delmålen gäller kommunerna?"
    )
    # The point of an abbreviation ends no sentence.
    for question in ("Vad gäller enligt prop. 2004/05:150?", "Finns det exempel från t.ex. Hagfors?"):
        assert asked_part(question) == question
    # A short question is a sentence of its own.
    question = "En kollega påstår att uppdraget är avslutat. Stämmer det? Och vad skiljer direktiven?"
    assert asked_part(question) == "Stämmer det? Och vad skiljer direktiven?"


def test_a_comparison_in_the_past_tense_has_its_two_sides_as_worded():
    question = "Hur skilde sig uppdraget till delegationen 2016 från det till samordnaren som tillsattes 2020?"
    assert intent(question) == "comparison"
    assert compared_sides(question) == ("uppdraget till delegationen 2016", "det till samordnaren som tillsattes 2020")
    assert compared(question) is None  # not two short names


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        (
            "Jag ska förklara för våra politiker hur uppföljningen av miljömålen går till. Vilka steg finns det?",
            ["Hur uppföljningen av miljömålen går till?"],
        ),
        ("Vad är RUS? Jag vill förstå det bättre.", []),
        ("Vilka steg finns det när vi ska förklara hur uppföljningen går till?", []),  # an asking sentence
    ],
)
def test_a_telling_sentence_holds_the_question_it_wants_explained(question, asks):
    assert told_asks(question) == asks


@pytest.mark.parametrize(
    ("question", "each"),
    [
        (
            "Hur ser årshjulet ut? Vem lämnar vad till vem, och när?",
            ["Hur ser årshjulet ut?", "Vem lämnar vad till vem, och när?"],
        ),
        ("Vad är RUS, och vem leder det?", []),  # one sentence: its asks are `later_asks`
        ("Jag är ny här. Vad är RUS?", []),  # one question
    ],
)
def test_each_question_of_a_text_that_asks_several(question, each):
    assert each_question(question) == each


def test_questions_typed_in_lower_case_are_each_a_question():
    text = "vad är egentligen ett etappmål? och hur många beslutades i den första uppsättningen?"
    assert each_question(text) == [
        "vad är egentligen ett etappmål?",
        "och hur många beslutades i den första uppsättningen?",
    ]
    assert intent(text) == "definition"


def test_the_first_of_several_asks():
    assert first_ask("Vad förväntas vi göra, och vad lovar länsstyrelsen i gengäld?") == "Vad förväntas vi göra?"
    assert first_ask("Vad förväntas vi göra?") is None


def test_jämför_x_med_y_names_the_two_sides():
    question = (
        "Jämför etappmålet i det klimatpolitiska ramverket med det beredningen föreslog 2025. Vad är skillnaderna?"
    )
    assert compared_sides(question) == ("etappmålet i det klimatpolitiska ramverket", "det beredningen föreslog 2025")


def test_a_task_is_answered_on_its_own_topic_unless_it_refers_to_the_occasion():
    occasion = "Jag ska ha en dragning för kommunstyrelsen om miljööverenskommelsen. "
    own = occasion + "Kan du skriva ett underlag om vad kommunen förbinder sig att göra?"
    assert task_focus(own) == "vad kommunen förbinder sig att göra?"
    # What follows the task is more of it.
    assert (
        task_focus(own + " Ta gärna med någon siffra.")
        == "vad kommunen förbinder sig att göra? Ta gärna med någon siffra."
    )
    referring = occasion + "Kan du skriva ett underlag om vem som tagit fram den?"
    assert (
        task_focus(referring)
        == task_topic(referring)
        == ("Jag ska ha en dragning för kommunstyrelsen om miljööverenskommelsen. vem som tagit fram den?")
    )


def test_a_question_someone_asked_is_told():
    told = told_asks("En ledamot frågade efter mötet vad högfluorerade ämnen är för något. Kan du förklara det?")
    assert told == ["Vad högfluorerade ämnen är för något?"]


def test_a_list_the_asker_needs_is_no_list_asked_for():
    question = "behöver en lista till en trafikutredning: vilka kommuner i Sverige har infört miljözon?"
    assert asked_for(question) == "kommuner"
    assert asked_for("Lista de åtgärdsområden som Hagfors valt") == "åtgärdsområden"


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("Vem är ordförande i Miljömålsberedningen nu?", True),
        ("Vilka ledamöter sitter i beredningen i dag?", True),
        ("Är det någon idé att läsa guiden nu när det finns en ny vägledning?", False),
        ("Vem var ordförande 2023?", False),
    ],
)
def test_a_question_about_today_is_told_apart(question, now):
    assert asks_about_now(question) is now
