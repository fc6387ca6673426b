import pytest

from assistant.answer.intent import intent


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Skriv ett utkast till ett miljöprogram för vår kommun.", "task"),
        ("Kan du formulera en motivering till nämnden?", "task"),
        ("Hur går man tillväga för att ta fram ett miljöprogram?", "steps"),
        ("Ge exempel på vad kommuner har gjort för pollinering.", "examples"),
        ("Vad är skillnaden mellan guiden från 2014 och vägledningen?", "comparison"),
        ("Hur många kommuner skrev under 2022?", "number"),
        ("När undertecknades den första miljööverenskommelsen?", "number"),
        ("Vem ledde arbetet med vägledningen?", "who"),
        ("Vad är generationsmålet?", "definition"),
        ("Vilka åtgärdsområden har Hagfors valt?", "list"),
        ("Finns det stöd för att söka extern finansiering?", "yesno"),
        ("hagfors pollinering", "other"),
        ("Hur går det med miljömålet Levande skogar?", "status"),
        ("Vilka kommuner har valt pollinering?", "examples"),
    ],
)
def test_intent(question, expected):
    assert intent(question) == expected


def test_a_task_is_searched_for_what_it_is_about():
    from assistant.answer.intent import task_topic

    assert task_topic("Skriv ett utkast om att vi går med i miljööverenskommelsen.") == (
        "vi går med i miljööverenskommelsen."
    )
    assert task_topic("Skriv något.") == "Skriv något."
