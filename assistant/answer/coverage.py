"""Does what was retrieved cover what the question asks about? Evidence for refusing, and the
question's terms that no passage mentions (for saying which part the documents do not cover).

The refusal model (refusal_model.json) is fitted on the fit side of ../shared/swequad-dev by
`python -m assistant.fit_models`: each question once with its gold documents (answerable)
and once with them removed from the candidates (unanswerable from what is left).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from wordfreq import zipf_frequency

from assistant.domain import Candidate
from assistant.retrieval.linear import LinearModel
from assistant.retrieval.rerank import passage_features
from assistant.retrieval.scoring import content_stems
from assistant.retrieval.terms import TermWeights
from ingest.chunk import embedding_text
from ingest.swedish import expand_elisions

REFUSAL_MODEL = Path(__file__).with_name("refusal_model.json")
_WORD = re.compile(r"[\wåäöÅÄÖéÉ-]+")
# Words that say how a question is asked, not what it is about; never reported as uncovered.
_ASKING = {
    "räkna", "räknar", "förvänta", "förväntas", "vänta", "berätta", "beskriv", "förklara", "sammanfatta",
    "skriv", "skriva", "utkast", "hjälp", "hjälpa", "veta", "egentligen", "ungefär", "exempel", "gäller",
    "idag", "dag", "just", "nu", "själva", "vår", "våra", "vårt", "oss", "jag", "mig", "kort", "kortfattat",
    "igång", "tillväga", "skiljer", "skillnad", "skillnaden", "skillnader", "skillnaderna", "jämför", "jämfört",
    "jämförelse", "likheter",
    "olika", "perioden", "ofta", "gentemot", "dokument", "dokumenten", "dokumentet", "säger", "står", "handlar",
    "skriver", "beskriver", "nämns", "nämner", "gå", "går", "göra", "gör", "görs", "ta", "fram", "sätt",
    "viktigt", "viktiga", "många", "mycket", "länge", "stor", "stora", "ge", "ange", "lärande", "kommuner",
    "kommunerna", "kommun", "fungerar", "fungera", "funkar", "tycker", "tycka", "anser", "ser", "består",
    "bestå", "fanns", "kräver", "krävs", "tillkom", "upplagd", "uppbyggd", "hände", "hänt", "händer", "beställt",
    "förra", "egna", "eget", "egen", "sättet", "dålig", "dåligt", "bra", "bäst", "största", "störst", "idé",
    "fått", "fick", "ny", "nya", "nytt", "gamla", "bör", "borde", "måste", "vill", "kunna", "läsa", "läser",
    "menas", "heter", "kallas", "vems", "datum", "klart", "utom", "kommer", "valt", "valde", "välja", "väljer",
    "gjort", "få", "får", "tänka", "tänker", "tagit", "gett", "hitta", "hittar", "hittat", "behöva", "behöver",
    "lyckas", "lyckats",
    "förkortning", "förkortningen", "betyder", "innebär", "utöver", "förutom", "bortsett", "också", "även", "endast",
    "enbart", "bort", "varifrån", "varav", "hurdan", "hurdant", "upplagda", "uppbyggda",
    "siffra", "siffran", "siffror", "siffrorna", "argument", "argumentet",
    "pengar", "avsatt", "avsatts", "avsätter", "avsätta",
    "rent", "praktiskt", "praktiken", "konkret", "konkreta",  # "Hur går det till rent praktiskt …"
}  # fmt: skip


@cache
def _asking_stems() -> frozenset[str]:
    return frozenset(s for w in _ASKING for s in content_stems(w))


def focus_stems(question: str) -> frozenset[str]:
    """The question's content stems without the words that only say how it is asked: what an
    answer has to be about."""
    return content_stems(question) - _asking_stems()


def found(stem: str, stems: set[str]) -> bool:
    """Exact; an inflection or a longer compound sharing most of the word ("åtagit" finds "åtagande",
    "miljööverenskomm" finds "miljööverenskommelsen"); or the head of the compound ("anpassning" for
    "klimatanpassning"). A shared first part is not enough: "klimat" does not cover
    "klimatanpassning", nor "klimatfond" "klimatkliv" (four letters are a compound's second part)."""
    if stem in stems:
        return True
    if len(stem) < 6:
        return False
    prefix = stem[: 4 if len(stem) == 6 else max(5, len(stem) - 3)]
    return any(s.startswith(prefix) or (len(s) >= 5 and stem.endswith(s)) for s in stems)


def mentioned_share(
    stems: frozenset[str] | set[str], seen: str | frozenset[str] | set[str], terms: TermWeights
) -> float:
    """The IDF-weighted share of the stems a text (or its stems) mentions (`found`): "Överenskommelserna
    är Länsstyrelsen Värmlands egna" mentions all of "Värmlands miljööverenskommelser"."""
    seen = content_stems(seen) if isinstance(seen, str) else seen
    total = sum(terms.idf(s) for s in stems) or 1.0
    return 1.0 - sum(terms.idf(s) for s in stems if not found(s, seen)) / total if stems else 0.0


def named_after(term: str, title: str) -> bool:
    """The title is about the term: it opens with it and names all of it ("Cirkulär ekonomi – strategi
    för omställningen" for "cirkulär ekonomi"; not "Uppdrag att främja … cirkulär ekonomi")."""
    words, head = term.split(), title.split()
    if not words or not head:
        return False
    stems = content_stems(title)
    return all(found(s, stems) for s in content_stems(term)) and any(
        found(s, content_stems(head[0])) for s in content_stems(words[0])
    )


def names_title(question: str, title: str) -> bool:
    """The question names the title word for word, as a name: capitalised as the title is ("Vad innebär
    miljökvalitetsmålet Giftfri miljö?" names the page "Giftfri miljö"; "strategin för en giftfri miljö"
    does not), and the title is more than one word ("Ingen övergödning" is; "Naturvårdsverket" names many pages)."""
    words = re.findall(r"\w+", title)
    if len(words) < 2 or not content_stems(title):
        return False
    match = re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", question, re.IGNORECASE)
    return bool(match) and match.group(0)[0] == words[0][0]


def title_share(text: str, title: str) -> float:
    """How much of a title's words the text names: "etappmålet … i det klimatpolitiska ramverket" names
    all of "Det klimatpolitiska ramverket" (1.0), and half of "… uppdaterat etappmål till 2030". A title
    word is named as the head of a compound too: "klimatramverket" names "ramverket"."""
    stems, named = content_stems(title), content_stems(text)

    def head_of(stem: str) -> bool:
        return len(stem) >= 5 and any(len(n) > len(stem) and n.endswith(stem) for n in named)

    return sum(found(s, named) or head_of(s) for s in stems) / len(stems) if stems else 0.0


def titled(question: str, passages: list[Candidate], terms: TermWeights) -> bool:
    """A passage's document is titled with one of the question's two rarest terms ("COP16 enades om …"
    for "Vad kom länderna överens om på COP16?"): the question is about that document, however loosely
    its sentences resemble the question."""
    rarest = sorted(sorted(focus_stems(question)), key=terms.idf, reverse=True)[:2]
    titles = [content_stems(str(c.doc.metadata.get("title", ""))) for c in passages]
    return any(found(s, title) for s in rarest for title in titles)


def mentioned(passages: list[Candidate]) -> set[str]:
    """The stems the passages mention, elided compounds spelt out ("miljö- och hållbarhetsprogram"
    mentions "miljöprogram")."""
    seen: set[str] = set()
    for cand in passages:
        seen |= content_stems(expand_elisions(embedding_text(cand.doc)))
    return seen


# A question word a verb follows wherever the ask starts ("… och hur motiverade de det?"); not "vilka".
_VERB_FOLLOWS = {"hur", "vad", "vem", "när", "varför"}
_QUESTION_WORDS = {"vad", "vem", "vilka", "vilken", "vilket", "hur", "när", "var", "varför", "vart", "vems"}


def evidence_features(
    question: str, passages: list[Candidate], terms: TermWeights, passage_model: LinearModel
) -> dict[str, float]:
    """Passage-level evidence: the fitted passage model's best score and the best cosine among the
    passages (dense filled), and how much of the question's IDF-weighted terms they mention at all.
    The passage model is applied here whatever reranker ordered the passages, so the evidence means
    the same under every configuration."""
    stems = focus_stems(question)
    seen = mentioned(passages)
    missing = [s for s in stems if not found(s, seen)]
    logits = [passage_model.logit(r) for r in passage_features(question, passages, terms)] if passages else [-10.0]
    return {
        "top_score": max(logits),
        "top_dense": max((c.dense or 0.0) for c in passages) if passages else 0.0,
        "covered": mentioned_share(stems, seen, terms),
        # sorted: a set's order follows the process's hash seed, and a tie must go the same way in every one
        "rarest_covered": 0.0 if stems and max(sorted(stems), key=terms.idf) in missing else 1.0,
        "max_missing_idf": max((terms.idf(s) for s in missing), default=0.0) / (terms.unknown or 1.0),
    }


def _verb_found(stem: str, seen: set[str] | frozenset[str]) -> bool:
    """A noun made of a verb is named by the verb: "minskning" by "minska", "förbättring" by "förbättra"."""
    base = stem[:-4] if stem.endswith("ning") else stem[:-3] if stem.endswith("ing") else ""
    return len(base) >= 4 and base in seen


# "… påverkar vägsaltet grundvattnet överhuvudtaget?", "… den ordagranna lydelsen": how sure or how exact
# the asker wants the answer, no topic (kept out of `_ASKING`, which the refusal model's features use).
_HOW_SURE = {"överhuvudtaget", "ordagrant", "ordagrann", "ordagranna", "exakt", "exakta", "säkert"}


def uncovered_words(question: str, passages: list[Candidate], terms: TermWeights) -> list[str]:
    """The question's words, as it spells them, that no retrieved passage mentions and no chunk of the
    store has either ("Dokumenten säger inget om …" must be true of all of them): a topic the
    documents never touch, not a verb that they happen to phrase otherwise. A document's year is
    mentioned by it: a bill from 2005 need not say "2005"."""
    seen = mentioned(passages) | {str(c.doc.metadata["year"]) for c in passages if c.doc.metadata.get("year")}
    out: list[str] = []
    words = _WORD.findall(question)
    # Swedish puts the verb right after the question word ("Vem ansvarar för …", "Vad kostar …"), or
    # after the question word and its noun ("Vilka steg ingår …", "Hur många kommuner deltar …"):
    # that verb is how the question is asked, not a topic.
    head = " ".join(w.lower() for w in words[:2])
    verbs = {1} if words and words[0].lower() in _QUESTION_WORDS else set()
    if head.split(" ")[0] in ("vilka", "vilken", "vilket"):
        verbs.add(2)
    elif head in ("hur många", "hur mycket"):
        verbs.add(3)
    for i, word in enumerate(words):
        stems = content_stems(word)
        if (
            not stems
            or word.lower() in _ASKING | MODALS | _HOW_SURE
            or i in verbs
            or (i > 0 and words[i - 1].lower() in _VERB_FOLLOWS)
            or _supine(words, i)
            or _infinitive(words, i)
            or _reflexive(words, i)
            or _before_particle(words, i)
            or everyday(word)
        ):
            continue
        stem = next(iter(stems))
        if (
            not found(stem, seen)
            and not _parts_found(stem, seen)
            and not _generic_head(word, seen)
            and not _verb_found(stem, seen)
            and not _place_adjective(stem, seen)
            and not terms.df.get(stem)
            and not _inflects_known(word, terms)
            and word not in out
        ):
            out.append(word)
    return out


def _parts_found(stem: str, seen: set[str]) -> bool:
    """Both parts of a compound are mentioned ("åtgärdsplan": "åtgärder" and "plan"), each of four
    letters or more, joined directly or by the linking "s". The first part may be mentioned as a word
    whose stem is shorter: "inrikesflyget" is "inrikes flyg", stemmed "inrik" and "flyg"."""
    for i in range(4, len(stem) - 3):
        left, right = stem[:i], stem[i + 1 :] if stem[i] == "s" else stem[i:]
        if (
            len(right) >= 4
            and any(s.startswith(left) or (left.startswith(s) and len(s) >= max(4, i - 2)) for s in seen)
            and any(s.startswith(right) for s in seen)
        ):
            return True
    return False


def _place_adjective(stem: str, seen: set[str]) -> bool:
    """An adjective of a place named by the place: "värmländska" by "Värmland", "norrländsk" by "Norrland"."""
    return stem.endswith("ländsk") and f"{stem[:-6]}land" in seen


def _generic_head(word: str, seen: set[str]) -> bool:
    """A compound of a mentioned topic and an everyday head ("miljözonsreglerna" where the passages say
    "miljözoner" and "miljözonsbestämmelserna"): the documents speak of that topic in other words."""
    for i in range(5, len(word) - 3):
        head = word[i:].lower()
        if everyday(head) and any(found(stem, seen) for stem in content_stems(word[:i])):
            return True
    return False


# An everyday word ("jobbar", "liten", "alltså", "städer") is how a question is put, or too general to be
# what the documents miss: at least as common as this in Swedish at large (wordfreq's Zipf scale, where
# 4.5 is about once in 30,000 words; "kostnad" 4.4, "solceller" 3.6, "pollinering" 2.3).
EVERYDAY_ZIPF = 4.5


def everyday(word: str) -> bool:
    return zipf_frequency(word.lower(), "sv") >= EVERYDAY_ZIPF


def _reflexive(words: list[str], i: int) -> bool:
    """ "… vad måste vi åta oss", "Hur kan vägledningen stötta oss": a verb, before its object pronoun."""
    return i + 1 < len(words) and words[i + 1].lower() in ("oss", "sig", "mig", "dig", "er")


_SUPINE = re.compile(r"(?:at|it|tt|ats|its|[lnr]t)$", re.IGNORECASE)


def _supine(words: list[str], i: int) -> bool:
    """ "Hur har kommunen jobbat med …", "det etappmål som gällt tidigare": the verb after "har" and its
    subject, or after "som", says how it is asked."""
    before = {w.lower() for w in words[max(0, i - 3) : i]}
    return bool(_SUPINE.search(words[i])) and bool(before & {"har", "hade", "som"})


MODALS = {"ska", "skall", "skulle", "kan", "kunde", "bör", "borde", "måste", "vill", "får", "behöver", "brukar"}
_SUBJECTS = {"vi", "jag", "man", "ni", "du", "de", "den", "det"}


def _before_particle(words: list[str], i: int) -> bool:
    """ "… som sågs över", "när de följdes upp": a verb, before the particle that makes it one."""
    return i + 1 < len(words) and words[i + 1].lower() in ("över", "upp", "ut", "fram")


# What an inflection adds to a word: "gäll|de", "följ|des", "upplägg|et".
_ENDINGS = ("ades", "des", "tes", "dde", "ade", "de", "te", "et", "en", "er", "ar", "or", "na", "s", "e", "a", "t", "n")


def _inflects_known(word: str, terms: TermWeights) -> bool:
    """The word is a word of the store with an inflection's ending ("gällde" of "gäller", "upplägget" of
    "upplägg"): the documents speak of it, in another form than the question's."""
    w = word.lower()
    return any(
        w.endswith(e)
        and len(w) - len(e) >= 3
        and any(terms.df.get(s) for s in {w[: -len(e)], *content_stems(w[: -len(e)])})
        for e in _ENDINGS
    )


def _infinitive(words: list[str], i: int) -> bool:
    """ "Vi ska börja med …", "Hur kan man arbeta med …", "… för att gynna pollinerare", "hur lång period
    skulle planen täcka": the verb after a modal and a pronoun (in either order), after a modal and its
    subject, or after "att", says what is to be done, not what about."""
    pair = {w.lower() for w in words[max(0, i - 2) : i]}
    after_subject = i >= 2 and words[i - 2].lower() in MODALS
    return (
        (i >= 1 and words[i - 1].lower() == "att") or after_subject or (bool(pair & MODALS) and bool(pair & _SUBJECTS))
    )


def unmentioned(phrase: str, texts: list[str]) -> bool:
    """No text names all of what the phrase names: "mikroplaster i dagvatten" is not covered by one
    text on microplastics at sea and another on drinking water and stormwater. A word opening a
    compound names it here ("fjällen" in "Storslagen fjällmiljö"). An everyday word of the phrase
    ("roll" in "översiktsplaneringens roll för målet") is how it is put, not what must be named,
    unless every word of it is one."""
    stems = focus_stems(phrase)
    stems = {s for w in _WORD.findall(phrase) if not everyday(w) for s in content_stems(w)} & stems or stems

    def names(text: str) -> bool:
        words = content_stems(expand_elisions(text))
        return all(found(s, words) or (len(s) >= 5 and any(w.startswith(s) for w in words)) for s in stems)

    return bool(stems) and not any(names(t) for t in texts)
