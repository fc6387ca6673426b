"""The UI's own HTTP routes under the token checks and the failure throttle (assistant.access,
assistant.throttle), as the API's routes are: Gradio's login form and its upload route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import AccessDenied, TokenMissing, check_admin
from assistant.settings import Settings
from assistant.throttle import FailureThrottle, TooManyFailures, client_of

UPLOAD_PATH = "/gradio_api/upload"
TOKEN_HEADER = "X-Admin-Token"
# Every admin token field carries this class (the Dokument tab's, and a registered tab's such as
# Utvärdering, which takes files too); the first one filled in goes along with an upload.
ADMIN_TOKEN_CLASS = "admin-token"
# Gradio's client uploads with fetch(); the typed admin token goes along in TOKEN_HEADER.
UPLOAD_TOKEN_SCRIPT = f"""<script>
(() => {{
  const send = window.fetch.bind(window);
  window.fetch = (input, init = {{}}) => {{
    const url = typeof input === "string" ? input : (input && input.url) || "";
    if (url.includes("{UPLOAD_PATH}")) {{
      const fields = document.querySelectorAll(".{ADMIN_TOKEN_CLASS} input, .{ADMIN_TOKEN_CLASS} textarea");
      const token = Array.from(fields, (field) => field.value.trim()).find((value) => value) || "";
      const headers = new Headers(init.headers || {{}});
      headers.set("{TOKEN_HEADER}", token);
      init = {{ ...init, headers }};
    }}
    return send(input, init);
  }};
}})();
</script>"""


def refusal(exc: AccessDenied, message: str) -> JSONResponse:
    """The API's error body and status for a refused check (401 missing, 429 throttled, else 403)."""
    if isinstance(exc, TooManyFailures):
        return JSONResponse({"detail": message}, 429, {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, TokenMissing):
        return JSONResponse({"detail": message}, 401, {"WWW-Authenticate": "Bearer"})
    return JSONResponse({"detail": message}, 403)


class UploadGuardMiddleware:
    """Gradio's own upload route (POST /gradio_api/upload) stores files for its File components. Only
    the tabs that change things have one (Dokument, Utvärdering), so the route takes the admin token
    like POST /api/documents, and is off when no admin token is set. The page sends the token typed
    in the tab (see UPLOAD_TOKEN_SCRIPT)."""

    def __init__(self, app: ASGIApp, settings: Settings, throttle: FailureThrottle) -> None:
        self.app = app
        self.settings = settings
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(UPLOAD_PATH):
            token = Request(scope, receive).headers.get(TOKEN_HEADER) or None
            client = client_of(scope)
            try:
                self.throttle.check(client)
                try:
                    check_admin(self.settings, token)
                except AccessDenied:
                    if token:
                        self.throttle.failed(client)
                    raise
            except AccessDenied as exc:
                message = f"Uppladdning kräver administratörsnyckeln (fältet Administratörsnyckel). {exc}"
                await refusal(exc, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class LoginThrottleMiddleware:
    """Gradio's login form (POST …/login) under the same throttle: its password check cannot see the
    request, so the outcome is read from the response status."""

    def __init__(self, app: ASGIApp, throttle: FailureThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = client_of(scope)
        try:
            self.throttle.check(client)
        except TooManyFailures as exc:
            await refusal(exc, str(exc))(scope, receive, send)
            return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (400, 401, 403):
                self.throttle.failed(client)
            await send(message)

        await self.app(scope, receive, watched)
