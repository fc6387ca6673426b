"""The UI at "/", built on its first request: importing Gradio and building the Blocks is most of the
server's start-up (~2.5 s of CPU of ~4 s of imports, bench/README.md), so the API answers before the UI
exists. This module imports no Gradio."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.feedback import FeedbackStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.throttle import FailureThrottle
from assistant.ui.guards import LoginThrottleMiddleware, UploadGuardMiddleware


class LazyUI:
    """ASGI app mounted at "/": the first request builds the Gradio app (in a thread, so API requests
    go on meanwhile) and starts it as Gradio's own mount would at server start; every request then
    goes to it. Closed with the server (`close`)."""

    def __init__(self, app: FastAPI, service: AssistantService, feedback: FeedbackStore, settings: Settings) -> None:
        self._parent, self._service, self._feedback, self._settings = app, service, feedback, settings
        self._ui: ASGIApp | None = None
        self._lock = asyncio.Lock()
        self._running = AsyncExitStack()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ui = self._ui or await self._start()
        await ui(scope, receive, send)

    async def _start(self) -> ASGIApp:
        async with self._lock:
            if self._ui is None:
                from assistant.ui import app as gradio_ui

                blocks = await asyncio.to_thread(gradio_ui.build_ui, self._service, self._feedback, self._settings)
                ui: Any = gradio_ui.gradio_app(self._parent, blocks, self._settings)
                # What gr.mount_gradio_app's lifespan does at server start.
                await self._running.enter_async_context(ui.router.lifespan_context(ui))
                ui.get_blocks().run_startup_events()
                await ui.get_blocks().run_extra_startup_events()
                self._ui = ui
        return self._ui

    async def close(self) -> None:
        await self._running.aclose()


def mount_ui(
    app: FastAPI, service: AssistantService, feedback: FeedbackStore, settings: Settings, throttle: FailureThrottle
) -> FastAPI:
    """Mount the (lazily built) UI at "/", behind the token checks of its login form and upload route."""
    app.add_middleware(UploadGuardMiddleware, settings=settings, throttle=throttle)
    app.add_middleware(LoginThrottleMiddleware, throttle=throttle)
    ui = LazyUI(app, service, feedback, settings)
    lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def with_ui(parent: FastAPI) -> AsyncIterator[Any]:
        async with lifespan(parent) as state:
            try:
                yield state
            finally:
                await ui.close()

    app.router.lifespan_context = with_ui
    app.mount("/", ui)
    return app
