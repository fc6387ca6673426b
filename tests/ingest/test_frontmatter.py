"""Front matter: the block ends at the next line that is exactly '---', parsed as YAML."""

from __future__ import annotations

import pytest

from ingest.frontmatter import parse_front_matter, split_front_matter
from ingest.model import LoadError

URL = "https://www.regeringen.se/rapporter/2021/06/2021---sveriges-genomforande-av-agenda-2030-for-hallbar-utveckling/"


def test_value_containing_three_dashes() -> None:
    text = f'---\ntitle: "2021 - Sverige"\nsource_url: "{URL}"\nbare_url: {URL}\n---\n\n# Rubrik\n'
    meta, body = parse_front_matter(text)
    assert meta["source_url"] == URL
    assert meta["bare_url"] == URL  # unquoted too
    assert meta["title"] == "2021 - Sverige"
    assert body == "\n# Rubrik\n"


def test_closing_fence_must_be_the_whole_line() -> None:
    raw, body = split_front_matter("---\na: 1\nb: x --- y\n---\ntext --- more\n")
    assert raw == "a: 1\nb: x --- y"
    assert body == "text --- more\n"


def test_no_front_matter() -> None:
    text = "# Rubrik\n\n---\n\nText efter en linje.\n"
    assert parse_front_matter(text) == ({}, text)
    assert split_front_matter("text\n---\nmer\n---\n") == (None, "text\n---\nmer\n---\n")


def test_empty_front_matter() -> None:
    assert parse_front_matter("---\n---\nText.\n") == ({}, "Text.\n")


def test_broken_yaml() -> None:
    with pytest.raises(LoadError, match="front matter is not valid YAML"):
        parse_front_matter('---\ntitle: "Oavslutad\npublisher: [x\n---\nText.\n')


def test_front_matter_that_is_not_a_mapping() -> None:
    with pytest.raises(LoadError, match="must be a YAML mapping.*list"):
        parse_front_matter("---\n- a\n- b\n---\nText.\n")


def test_unclosed_front_matter() -> None:
    with pytest.raises(LoadError, match="never closed"):
        parse_front_matter("---\ntitle: Rubrik\n\nText utan slut.\n")


def test_types_become_strings_for_document_fields() -> None:
    meta, _ = parse_front_matter(
        "---\n"
        "published: 2022-06-10\n"
        "region: 17\n"
        "title: '  Två   mellanslag  '\n"
        "publisher: [Länsstyrelsen Värmland, Region Värmland]\n"
        "pages: 12\n"
        "reviewed: 2023-01-02\n"
        "draft: false\n"
        "tags: [a, b]\n"
        "contact: {name: Anna}\n"
        "municipality:\n"
        "---\n"
    )
    assert meta == {
        "published": "2022-06-10",
        "region": "17",
        "title": "Två mellanslag",
        "publisher": "Länsstyrelsen Värmland, Region Värmland",
        "pages": 12,
        "reviewed": "2023-01-02",
        "draft": False,
    }


def test_mapping_for_a_document_field_is_an_error() -> None:
    with pytest.raises(LoadError, match="'title' must be a single value"):
        parse_front_matter("---\ntitle: {sv: Rubrik}\n---\n")
