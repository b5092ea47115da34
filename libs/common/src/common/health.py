"""`/healthz` (the process is alive) and `/readyz` (its database and broker answer)."""

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database and the Kafka broker both answer."""
    checks: dict[str, Any] = {}
    state = request.app.state
    try:
        await asyncio.wait_for(state.db.ping(), 2.0)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    broker = getattr(state, "broker", None)
    if broker is None:
        checks["broker"] = "not started"
    else:
        try:
            ok = await broker.ping(timeout=2.0)
            checks["broker"] = "ok" if ok else "unavailable"
        except Exception as exc:
            checks["broker"] = f"unavailable: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
    )
