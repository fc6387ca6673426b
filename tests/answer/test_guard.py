"""Question checks: the names a question asks about and the places that set its scope."""

from __future__ import annotations

from assistant.answer.guard import named_places, unmatched_names


def test_a_word_opening_any_sentence_of_the_question_is_no_name():
    question = "Vad menas med kompletterande åtgärder? Vi behöver förklara det. Jag vill ha exempel."
    assert unmatched_names(question, "") == []
    assert unmatched_names("Finns det exempel från Arvika? Jag undrar.", "Hagfors och Säffle") == ["Arvika"]
    # Inflections and compounds of a name count as the name.
    assert unmatched_names("Vad har Säffles kommun valt?", "Säffle kommun valde fyra områden.") == []
    # An EU body counts without its "EU-"; another hyphenated name does not count as its last part.
    assert unmatched_names("Vad säger regeringen om EU-kommissionens förslag?", "Kommissionen föreslår") == []
    assert unmatched_names("Hur mycket ger Lona-bidraget?", "Regeringen ger bidrag") == ["Lona-bidraget"]
    # By its parts together it does; an abbreviation's compound by the abbreviation and the word anywhere.
    assert unmatched_names("Hur mycket ger Lona-bidraget?", "Lona är ett stöd. Regeringen ger bidrag.") == [
        "Lona-bidraget"
    ]
    assert unmatched_names("Hur mycket ger Lona-bidraget?", "Kommunen sökte Lona bidrag för våtmarken.") == []
    question = "Hur får jag in RUS-vägledningen som pdf i Kommunstöd?"
    assert unmatched_names(question, "RUS tog fram den. Läs in vägledningen i Kommunstöd.") == []
    assert unmatched_names(question, "Läs in vägledningen i Kommunstöd.") == ["RUS-vägledningen"]


def test_the_places_that_set_a_questions_scope():
    assert named_places("Hur mycket går till Länsstyrelsen i Värmlands län?") == ["Värmlands"]
    assert named_places("Vad gör Region Värmland för klimatet i Karlstad?") == ["Värmland", "Karlstad"]
    assert named_places("Hur arbetar man med Agenda 2030 i kommunen?") == []  # "i Agenda 2030" is no place
    assert named_places("Vilka områden har både Hagfors och Säffle valt?") == []  # names, not a scope


def test_what_the_asker_is_is_no_name_to_match():
    question = "Sammanfatta vad utredningen föreslog, med fokus på det som påverkar oss som kommun och VA-huvudman."
    assert unmatched_names(question, "Utredningen föreslår krav på reservkapacitet för kommunerna.") == []
    assert unmatched_names("Vad gäller för VA-huvudmän?", "Utredningen föreslår krav på reservkapacitet.") == [
        "VA-huvudmän"
    ]
