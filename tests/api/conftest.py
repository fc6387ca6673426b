from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings
from tests.api.sample import ADMIN_TOKEN, ingested_settings


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    """One ingested home per test module (ingesting is the slow part)."""
    return ingested_settings(tmp_path_factory.mktemp("api"), admin_token=ADMIN_TOKEN)


@pytest.fixture(scope="module")
def client(settings: Settings):
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def admin() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
