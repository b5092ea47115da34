"""What the gateway adds around every request: the request body size limit (pure ASGI) and
the security headers of every response (a hook of `common.service.RequestContextMiddleware`,
which also gives each request its id, so one wrapper of `send` does it all)."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.errors import PROBLEM_JSON, PayloadTooLarge, problem_body


class BodyTooLarge(PayloadTooLarge):
    """Raised by the body's `receive` once it crosses the limit: the proxy stops forwarding it
    and answers 413; a route that reads a body answers it through the problem handlers."""


class BodySizeLimitMiddleware:
    """413 for a body over `max_bytes`: at once when Content-Length says so, else as soon as
    the streamed body crosses the limit. A body of a declared length within the limit (and no
    other framing) is not watched: the server never hands the app more than that length."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        chunked = False
        for key, value in scope["headers"]:
            if key == b"content-length":
                declared = value
            elif key == b"transfer-encoding":
                chunked = True
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await self._refuse(scope, send)
                return
            if not chunked:
                await self.app(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self._detail())
            return message

        await self.app(scope, limited_receive, send)

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


_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
_API_CSP = API_CSP.encode()
_SPA_CSP = SPA_CSP.encode()


def security_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response's headers with the security headers; a Content-Security-Policy unless the
    response brings its own (the API docs page does, naming the hashes of its inline script)."""
    kept = [(k, v) for k, v in headers if k.lower() not in _SECURITY_HEADER_NAMES]
    kept.extend(SECURITY_HEADERS)
    if not any(k.lower() == b"content-security-policy" for k, _ in kept):
        kept.append((b"content-security-policy", _API_CSP if scope["path"].startswith("/api/") else _SPA_CSP))
    return kept
