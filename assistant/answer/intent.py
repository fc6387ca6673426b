"""What kind of answer a question asks for; the answer's shape follows from it."""

from __future__ import annotations

import re
from datetime import date

INTENTS = (
    "task", "status", "steps", "examples", "comparison", "number", "who", "definition", "list", "yesno", "other",
)  # fmt: skip

# "Hur går det med målet?" asks how things stand, not for steps.
# "Hur går det till …" asks for the steps.
_STATUS = re.compile(r"\bhur (?:går|gick|ser) det\b(?!\s+till\b)|\bhur står det till\b|\bläget\b", re.IGNORECASE)

# "skiljer sig", and in the past tense "skilde/skiljde sig": a comparison.
DIFFERS = r"(?:skiljer|skilde|skiljde)"
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "task",
        re.compile(
            # A task may follow a sentence about the asker ("Jag ska presentera … Kan du skriva …").
            r"(?:^|[.!?]\s+)(?:kan du |skulle du kunna |hjälp mig (?:att )?)?(?:skriva?|formulera|sammanfatta|"
            r"översätta?|göra? ett utkast|ta fram ett (?:utkast|förslag)|föreslå|rita|beräkna|räkna ut)\b|\butkast\b",
            re.IGNORECASE,
        ),
    ),
    (
        "steps",
        re.compile(
            r"\b(?:hur (?:gör|går|kommer|startar|börjar|ska|bör|kan|arbetar|jobbar|tar|fungerar|funkar) |steg|"
            r"i vilken ordning|hur man |arbetsgång|process för|kom(?:ma)? igång)",
            re.IGNORECASE,
        ),
    ),
    ("examples", re.compile(r"\bexempel\b|\blärande exempel|\bvilka (?:andra )?kommuner\b", re.IGNORECASE)),
    ("comparison", re.compile(rf"\bskillnad|\bjämför|\b{DIFFERS}\b|\bjämfört med\b|\bvs\.?\b", re.IGNORECASE)),
    (
        "number",
        re.compile(
            # "när" asks only when it opens the question or a clause of its own ("… och när?"); in
            # "Vilka var projektledare när vägledningen togs fram?" it only dates what is asked.
            r"\bhur (?:många|mycket|länge|ofta|stor|stora|lång|hög)\b|\bvilket år\b|^\W*när\b|[,–-]\s*(?:och\s+)?när\b|"
            r"\boch när\b|\bvilket datum\b|"
            r"\bantal\b|\bhur långt\b|\bsenast\b|\bvilken procent|\bhur gammal",
            re.IGNORECASE,
        ),
    ),
    ("who", re.compile(r"^\s*(?:vem|vilka aktörer|vilken (?:myndighet|aktör|organisation))\b|\bvem\b", re.IGNORECASE)),
    (
        "definition",
        re.compile(r"^\s*vad (?:är|innebär|menas|betyder|står .* för)\b|\bvad är (?:ett|en)\b", re.IGNORECASE),
    ),
    ("list", re.compile(r"^\s*(?:vilka|vad ingår|vad omfattar|nämn|lista)\b|\bvilka\b", re.IGNORECASE)),
    (
        "yesno",
        re.compile(
            r"^\s*(?:kan|får|måste|ska|skall|är|finns|behöver|går|bör|gäller|har|blir|omfattas|krävs)\b",
            re.IGNORECASE,
        ),
    ),
]


def intent(question: str) -> str:
    """The first matching intent, in order of how strongly each shapes the answer; of the first question
    when a text asks several ("Är guiden värd att läsa? Och när lanserades den?" asks yes or no first:
    the date is a later ask, answered beside it) and that one's kind shows."""
    first = each_question(question)[:1]
    if first and (kind := _kind(first[0])) != "other":
        return kind
    return _kind(question)


def _kind(question: str) -> str:
    if _STATUS.search(question):
        return "status"
    for name, pattern in _RULES:
        if pattern.search(question):
            # "Vem var samordnare, och när skulle uppdraget redovisas?": the first ask is for a name;
            # the date is a later ask, answered beside it.
            if name == "number" and _WHO_FIRST.search(question):
                return "who"
            return name
    return "other"


_WHO_FIRST = re.compile(r"^\W*vem\b", re.IGNORECASE)


_PAST_EVENT = re.compile(r"^\W*när\b|\boch när\b|\bvilket år\b|\bvilket datum\b", re.IGNORECASE)


