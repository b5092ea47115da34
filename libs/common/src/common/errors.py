"""Errors as RFC 9457 problem details. Services raise these; one set of handlers maps them."""

import logging
import traceback
from typing import Any

import asyncpg
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
# What a client is told to wait before trying again while the database is away.
DATABASE_RETRY_AFTER_SECONDS = 5


class ProblemError(Exception):
    """An error a client can act on. Carries its HTTP status and problem fields."""

    status: int = 400
    title: str = "Bad request"
    type_slug: str = "bad-request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers
        self.extra = extra or {}


class BadRequest(ProblemError):
    pass


class Unauthorized(ProblemError):
    status, title, type_slug = 401, "Unauthorized", "unauthorized"


class Forbidden(ProblemError):
    status, title, type_slug = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, type_slug = 404, "Not found", "not-found"


class Conflict(ProblemError):
    status, title, type_slug = 409, "Conflict", "conflict"


class Gone(ProblemError):
    status, title, type_slug = 410, "Gone", "gone"


class PayloadTooLarge(ProblemError):
    status, title, type_slug = 413, "Payload too large", "payload-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, type_slug = 415, "Unsupported media type", "unsupported-media-type"


class ValidationProblem(ProblemError):
    status, title, type_slug = 422, "Validation failed", "validation-failed"


class TooManyRequests(ProblemError):
    status, title, type_slug = 429, "Too many requests", "too-many-requests"


class ServiceUnavailable(ProblemError):
    status, title, type_slug = 503, "Service unavailable", "service-unavailable"


def problem_body(
    status: int,
    title: str,
    detail: str,
    *,
    type_slug: str,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://ticketflower.dev/problems/{type_slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    type_slug: str,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(
            status, title, detail, type_slug=type_slug, instance=instance, errors=errors, extra=extra
        ),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _clean_validation_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for err in errors:
        cleaned.append(
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return cleaned


_STATUS_TITLES = {
    400: ("Bad request", "bad-request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not found", "not-found"),
    405: ("Method not allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    413: ("Payload too large", "payload-too-large"),
    415: ("Unsupported media type", "unsupported-media-type"),
    422: ("Validation failed", "validation-failed"),
    429: ("Too many requests", "too-many-requests"),
}


_ASYNCPG_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,  # class 08: connection exceptions
    asyncpg.CannotConnectNowError,  # the server is starting up or shutting down
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
)


def _raised_by_the_driver(exc: BaseException) -> bool:
    return any(
        "/asyncpg/" in frame.filename or "/sqlalchemy/" in frame.filename
        for frame in traceback.extract_tb(exc.__traceback__)
    )


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database cannot be reached (down, restarting, refusing
    connections, or a connection that died under us), as opposed to a bug or a bad statement."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in chain:
        if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, (sqlalchemy.exc.TimeoutError, *_ASYNCPG_UNAVAILABLE)):
            return True
        if isinstance(error, asyncpg.InterfaceError) and "connection is closed" in str(error):
            return True
        if isinstance(error, OSError | TimeoutError) and _raised_by_the_driver(error):
            return True
    return False


def unexpected_error_response(exc: Exception, method: str, path: str) -> JSONResponse:
    """503 with Retry-After while the database is away (the request may simply be repeated),
    else a 500 that says nothing of the internals; the details go to the log."""
    if database_unavailable(exc):
        log.warning("database unavailable on %s %s: %r", method, path, exc)
        return problem_response(
            503,
            "Service unavailable",
            "The service's database cannot be reached right now; try again shortly.",
            type_slug="service-unavailable",
            instance=path,
            headers={"retry-after": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    log.error("unhandled error on %s %s", method, path, exc_info=exc)
    return problem_response(
        500,
        "Internal error",
        "Something went wrong on our side. It has been logged.",
        type_slug="internal-error",
        instance=path,
    )


async def answer_unexpected(
    exc: Exception, started: bool, scope: Scope, receive: Receive, send: Send
) -> None:
    """The last resort for an exception no handler took: answered (and swallowed, so the server
    keeps the kept-alive connection) when the response has not started; else only logged, the
    response left unfinished, so the server drops the connection and the client sees it cut."""
    if started:
        log.error("error after the response started on %s", scope["path"], exc_info=exc)
        return
    response = unexpected_error_response(exc, scope["method"], scope["path"])
    await response(scope, receive, send)


class UnexpectedErrorMiddleware:
    """Answers an exception no handler took, and lets the server keep the connection.

    Starlette's own last-resort handler re-raises after answering, and uvicorn then closes the
    kept-alive connection, which a proxy in front may already be reusing for someone else's
    request. Here the error is answered and swallowed (`answer_unexpected`). The services and
    the gateway have `RequestContextMiddleware` do it instead, in the one wrapper of `send` it
    keeps anyway."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            await answer_unexpected(exc, started, scope, receive, send)


def install_problem_handlers(app: FastAPI, *, last_resort: bool = True) -> None:
    """The problem handlers; `last_resort=False` when `RequestContextMiddleware` wraps the app
    and answers the errors no handler took itself."""
    if last_resort:
        app.add_middleware(UnexpectedErrorMiddleware)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.title,
            exc.detail,
            type_slug=exc.type_slug,
            instance=request.url.path,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _clean_validation_errors(exc.errors())
        if any(error["loc"][:1] == ["path"] for error in errors):
            # A path segment that cannot be an id (`/tickets/abc`) names no record: the address
            # does not exist, as for a well-formed id nobody has. Only path parameters are
            # named, so the answer says nothing about the body of such a call.
            return problem_response(
                404,
                "Not found",
                "Nothing exists at this address.",
                type_slug="not-found",
                instance=request.url.path,
                errors=[error for error in errors if error["loc"][:1] == ["path"]],
            )
        return problem_response(
            422,
            "Validation failed",
            "The request is not valid.",
            type_slug="validation-failed",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title, slug = _STATUS_TITLES.get(exc.status_code, ("Error", "error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        return problem_response(
            exc.status_code,
            title,
            detail,
            type_slug=slug,
            instance=request.url.path,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Reached only for an error raised by a middleware outside UnexpectedErrorMiddleware.
        return unexpected_error_response(exc, request.method, request.url.path)
