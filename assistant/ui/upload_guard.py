"""Gradio's own upload route (POST /gradio_api/upload) stores files for its File components. Only
the Dokument tab has one, so the route takes the admin token like POST /api/documents, and is off
when no admin token is set. The page sends the token typed in the tab (see UPLOAD_TOKEN_SCRIPT)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.auth import check_admin
from assistant.api.errors import ApiError, error_response
from assistant.api.throttle import FailureThrottle, client_of
from assistant.settings import Settings

UPLOAD_PATH = "/gradio_api/upload"
TOKEN_HEADER = "X-Admin-Token"
# Gradio's client uploads with fetch(); the token field of the Dokument tab (#admin-nyckel) goes along.
UPLOAD_TOKEN_SCRIPT = f"""<script>
(() => {{
  const send = window.fetch.bind(window);
  window.fetch = (input, init = {{}}) => {{
    const url = typeof input === "string" ? input : (input && input.url) || "";
    if (url.includes("{UPLOAD_PATH}")) {{
      const field = document.querySelector("#admin-nyckel input, #admin-nyckel textarea");
      const headers = new Headers(init.headers || {{}});
      headers.set("{TOKEN_HEADER}", field ? field.value.trim() : "");
      init = {{ ...init, headers }};
    }}
    return send(input, init);
  }};
}})();
</script>"""


class UploadGuardMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, throttle: FailureThrottle) -> None:
        self.app = app
        self.settings = settings
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(UPLOAD_PATH):
            request = Request(scope, receive)
            token = request.headers.get(TOKEN_HEADER) or None
            client = client_of(scope)
            try:
                self.throttle.check(client)
                try:
                    check_admin(self.settings, token)
                except ApiError:
                    if token:
                        self.throttle.failed(client)
                    raise
            except ApiError as exc:
                message = f"Uppladdning kräver administratörsnyckeln (fältet Administratörsnyckel). {exc.message}"
                await error_response(request, exc.status, message, exc.headers)(scope, receive, send)
                return
        await self.app(scope, receive, send)