def asks_for_a_date(question: str) -> bool:
    """A question about when something happened: its answer does not go out of date."""
    return bool(_PAST_EVENT.search(question))


# "Vem är ordförande i Miljömålsberedningen nu?"; not "nu när det finns en ny vägledning" (now that).
_NOW = re.compile(r"\b(?:nu(?!\s+när)|idag|i dag|just nu|för närvarande|numera|nuvarande|i nuläget)\b", re.IGNORECASE)


def asks_about_now(question: str) -> bool:
    """A question about what holds today: the newest source tells it."""
    return bool(_NOW.search(question))


# "Vad föreslog Miljömålsberedningen 2025?": a past-tense verb and the year it happened in, not a year
# that names something ("Agenda 2030", "SOU 2019:13"), a period ("2022–2025") or a target ("till 2030").
_PAST_VERB = (
    r"(?:föreslog|föreslogs|beslutade|beslutades|beslöt|antog|antogs|presenterade|presenterades|lämnade|"
    r"lämnades|hände|skrev|skrevs|gav|gavs|fick|infördes|genomfördes|publicerades|startade|undertecknades|"
    r"tecknades|lanserades|överlämnade|överlämnades|redovisade|redovisades|tillsatte|tillsattes|ändrades|"
    r"förnyades|valde|valdes)"
)
_EVENT_YEAR = re.compile(
    rf"\b{_PAST_VERB}\b(?:\s+[\wåäöÅÄÖ:-]+){{0,6}}?\s+(?:(?:i|under|år)\s+)?(?:\w+\s+)?((?:19|20)\d{{2}})\b(?![–:-])",
    re.IGNORECASE,
)
# Before the year, a word it qualifies ("till 2030", "SOU 2019:13"); a year still to come ("Vad hände
# med Klimatfärdplan 2050?") names something too.
_NOT_EVENT = re.compile(r"(?:agenda|sou|ds|prop\.|för|till|från|mot)\s+(?:\w+\s+)?$", re.IGNORECASE)


def event_year(question: str) -> int | None:
    """The year a question says something happened in ("Vad föreslog X 2025?"): no text from an
    earlier year can report it, whatever it says about that year as a target."""
    for match in _EVENT_YEAR.finditer(question):
        year = int(match.group(1))
        if not _NOT_EVENT.search(question[: match.start(1)]) and year <= date.today().year:
            return year
    return None


def wants_list(kind: str) -> bool:
    return kind in ("steps", "examples", "list")


# An ask begins where a match ends: at a question word after "och" or a comma, or at a yes/no
# question after a question ("Vad betyder det? Och finns det något vi bör tänka på …").
_SECOND_ASK = re.compile(
    # "… och ungefär när på året": an adverb may stand before the question word.
    r"(?:\boch|\bsamt|[,;?])\s+(?:(?:till|från|i|under|för|med|av) )?(?:(?:ungefär|cirka|exakt) )?"
    r"(?=(?:vad|hur|vilka|vilken|vilket|när|var|vem|varför)\b)"
    r"|\?\s+(?:och\s+)?(?=(?:finns|fanns|har|hade|kan|ska|bör|går|gick|är|blir)\s+(?:det|de|vi|man)\b)",
    re.IGNORECASE,
)


def asks_more_than_one(question: str) -> bool:
    """ "Vilka områden har Säffle valt och vad kostar det?": two asks, so one the documents do not
    answer leaves the other to answer."""
    return bool(_SECOND_ASK.search(question))


def later_asks(question: str) -> list[str]:
    """The asks after the first, each from its question word to the next ask ("Vem genomförde
    satsningen och när skulle den rapporteras?" → ["när skulle den rapporteras?"])."""
    matches = list(_SECOND_ASK.finditer(question))
    # A "?" ending the ask stays; an "och" opening the next one does not.
    ends = [m.start() + (m.group().startswith("?")) for m in matches[1:]] + [len(question)]
    return [question[m.end() : end].strip(" ,;") for m, end in zip(matches, ends[: len(matches)], strict=True)]


def first_ask(question: str) -> str | None:
    """The first of several asks, up to the second ("Vad förväntas vi göra, och vad lovar
    länsstyrelsen i gengäld?" → "Vad förväntas vi göra?"): the documents may answer it alone."""
    match = _SECOND_ASK.search(question)
    return f"{question[: match.start()].rstrip(' ,;?')}?" if match else None


