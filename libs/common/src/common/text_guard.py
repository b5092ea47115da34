"""Refuse, before any route runs, text that Postgres cannot store or that is too deep to walk.

Postgres text cannot hold NUL (U+0000), and UTF-8 cannot encode a lone surrogate (`"\\ud800"` is
valid JSON, but not a character); either one reaching a query fails in the driver, as a 500.
JSON nested thousands of levels deep costs every recursive walk over it (pydantic, jsonschema,
JSONata) its stack. This middleware checks the path, every query parameter and every JSON
body once, for every route of every service, and answers 422 naming each field at fault
(413 for a JSON body too large to be worth parsing).
"""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.errors import problem_response

# Deep enough for any real ticket data, bundle or layout (bundles are held to 64 on their own).
MAX_JSON_DEPTH = 100
# JSON bodies are forms, tickets and bundles (at most 1 MiB of document): nothing bigger is a
# legitimate JSON request, and parsing it would only cost CPU. Files arrive as multipart.
MAX_JSON_BODY_BYTES = 2 * 1024 * 1024

Loc = list[str | int]


def text_problem(value: str) -> str | None:
    """Why Postgres cannot store `value`, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000), which cannot be stored"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which is not text"
    return None


def json_problems(document: Any, root: Loc, *, max_depth: int = MAX_JSON_DEPTH) -> list[dict[str, Any]]:
    """Every string or key in `document` that cannot be stored, and the first place it nests
    deeper than `max_depth`, in the problem-details `errors` shape."""
    problems: list[dict[str, Any]] = []
    too_deep = False
    stack: list[tuple[Any, Loc]] = [(document, root)]
    while stack:
        value, loc = stack.pop()
        if len(loc) - len(root) > max_depth:
            if not too_deep:
                problems.append(
                    {"loc": loc, "msg": f"nested deeper than {max_depth} levels", "type": "too_deep"}
                )
                too_deep = True
            continue
        if isinstance(value, str):
            _add(problems, loc, text_problem(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                key_problem = text_problem(key)
                if key_problem is not None:
                    # The key itself is unprintable; name the object and say which part.
                    _add(problems, loc, f"a key {key_problem}")
                    continue
                stack.append((item, [*loc, key]))
        elif isinstance(value, list):
            stack.extend((item, [*loc, index]) for index, item in enumerate(value))
    problems.sort(key=lambda p: [str(part) for part in p["loc"]])
    return problems


def _add(problems: list[dict[str, Any]], loc: Loc, problem: str | None) -> None:
    if problem is not None:
        problems.append({"loc": loc, "msg": problem, "type": "invalid_text"})


def _query_problems(query_string: bytes) -> Iterator[dict[str, Any]]:
    # The same decoding Starlette applies, so the names are the ones a route sees.
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        for part in (name, value):
            problem = text_problem(part)
            if problem is not None:
                yield {"loc": ["query", name], "msg": problem, "type": "invalid_text"}
                break


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            media: str = value.decode("latin-1").split(";", 1)[0].strip().lower()
            return media == "application/json" or media.endswith("+json")
    return False


class TextGuardMiddleware:
    """Pure ASGI (it must read the body and hand it on intact to the route)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        errors: list[dict[str, Any]] = []
        path_problem = text_problem(path)
        if path_problem is not None:
            errors.append({"loc": ["path"], "msg": path_problem, "type": "invalid_text"})
        errors.extend(_query_problems(scope.get("query_string", b"")))
        if not _is_json(scope):
            if errors:
                await _refuse(scope, receive, send, errors)
                return
            await self.app(scope, receive, send)
            return
        body, more, disconnected = await _read_body(receive, MAX_JSON_BODY_BYTES)
        if more:
            response = problem_response(
                413,
                "Payload too large",
                f"A JSON body may be at most {MAX_JSON_BODY_BYTES} bytes.",
                type_slug="payload-too-large",
                instance=path,
            )
            await response(scope, receive, send)
            return
        errors.extend(_body_problems(body))
        if errors:
            await _refuse(scope, receive, send, errors)
            return
        await self.app(scope, _replay(body, receive, disconnected), send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool, bool]:
    """The body, whether more than `limit` bytes were sent, and whether the client left."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False, True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True, False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False, False


def _body_problems(body: bytes) -> list[dict[str, Any]]:
    if not body:
        return []
    try:
        document = json.loads(body)
    except RecursionError:
        return [{"loc": ["body"], "msg": f"nested deeper than {MAX_JSON_DEPTH} levels", "type": "too_deep"}]
    except ValueError:
        # Not JSON at all: the route's own validation says so, in its usual words.
        return []
    return json_problems(document, ["body"])


def _replay(body: bytes, receive: Receive, disconnected: bool) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, errors: list[dict[str, Any]]) -> None:
    response = problem_response(
        422,
        "Validation failed",
        "The request holds text that cannot be stored: "
        + "; ".join(f"{'.'.join(str(p) for p in e['loc'])} {e['msg']}" for e in errors[:5]),
        type_slug="validation-failed",
        instance=scope.get("path", "").encode("unicode_escape").decode("ascii"),
        errors=errors,
    )
    await response(scope, receive, send)
