"""Pure ASGI middleware of the gateway: request ids and the request body size limit."""

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.errors import PROBLEM_JSON, problem_body
from contracts.ids import uuid7

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Every request gets an `x-request-id` before anything logs or forwards it: the client's,
    when it is short and plain, else a new one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"x-request-id"]
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_REQUEST_ID.match(given) else str(uuid7())
        headers.append((b"x-request-id", request_id.encode()))
        await self.app({**scope, "headers": headers}, receive, send)


class BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """413 for a body over `max_bytes`: at once when Content-Length says so, else as soon as
    the streamed body crosses the limit (the proxy stops forwarding it)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self._detail())
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, send)

    def _detail(self) -> str:
        return f"The request body is larger than the limit of {self.max_bytes} bytes."

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps(
            problem_body(
                413,
                "Payload too large",
                self._detail(),
                type_slug="payload-too-large",
                instance=scope["path"],
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# The built SPA: its own scripts and styles only. 'unsafe-eval' because the form renderer's
# JSON Schema validator (ajv, in @rjsf/validator-ajv8) compiles each form's schema into a
# function at run time; inline and injected scripts stay refused. Inline styles are allowed
# for the libraries that set style attributes (the workflow graph, the form renderer).
SPA_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# API answers are data, never a page: nothing in one may run, even an uploaded HTML file
# opened straight from its download URL.
API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Reset and invitation links carry their token in the URL: never pass it on.
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Security headers on every response; a Content-Security-Policy unless the response
    brings its own (the API docs page does, naming the hashes of its inline script)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (API_CSP if scope["path"].startswith("/api/") else SPA_CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in names]
                headers.extend(SECURITY_HEADERS)
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", csp))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