# The lead never crosses a question word: in "Sammanfatta kort vad samordnaren kom fram
# till, och om något föreslogs …" the topic is what follows "Sammanfatta kort", not the "om" of the
# second ask.
_ASKING_WORD = r"(?:vad|hur|vilka|vilken|vilket|varför|när|vem)\b"
_TASK_LEAD = re.compile(
    rf"^(?:(?!\b{_ASKING_WORD})[^;?])*?"
    r"\b(?:om|kring|angående|gällande|till stöd för|"
    r"(?:som )?(?:förklarar|beskriver|visar|tar upp|sammanfattar))\s+(?:att\s+)?"
    rf"|^(?:sammanfatta|beskriv|förklara|berätta)(?:\s+(?:kort|kortfattat|gärna))?\s+(?={_ASKING_WORD})",
    re.IGNORECASE,
)


def task_topic(question: str) -> str:
    """What a task is about ("Skriv ett utkast om att vi går med i …" → "vi går med i …"): the part
    to search for and to judge the evidence on; the whole question when no topic is marked. The
    sentences around the task stay: "Jag ska presentera RUS vägledning … Kan du skriva ett underlag om
    vem som tagit fram den …" says what "den" is."""
    sentences, at, topic = _task_parts(question)
    if not topic:
        return question
    return " ".join([*sentences[:at], topic, *sentences[at + 1 :]])


def task_focus(question: str) -> str:
    """What a task's quotes are chosen for: its own topic and what follows, unless it refers to the
    sentences before it. "Jag ska ha en dragning för kommunstyrelsen … Kan du skriva ett underlag om vad kommunen
    förbinder sig att göra …" is searched for with the occasion, but answered on the commitments."""
    sentences, at, topic = _task_parts(question)
    # What follows the task is more of it ("Ta gärna med någon siffra …"); what precedes it, the occasion.
    return " ".join([topic, *sentences[at + 1 :]]) if topic and not _REFERS.search(topic) else task_topic(question)


def _task_parts(question: str) -> tuple[list[str], int, str]:
    """The question's sentences, which one is the task, and that one's topic ("" when none is marked)."""
    sentences = _SENTENCE_END.split(question.strip())
    at = next((i for i, s in enumerate(sentences) if _RULES[0][1].search(s)), 0)
    topic = _TASK_LEAD.sub("", sentences[at], count=1).strip()
    return sentences, at, topic if len(topic) >= 8 and topic != sentences[at] else ""


_REFERS = re.compile(r"\b(?:den|det|dem|dess|denna|detta|dessa|deras)\b", re.IGNORECASE)


COUNT_WORD = r"(?:\d+|två|tre|fyra|fem|sex|sju|åtta|nio|tio)"
# An adjective before a counted thing ("sex tematiska fokusområden", "fyra prioriterade områden").
ADJECTIVE = r"\w+(?:iska|ska|iga|liga|ella|ade|ande|aste)\s+"
NUMERALS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
}  # fmt: skip


def count_of(word: str) -> int:
    """The number a count word stands for ("7", "sju")."""
    return int(word) if word.isdigit() else NUMERALS[word.lower()]


_ASKED_FOR = re.compile(
    # "Lista de …" asks; "en lista till …" is the noun.
    rf"(?<!\ben )\b(?:vilka|vilken|vilket|hur många|nämn|lista)\s+"
    # "Hur många av Miljömålsberedningens 102 förslag …" asks for a number of "förslag".
    rf"(?:de\s+|olika\s+|\w+a\s+|{COUNT_WORD}\s+|av\s+(?:de\s+|dessa\s+)?(?:\w+s\s+)?(?:{COUNT_WORD}\s+)?)?(\w{{4,}})",
    re.IGNORECASE,
)


# "Vilka skrev under …" asks who did something; the word after "vilka" is then a verb, not a thing.
_VERBS = {
    "skrev", "skriver", "valde", "väljer", "gjorde", "fick", "hade", "finns", "fanns", "gäller", "gällde", "ingår",
    "ingick", "deltog", "deltar", "ledde", "leder", "står", "stod", "ansvarar", "arbetar", "jobbar", "började",
    "startade", "bidrog", "bidrar", "kommer", "tillhör", "samverkar", "omfattas", "berörs", "presenterade",
}  # fmt: skip


def asked_for(question: str) -> str:
    """The kind of thing a "vilka …" question asks for ("Vilka åtgärdsområden kan …" → "åtgärdsområden"):
    what the heading of the list that answers it names. Empty when the question does not say."""
    match = _ASKED_FOR.search(question)
    return match.group(1) if match and match.group(1).lower() not in _VERBS else ""


