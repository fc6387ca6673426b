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
    ],
)
def test_intent(question, expected):
    assert intent(question) == expected
