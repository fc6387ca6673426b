"""The web app: REST and OpenAI-compatible APIs, with the Gradio UI mounted at "/"."""

from __future__ import annotations

from fastapi import FastAPI

from assistant.api import ask, docs, documents, feedback, health, openai_compat, search
from assistant.api.errors import install_error_handlers
from assistant.api.middleware import install_middleware
from assistant.feedback import FeedbackStore
from assistant.service import VERSION, AssistantService
from assistant.settings import Settings, load_settings
from assistant.throttle import FailureThrottle
from assistant.ui import mount_ui

ROUTERS = [ask.router, search.router, documents.router, feedback.router, health.router, openai_compat.router]


def create_app(settings: Settings) -> FastAPI:
    service = AssistantService(settings)
    app = FastAPI(
        title="Kommunstöd",
        version=VERSION,
        description="Svar med källor om lokalt arbete med miljömål och Agenda 2030.",
        docs_url=None,  # the default pages load scripts from a CDN; see assistant.api.docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.feedback = FeedbackStore(settings.home / "feedback.sqlite")
    app.state.throttle = FailureThrottle()
    install_error_handlers(app)
    for router in [*ROUTERS, docs.router]:
        app.include_router(router)
    # Mounted last: "/" catches every path the routes above do not.
    mount_ui(app, service, app.state.feedback, settings, app.state.throttle)
    install_middleware(app, settings)  # the outermost checks, before the UI's own
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory`: each worker process builds its own app from the environment."""
    return create_app(load_settings())
