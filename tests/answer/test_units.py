from assistant.answer.units import split_units

TEXT = """Uppföljning

Kommunen följer t.ex. upp målen årligen. Resultatet redovisas i kap. 3 för nämnden (dir. 2010:74).

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
        ("sentence", "Resultatet redovisas i kap. 3 för nämnden (dir. 2010:74)."),
        ("list", "Hagfors har valt följande områden:"),
        ("list", "De sju åtgärdsområdena"),
        ("heading", "Hur jobbar vi?"),
        ("sentence", "Arbetsgrupper startade våren 2022."),
    ]
    assert units[3].text.endswith("- Kommunal vattenplanering")
    assert units[1].context == "Uppföljning" and units[-1].context == "Hur jobbar vi?"


def test_web_lines_split_at_headings_and_link_lines_are_never_sentences():
    text = (
        "Efter beslut\nBeslutet skickas till ambassaden. Ta med ditt pass.\n"
        "Läs mer om uppehållstillstånd\nLäs mer om visum\nViktigt om försäkring\nDu kan behöva betala själv."
    )
    units = split_units(text)
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "Efter beslut"),
        ("sentence", "Beslutet skickas till ambassaden."),
        ("sentence", "Ta med ditt pass."),
        ("link", "Läs mer om uppehållstillstånd\nLäs mer om visum"),
        ("heading", "Viktigt om försäkring"),
        ("sentence", "Du kan behöva betala själv."),
    ]
    assert units[-1].context == "Viktigt om försäkring"
    assert all(text[u.start : u.end] == u.text for u in units)


def test_reference_lists_with_web_addresses_are_links_not_answers():
    text = "Källor\n\n- Sveriges miljömål: https://www.sverigesmiljomal.se/\n- Prop. 2009/10:155: https://www.regeringen.se/"
    assert [u.kind for u in split_units(text)] == ["heading", "link"]


def test_a_web_address_inside_running_text_is_content():
    # A commission's tasks: the item that names the site it is to build belongs to the list.
    text = (
        "Rådet ska inte längre publicera en åtgärdslista på webbplatsen www.hallbarstad.se. Rådet ska ge råd.\n\n"
        "Rådet ska utöver detta:\n\n- skapa förutsättningar för samarbete,\n"
        "- utveckla webbplatsen www.hallbarstad.se till en plattform för information, och\n- stödja kommuner."
    )
    units = split_units(text)
    assert [u.kind for u in units] == ["sentence", "sentence", "list"]
    assert units[0].text.endswith("www.hallbarstad.se.")
    assert units[2].text.startswith("Rådet ska utöver detta:") and units[2].text.endswith("- stödja kommuner.")


def test_a_short_line_after_a_colon_is_what_it_announces_not_a_heading():
    text = "Från kommandoraden\n\nKör kommandot med sökvägen, till exempel:\n\nkommunstod ingest fil.pdf\n\nUpprepa."
    units = split_units(text)
    # One unit with the sentence announcing it: the command is never quoted without what to do with it.
    command = next(u for u in units if u.text.endswith("kommunstod ingest fil.pdf"))
    assert command.text == "Kör kommandot med sökvägen, till exempel:\n\nkommunstod ingest fil.pdf"
    assert command.kind == "sentence" and command.context == "Från kommandoraden"
    assert [u.kind for u in units] == ["heading", "sentence", "sentence"]


def test_a_sentence_pointing_to_a_link_is_not_quoted():
    from assistant.answer.units import split_units

    text = "Varje år görs en uppföljning. Vad som gjorts hittar du via länken nedan. Målet nås inte."
    assert [u.kind for u in split_units(text)] == ["sentence", "link", "sentence"]


def test_a_table_announced_by_a_sentence_is_a_list_with_it_whole():
    text = (
        "Regeringen ger myndigheterna ett uppdrag.\n\nUppdraget går till följande fem myndigheter:\n\n"
        "Boverket | Livsmedelsverket\nSida | Trafikverket\nSkogsstyrelsen\n\nSenast den 1 mars ska de redovisa."
    )
    units = split_units(text)
    assert [(u.kind, u.text.split("\n")[0]) for u in units] == [
        ("sentence", "Regeringen ger myndigheterna ett uppdrag."),
        ("list", "Uppdraget går till följande fem myndigheter:"),
        ("sentence", "Senast den 1 mars ska de redovisa."),
    ]
    assert units[1].text.endswith("Skogsstyrelsen")  # the last row of one cell belongs to the table


def test_a_list_of_one_item_is_a_list_under_its_heading():
    text = "Nu har ministern beslutat om nya ledamöter.\n\nOrdförande\n\n- Christofer Fjellner"
    units = split_units(text)
    assert [(u.kind, u.context) for u in units][-1] == ("list", "Ordförande")
    assert units[-1].text.endswith("- Christofer Fjellner")
