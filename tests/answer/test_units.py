from assistant.answer.units import split_units

TEXT = """Uppföljning

Kommunen följer t.ex. upp målen årligen. Resultatet redovisas i kap. 3 för nämnden.

Hagfors har valt följande områden:

- Pollinering
- Kommunal vattenplanering

De sju åtgärdsområdena

1. Giftfri vardag
2. Pollinering

Hur jobbar vi?

Arbetsgrupper startade våren 2022."""


def test_units_keep_exact_offsets_and_keep_lists_whole():
    units = split_units(TEXT)
    assert all(TEXT[u.start : u.end] == u.text for u in units)
    kinds = [(u.kind, u.text.split("\n")[0]) for u in units]
    assert kinds == [
        ("heading", "Uppföljning"),
        ("sentence", "Kommunen följer t.ex. upp målen årligen."),
        ("sentence", "Resultatet redovisas i kap. 3 för nämnden."),
        ("list", "Hagfors har valt följande områden:"),
        ("list", "De sju åtgärdsområdena"),
        ("heading", "Hur jobbar vi?"),
        ("sentence", "Arbetsgrupper startade våren 2022."),
    ]
    assert units[3].text.endswith("- Kommunal vattenplanering")
    assert units[1].context == "Uppföljning" and units[-1].context == "Hur jobbar vi?"
