"""`kommunstod serve [--host] [--port] [--workers N]`: the API and the UI in one process (or N)."""

from __future__ import annotations

import argparse
import os

import uvicorn

from assistant.settings import Settings

# SIGTERM stops the server within seconds: open streams are cut after this grace period.
GRACE_SECONDS = 5
# A worker that does not answer the supervisor's ping in time is killed and restarted. Loading the
# models can hold the interpreter for longer than uvicorn's 5 s on a busy machine, and then every new
# worker died the same way: none ever served.
WORKER_HEALTHCHECK_SECONDS = 120


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="starta webbtjänsten (API och gränssnitt)")
    p.add_argument("--host", help="adress att lyssna på (standard: KOMMUNSTOD_HOST eller 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (standard: KOMMUNSTOD_PORT eller 8000)")
    p.add_argument("--workers", type=int, default=1, help="antal arbetsprocesser (standard 1)")
    p.set_defaults(run=run)


def offline_environment(settings: Settings) -> None:
    """Gradio must not phone home, and its upload staging belongs under the data home."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_TEMP_DIR", str((settings.home / "cache" / "gradio").resolve()))


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.workers < 1:
        raise ValueError("--workers ska vara minst 1")
    offline_environment(settings)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Kommunstöd på http://{host}:{port}/ (API-beskrivning: /docs)", flush=True)
    if args.workers == 1:
        from assistant.api.app import create_app  # gradio is slow to import; other commands skip it

        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="info", timeout_graceful_shutdown=GRACE_SECONDS
        )
        return 0
    # Worker processes build their own app from the environment, so --home travels there.
    os.environ["KOMMUNSTOD_HOME"] = str(settings.home.resolve())
    uvicorn.run(
        "assistant.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_level="info",
        timeout_graceful_shutdown=GRACE_SECONDS,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
    return 0