_DEFINED = re.compile(
    # "Vad är egentligen ett etappmål?": the adverb is how it is asked.
    r"^\W*vad (?:är|var|innebär|betyder|menas med|avses med|står)\s+(?:(?:egentligen|alltså|då|exakt)\s+)?"
    r"(?:en\s+|ett\s+)?([\wåäöÅÄÖéÉ-]{3,})",
    re.IGNORECASE,
)


_NAMING_HEADS = {
    "miljökvalitetsmålet", "miljömålet", "målet", "etappmålet", "begreppet", "ordet", "uttrycket", "termen",
    "förkortningen", "strategin", "programmet",
}  # fmt: skip


# "Vad är syftet med X": what is asked about is X, not the word "syftet".
_ASPECT = re.compile(
    r"\s*(?:syftet|syfte|meningen|innebörden|betydelsen|poängen|tanken|uppgiften|rollen)\s+(?:med|av|för)\s+",
    re.IGNORECASE,
)


def defined_term(question: str) -> str:
    """What a "vad är X" question asks to have defined, by its first word ("Vad är miljöövervakning?"
    → "miljöövervakning") or, after a word that introduces a name, the name ("Säker strålmiljö");
    "Vad är syftet med X" asks about X. Empty for "Vad innebär det att …"."""
    match = _DEFINED.search(question)
    if match and (aspect := _ASPECT.match(question, match.start(1))):
        return defined_term(f"Vad är {question[aspect.end() :]}")
    word = match.group(1) if match else ""
    if word.lower() in _NAMING_HEADS:  # "Vad innebär miljökvalitetsmålet Myllrande våtmarker?": the name
        return question[match.end() :].strip(" ?.!")
    return "" if word.lower() in ("det", "att", "man", "som", "den", "de") else word


# "Vad står det i planen om solceller?", "Vad säger vägledningen om medborgardialog?": the topic asked
# about comes last, after "om".
_SAYS_ABOUT = re.compile(
    r"\b(?:säger|sägs|står|skriver|skrivs|nämns|nämner|berättar|beskriver|beskrivs|finns)\b.*?\bom\s+"
    r"(?!att\b|hur\b|vad\b|vilka\b|det\b)([^?!.,;]+?)\s*[?!.]*\s*$",
    re.IGNORECASE,
)


def asked_topic(question: str) -> str:
    """What a "what do the documents say about Y" question asks about (Y); empty for other questions."""
    match = _SAYS_ABOUT.search(question)
    return match.group(1).strip() if match and len(match.group(1).split()) <= 5 else ""


# "Vad är skillnaden mellan preciseringar och etappmål?", "Hur skiljer sig X från Y?", "Jag blandar ihop X
# och Y – vad är skillnaden?": two things, each a short name; not one that refers back ("… och de som
# gäller 2022–2025").
_COMPARED = re.compile(
    r"\bskillnad(?:en|erna)?\s+(?:mellan|på)\s+(.+?)\s+och\s+(.+)$|"
    # "Jämför X med Y." (a sentence of its own, a question may follow)
    r"^\W*jämför\s+(.+?)\s+med\s+(.+?)(?:[.!?](?:\s|$)|$)|"
    rf"\b{DIFFERS}\s+sig\s+(.+?)\s+(?:från|mot)\s+(.+)$|"
    r"\b(?:blandar\s+(?:\w+\s+)?ihop|förväxlar|håller\s+isär|skilja\s+(?:på|mellan))\s+(.+?)\s+och\s+(.+?)\s*(?:[–,;:?.!-]\s|[?.!]*$)",
    re.IGNORECASE,
)
_COMPARED_END = re.compile(r"(?:\s+(?:egentligen|i praktiken|åt))?\s*[?.!]*\s*$", re.IGNORECASE)
_REFERS_BACK = re.compile(r"^(?:de|den|det|dem|dess|deras|denna|detta|dessa)\b", re.IGNORECASE)


def compared_sides(question: str) -> tuple[str, str] | None:
    """The two sides a question compares, as it words them ("uppdraget till delegationen 2016", "det
    till samordnaren som tillsattes 2020")."""
    end = _COMPARED_END.search(question)
    match = _COMPARED.search(question[: end.start() if end else len(question)])
    if match is None:
        return None
    first, second = (g.strip(" ,") for g in match.groups() if g is not None)
    return first, second


