"""GET /docs: the OpenAPI description as plain HTML rendered on the server.

FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN, which an offline machine
cannot reach; this page needs nothing but the server itself (the schema is at /openapi.json).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.45}
section{border-top:1px solid #ccc;padding:.4rem 0}code{background:#f2f2f2;padding:0 .2rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.15rem .4rem;text-align:left;vertical-align:top}
"""


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


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    parts = [f"<section><h3><span class=m>{method.upper()}</span> <code>{escape(path)}</code></h3>"]
    if op.get("summary"):
        parts.append(f"<p>{escape(op['summary'])}</p>")
    if op.get("description"):
        parts.append(f"<p>{escape(op['description'])}</p>")
    if op.get("security"):
        parts.append("<p>Kräver nyckel (<code>Authorization: Bearer …</code>).</p>")
    params = op.get("parameters", [])
    if params:
        rows = "".join(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
            f"<td>{escape(_type(p.get('schema', {})))}</td><td>{'ja' if p.get('required') else ''}</td></tr>"
            for p in params
        )
        parts.append(f"<table><tr><th>parameter</th><th>i</th><th>typ</th><th>krävs</th></tr>{rows}</table>")
    for media, content in op.get("requestBody", {}).get("content", {}).items():
        parts.append(f"<p>Kropp ({escape(media)}): <code>{escape(_type(content.get('schema', {})))}</code></p>")
    parts.append("</section>")
    return "".join(parts)


def _models(schemas: dict[str, Any]) -> str:
    parts = ["<h2>Modeller</h2>"]
    for name, schema in sorted(schemas.items()):
        required = set(schema.get("required", []))
        rows = "".join(
            f"<tr><td><code>{escape(field)}</code></td><td>{escape(_type(spec))}</td>"
            f"<td>{'ja' if field in required else ''}</td></tr>"
            for field, spec in schema.get("properties", {}).items()
        )
        parts.append(f"<h3 id='{escape(name)}'>{escape(name)}</h3>")
        parts.append(f"<table><tr><th>fält</th><th>typ</th><th>krävs</th></tr>{rows}</table>")
    return "".join(parts)


def render(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    paths = spec.get("paths", {})
    operations = "".join(_operation(path, method, op) for path, ops in paths.items() for method, op in ops.items())
    return (
        f"<!doctype html><html lang=sv><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>{escape(info.get('title', 'API'))} – API</title><style>{_STYLE}</style>"
        f"<h1>{escape(info.get('title', 'API'))} {escape(info.get('version', ''))}</h1>"
        f"<p>{escape(info.get('description', ''))}</p><p>Maskinläsbart: <a href='/openapi.json'>openapi.json</a></p>"
        f"{operations}{_models(spec.get('components', {}).get('schemas', {}))}</html>"
    )


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
