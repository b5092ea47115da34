from typing import Any

from fastapi import APIRouter, Request, Response, status
from starlette.datastructures import UploadFile

from common.auth import CurrentClaims
from common.errors import BadRequest, PayloadTooLarge
from common.idempotency import IdempotencyDep
from common.web import UoW
from definitions.access import DesignerClaims
from definitions.bundles import service
from definitions.bundles.document import MAX_BUNDLE_BYTES, media_kind, parse_document
from definitions.bundles.schemas import DryRunRequest, DryRunResult, PublishResult, ValidationReport

router = APIRouter(prefix="/api/definitions", tags=["bundles"])

_BUNDLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


async def _read_document(request: Request) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise BadRequest("Upload the bundle as the form field `file`.")
            raw = await upload.read(MAX_BUNDLE_BYTES + 1)
            return parse_document(raw, media_kind(upload.content_type, upload.filename))
    kind = media_kind(content_type)
    buffer = bytearray()
    async for chunk in request.stream():
        buffer.extend(chunk)
        if len(buffer) > MAX_BUNDLE_BYTES:
            raise PayloadTooLarge(f"A bundle may be at most {MAX_BUNDLE_BYTES} bytes.")
    return parse_document(bytes(buffer), kind)


@router.post(
    "/bundles",
    response_model=PublishResult,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_BUNDLE_BODY,
    responses={200: {"model": PublishResult, "description": "Nothing changed"}},
)
async def upload_bundle(
    request: Request, response: Response, uow: UoW, _: DesignerClaims, idempotency: IdempotencyDep
) -> PublishResult | Response:
    """Publish a bundle (JSON, YAML, or a multipart file upload): its workflow and ticket
    types, each as a new version where it differs from the latest. Every problem is listed
    (422) and nothing is saved; warnings come back with a successful publish. An
    `Idempotency-Key` makes a repeat within 24 hours answer the first response."""
    document = await _read_document(request)
    result = await idempotency.create(
        document, _publish_status, lambda: service.publish_bundle(uow, document)
    )
    if isinstance(result, PublishResult):
        response.status_code = _publish_status(result)
    return result


def _publish_status(result: PublishResult) -> int:
    if not result.workflow.created and not any(t.created for t in result.ticket_types):
        return status.HTTP_200_OK
    return status.HTTP_201_CREATED


@router.post("/bundles/validate", response_model=ValidationReport, openapi_extra=_BUNDLE_BODY)
async def validate_bundle(request: Request, _: CurrentClaims) -> ValidationReport:
    """Check a bundle without publishing it: every error and warning, with its path."""
    return service.validate(await _read_document(request))


@router.post("/dry-run", response_model=DryRunResult)
async def dry_run(body: DryRunRequest, uow: UoW) -> DryRunResult:
    """Walk a workflow (a bundle's, or a published version) for sample ticket data and task
    outputs: the path it would take and every condition's value. Nothing is started."""
    return await service.dry_run(uow, body)