def compared(question: str) -> tuple[str, str] | None:
    """The two things a question asks the difference between, when each is a name of at most four
    words ("preciseringar", "etappmål")."""
    sides = compared_sides(question)
    if sides is None:
        return None
    first, second = sides
    second = re.split(r"\s+(?:i|inom)\s+", second, maxsplit=1)[0]  # "… och etappmål i miljömålssystemet": both
    terms = (re.sub(r"^(?:en|ett)\s+", "", first), re.sub(r"^(?:en|ett)\s+", "", second))
    if any(not t or len(t.split()) > 4 or _REFERS_BACK.match(t) for t in terms):
        return None
    return terms


# "… både Hagfors och Säffle …", "Karlstad respektive Kil": names the question asks about each of (not
# the question's capitalised first word).
_JOINED_NAMES = re.compile(r"(?<=\s)([A-ZÅÄÖ][\wåäö-]+)\s+(?:och|samt|respektive|eller)\s+([A-ZÅÄÖ][\wåäö-]+)")


def joined_names(question: str) -> list[str]:
    """The names a question joins with "och" or "respektive", in order."""
    return list(dict.fromkeys(name for pair in _JOINED_NAMES.findall(question) for name in pair))


def for_each_name(question: str) -> dict[str, str]:
    """The question asked of each joined name alone ("… både Hagfors och Säffle valt?" → Säffle: "… både
    Säffle valt?"), to search for each."""
    match = _JOINED_NAMES.search(question)
    if match is None:
        return {}
    return {name: f"{question[: match.start()]}{name}{question[match.end() :]}" for name in match.groups()}


# Where a sentence ends, or a lead-in before a question ("… för politikerna: hur stor andel …?"). After
# a question mark the next may start in lower case ("vad är ett etappmål? och hur många …?"); after a
# point it must not ("prop. 2004/05:150").
_SENTENCE_END = re.compile(
    r"(?<=[.!])\s+(?=[A-ZÅÄÖ])|(?<=\?)\s+(?=\w)|:\s+(?=(?:vad|hur|vilka|vilken|vilket|när|var|vem|varför|finns|kan)\b)"
)


# "Jag ska förklara för våra politiker hur uppföljningen går till." asks how it goes, though it tells.
_TOLD_ASK = re.compile(
    r"\b(?:förklara|beskriva|berätta|veta|förstå|ta reda på|reda ut|redogöra för|frågade|frågar|undrade|undrar)\b"
    r"(?:\s+[\w-]+){0,4}?"
    r"\s+((?:hur|vad|varför|vilka|vilken|vilket|när|vem)\b[^.!?:;]{12,})",
    re.IGNORECASE,
)


def told_asks(question: str) -> list[str]:
    """The questions a question's telling sentences hold ("Jag ska förklara för politikerna hur
    uppföljningen går till under ett år." → "Hur uppföljningen går till under ett år?"): the asking
    sentence may only refer to them ("Vilka steg finns det?")."""
    told = [s for s in _SENTENCE_END.split(question.strip()) if not s.endswith("?")]
    return [f"{m[0].upper()}{m[1:].strip()}?" for s in told for m in _TOLD_ASK.findall(s)]


def asked_part(question: str) -> str:
    """The sentences that ask, when a question also tells about the asker ("Vad menas med kompletterande
    åtgärder? Vi behöver förklara begreppet för politikerna." → its first sentence; "Jag vill ha en siffra
    till politikerna: hur stor andel …?" → the part after the colon); else the whole."""
    sentences = _SENTENCE_END.split(question.strip())
    # An abbreviation's point ("prop. 2004/05:150", "t.ex. Hagfors?") splits off a piece; a question of two
    # words ("Stämmer det?") is a sentence.
    if any(len(s.split()) < 3 and not (len(s.split()) == 2 and s.endswith("?")) for s in sentences):
        return question
    asking = [s for s in sentences if s.endswith("?")]
    return " ".join(asking) if asking and len(asking) < len(sentences) else question


def each_question(question: str) -> list[str]:
    """The questions of a text that asks more than one ("Hur ser årshjulet ut …? Vem lämnar vad, och
    när?" → both): the documents may answer one of them only, which is then answered."""
    asking = [s for s in _SENTENCE_END.split(question.strip()) if s.endswith("?") and len(s.split()) >= 3]
    return asking if len(asking) > 1 else []
