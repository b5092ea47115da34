"""`python -m <service> migrate|serve`."""

import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from common.migrations import migrate
from common.settings import ServiceSettings
from common.telemetry import setup_logging


def run(
    settings_factory: Callable[[], ServiceSettings],
    app_factory: Callable[[ServiceSettings], FastAPI],
    migrations_dir: Path | None,
    argv: list[str] | None = None,
) -> None:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "serve"
    settings = settings_factory()
    if command == "migrate":
        if migrations_dir is None:
            return
        setup_logging(settings.service_name, settings.log_level)
        migrate(settings, migrations_dir)
    elif command == "serve":
        uvicorn.run(
            app_factory(settings),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            # The C event loop and HTTP parser: a large share of a small request's cost.
            loop="uvloop",
            http="httptools",
            timeout_graceful_shutdown=10,
        )
    else:
        sys.exit(f"usage: python -m {settings.service_name} [migrate|serve]")
