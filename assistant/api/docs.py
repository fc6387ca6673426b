"""GET /docs: the OpenAPI description as plain HTML rendered on the server (template docs.html).

FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN, which an offline machine
cannot reach; this page needs nothing but the server itself (the schema is at /openapi.json).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

router = APIRouter(include_in_schema=False)


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    return schema.get("type", "any")


_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["type_name"] = lambda schema: _type(schema or {})


def render(spec: dict[str, Any]) -> str:
    return _TEMPLATES.get_template("docs.html").render(
        info=spec.get("info", {}),
        paths=spec.get("paths", {}),
        schemas=spec.get("components", {}).get("schemas", {}),
    )


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
