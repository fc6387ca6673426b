"""Per-app singletons, created once by create_app and handed to routes as dependencies."""

from __future__ import annotations

from fastapi import Request

from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_service(request: Request) -> AssistantService:
    return request.app.state.service


def get_feedback(request: Request) -> FeedbackStore:
    return request.app.state.feedback
