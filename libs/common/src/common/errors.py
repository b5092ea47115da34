"""Errors as RFC 9457 problem details. Services raise these; one set of handlers maps them."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


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


def install_problem_handlers(app: FastAPI) -> None:
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
        return problem_response(
            422,
            "Validation failed",
            "The request is not valid.",
            type_slug="validation-failed",
            instance=request.url.path,
            errors=_clean_validation_errors(exc.errors()),
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
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500,
            "Internal error",
            "Something went wrong on our side. It has been logged.",
            type_slug="internal-error",
            instance=request.url.path,
        )
