from __future__ import annotations

import pytest

from assistant.api.app import create_app
from assistant.settings import Settings
from tests.api.sample import ADMIN_TOKEN, ingested_settings, running_server


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return ingested_settings(tmp_path_factory.mktemp("ui"), admin_token=ADMIN_TOKEN)


@pytest.fixture(scope="module")
def server(settings: Settings):
    """The whole app (API and UI) on a real uvicorn server; yields its base URL."""
    app = create_app(settings)
    with running_server(app) as url:
        yield url
