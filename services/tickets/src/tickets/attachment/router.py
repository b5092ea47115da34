from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from common.auth import CurrentClaims
from common.errors import PayloadTooLarge, ValidationProblem
from common.web import UoW
from tickets.attachment import service
from tickets.attachment.schemas import AttachmentRead
from tickets.config import TicketsSettings
from tickets.storage.port import AttachmentStorage

router = APIRouter(prefix="/api/tickets/tickets/{ticket_id}/attachments", tags=["attachments"])

# Room for the multipart framing around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


async def get_storage(request: Request) -> AttachmentStorage:
    storage: AttachmentStorage = request.app.state.storage
    return storage


async def get_limits(request: Request) -> service.AttachmentLimits:
    settings: TicketsSettings = request.app.state.settings
    return service.AttachmentLimits(
        max_bytes=settings.max_attachment_bytes,
        allowed_types=frozenset(t.lower() for t in settings.allowed_attachment_types),
    )


StorageDep = Annotated[AttachmentStorage, Depends(get_storage)]
LimitsDep = Annotated[service.AttachmentLimits, Depends(get_limits)]

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "task_instance_id": {"type": "string", "format": "uuid"},
                    },
                }
            }
        },
    }
}


def _invalid(loc: str, msg: str, kind: str) -> ValidationProblem:
    return ValidationProblem(
        "The upload is not valid.", errors=[{"loc": ["body", loc], "msg": msg, "type": kind}]
    )


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=_UPLOAD_BODY)
async def upload_attachment(
    ticket_id: UUID,
    request: Request,
    uow: UoW,
    claims: CurrentClaims,
    storage: StorageDep,
    limits: LimitsDep,
) -> AttachmentRead:
    """Attach a file (multipart field `file`, optional `task_instance_id`) to a ticket the
    caller can see. Too large: 413; a type outside the allowlist: 415. Uploading a filename
    the ticket already has adds a new version."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes + MULTIPART_OVERHEAD:
        raise PayloadTooLarge(f"Attachments may be at most {limits.max_bytes} bytes.")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise _invalid("file", "send the file as multipart/form-data", "multipart")
    try:
        form = await request.form(max_files=1, max_fields=5)
    except MultiPartException as exc:
        raise _invalid("file", exc.message, "multipart") from exc
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise _invalid("file", "a file is required", "missing")
    task_instance_id: UUID | None = None
    raw_task = form.get("task_instance_id")
    if isinstance(raw_task, str) and raw_task:
        try:
            task_instance_id = UUID(raw_task)
        except ValueError as exc:
            raise _invalid("task_instance_id", "not a UUID", "uuid_parsing") from exc
    try:
        attachment = await service.upload(uow, claims, storage, limits, ticket_id, file, task_instance_id)
    finally:
        await form.close()
    return AttachmentRead.model_validate(attachment)


@router.get("/{attachment_id}", response_class=StreamingResponse)
async def download_attachment(
    ticket_id: UUID, attachment_id: UUID, uow: UoW, claims: CurrentClaims, storage: StorageDep
) -> StreamingResponse:
    """The attachment's bytes, streamed, for the ticket's submitter and the ticket team."""
    found = await service.download(uow, claims, storage, ticket_id, attachment_id)
    attachment = found.attachment
    return StreamingResponse(
        found.chunks,
        media_type=attachment.content_type,
        headers={
            "content-length": str(attachment.size_bytes),
            "content-disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename, safe='')}",
            "x-content-type-options": "nosniff",
            "etag": f'"{attachment.sha256}"',
            "cache-control": "private, no-store",
        },
    )
