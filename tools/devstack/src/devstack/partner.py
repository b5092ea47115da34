"""A stand-in for the external systems the sample workflow calls (accounts, laptop supplier,
mail): `make run` starts it so the demo data's workflows run end to end on one machine.

The laptop supplier answers 202 at once and confirms later through the signed callback URL it
was given, as a real asynchronous partner would.
"""

import asyncio
import logging
import os
import secrets
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

log = logging.getLogger("partner")


def create_app(callback_delay: float = 2.0) -> FastAPI:
    app = FastAPI(title="Demo partner systems")
    pending: set[asyncio.Task[None]] = set()

    @app.post("/accounts")
    async def create_account(request: Request) -> dict[str, Any]:
        body = await request.json()
        name = str(body.get("name", "employee")).lower().replace(" ", ".")
        return {"id": f"acc-{secrets.token_hex(4)}", "email": f"{name}@demo.example"}

    @app.post("/laptops", status_code=202)
    async def order_laptop(request: Request) -> JSONResponse:
        body = await request.json()
        callback_url = body.get("callback_url")
        order_id = f"po-{secrets.token_hex(4)}"
        if callback_url:
            task = asyncio.create_task(_confirm(callback_url, order_id, callback_delay))
            pending.add(task)
            task.add_done_callback(pending.discard)
        return JSONResponse({"order_id": order_id, "status": "accepted"}, status_code=202)

    @app.post("/welcome")
    async def welcome() -> dict[str, str]:
        return {"status": "sent"}

    @app.post("/notifications")
    async def notify() -> dict[str, str]:
        return {"status": "sent"}

    return app


async def _confirm(callback_url: str, order_id: str, delay: float) -> None:
    await asyncio.sleep(delay)
    async with httpx.AsyncClient(timeout=10.0) as client:
        try:
            response = await client.post(
                callback_url, json={"order_id": order_id, "serial": f"SN-{secrets.token_hex(5).upper()}"}
            )
            log.info("callback for %s answered %d", order_id, response.status_code)
        except httpx.HTTPError as exc:
            log.warning("callback for %s failed: %s", order_id, exc)


def main() -> None:
    uvicorn.run(
        create_app(), host="127.0.0.1", port=int(os.environ.get("PARTNER_PORT", "9900")), log_level="warning"
    )


if __name__ == "__main__":
    main()
