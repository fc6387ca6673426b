from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.settings import load_settings


def test_environment_beats_profile_and_overrides_beat_both(tmp_path, monkeypatch):
    profile = tmp_path / "server.yaml"
    profile.write_text("chroma: http://127.0.0.1:8001\ntop_k: 8\nchunk_size: 1200\n", encoding="utf-8")
    monkeypatch.setenv("KOMMUNSTOD_PROFILES", str(profile))
    monkeypatch.setenv("KOMMUNSTOD_TOP_K", "3")
    settings = load_settings(home=tmp_path / "home", chunk_size=None)
    assert settings.chroma == "http://127.0.0.1:8001" and settings.chunk_size == 1200
    assert settings.top_k == 3  # the environment wins over the profile
    assert settings.home == tmp_path / "home"
    assert settings.chunking_id == "structure:1200:150"


def test_a_missing_profile_and_bad_values_are_clear_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNSTOD_PROFILES", "finns-inte")
    with pytest.raises(ValueError, match="profiles/finns-inte.yaml does not exist"):
        load_settings()
    monkeypatch.delenv("KOMMUNSTOD_PROFILES")
    monkeypatch.setenv("KOMMUNSTOD_CHROMA", "localhost:8000")
    with pytest.raises(ValidationError, match="http"):
        load_settings()


def test_the_server_profile_the_readme_names_loads(monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KOMMUNSTOD_PROFILES", "server")
    settings = load_settings()
    assert settings.chroma == "http://127.0.0.1:8001" and not settings.admin_token
