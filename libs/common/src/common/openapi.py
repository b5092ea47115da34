"""The OpenAPI document says what the errors really look like.

Every error a service sends is an RFC 9457 problem (`application/problem+json`, see
`common.errors`), but FastAPI documents its 422 as `HTTPValidationError` in
`application/json` and no other error at all. This rewrites each operation's 422 as a problem
and adds one `4XX` problem response, so a client (or a conformance test) reading the document
expects what it will get.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from common.errors import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For a request that is not valid: each field at fault.",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def with_problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with problem-details error responses on every operation."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["ProblemDetails"] = PROBLEM_SCHEMA
    problem = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "The request is not valid", "content": problem}
            for status, response in responses.items():
                if status.startswith("4") and status != "422" and "content" not in response:
                    response["content"] = problem
            responses.setdefault("4XX", {"description": "A problem with the request", "content": problem})
    return document


def document_problems(app: FastAPI) -> None:
    """Make `app`'s OpenAPI document describe its errors as problem details."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = with_problem_responses(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
