"""Files attached to tickets: size- and type-limited, kept by the storage port, versioned by
filename."""

import hashlib
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from common.auth import Claims
from common.db import UnitOfWork
from common.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from contracts.ids import uuid7
from tickets.attachment.repository import AttachmentRepository
from tickets.models import Attachment
from tickets.storage.port import AttachmentStorage, StoredObjectMissing
from tickets.ticket.repository import TicketRepository
from tickets.ticket.service import visible_ticket
from tickets.ticket.watch import tell_on_commit

READ_CHUNK = 64 * 1024
MAX_FILENAME_LENGTH = 255
_UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f"\\/]')


class Upload(Protocol):
    @property
    def filename(self) -> str | None: ...

    @property
    def content_type(self) -> str | None: ...

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int
    allowed_types: frozenset[str]


@dataclass(frozen=True)
class Download:
    attachment: Attachment
    chunks: AsyncIterator[bytes]


def clean_filename(raw: str | None) -> str:
    """The last path segment, without control characters or quotes, at most 255 characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS.sub("", name).strip().lstrip(".")
    if not name:
        raise ValidationProblem(
            "The file needs a name.",
            errors=[{"loc": ["body", "file"], "msg": "the file has no name", "type": "missing"}],
        )
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_FILENAME_LENGTH - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if dot and 0 < len(ext) < 20 else name[:MAX_FILENAME_LENGTH]
    return name


def media_type(raw: str | None) -> str:
    return (raw or "application/octet-stream").split(";", 1)[0].strip().lower()


class LimitedUpload:
    """The upload's chunks as they are read, counted and hashed on the way, with 413 as soon
    as they pass `max_bytes` (so an oversized file is never held in memory nor stored)."""

    def __init__(self, upload: Upload, max_bytes: int) -> None:
        self.upload = upload
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    async def chunks(self) -> AsyncIterator[bytes]:
        while chunk := await self.upload.read(READ_CHUNK):
            self.size += len(chunk)
            if self.size > self.max_bytes:
                raise PayloadTooLarge(f"Attachments may be at most {self.max_bytes} bytes.")
            self.digest.update(chunk)
            yield chunk


async def upload(
    uow: UnitOfWork,
    claims: Claims,
    storage: AttachmentStorage,
    limits: AttachmentLimits,
    ticket_id: UUID,
    file: Upload,
    task_instance_id: UUID | None = None,
) -> Attachment:
    """Attach a file to a ticket the caller can see. The same filename again becomes the next
    version (the ticket row is locked, so two uploads of one name cannot take one version)."""
    ticket = await visible_ticket(uow, claims, ticket_id, for_update=True)
    # The ticket's own tasks are known from the engine's events on its timeline; any other id
    # (another ticket's, another company's, or none at all) is refused the same way.
    if task_instance_id is not None and not await TicketRepository(uow.session, claims.company_id).has_task(
        ticket.id, task_instance_id
    ):
        raise ValidationProblem(
            "The task is not one of this ticket's.",
            errors=[
                {
                    "loc": ["body", "task_instance_id"],
                    "msg": "not a task of this ticket",
                    "type": "unknown_task",
                }
            ],
        )
    content_type = media_type(file.content_type)
    if content_type not in limits.allowed_types:
        raise UnsupportedMediaType(
            f"Files of type {content_type} cannot be attached.",
            extra={"allowed_types": sorted(limits.allowed_types)},
        )
    filename = clean_filename(file.filename)
    repository = AttachmentRepository(uow.session, claims.company_id)
    version = await repository.latest_version(ticket.id, filename) + 1
    attachment_id = uuid7()
    ext_key = f"{claims.company_id}/{ticket.id}/{attachment_id}"
    data = LimitedUpload(file, limits.max_bytes)
    # Bytes first, row second: a crash in between leaves an unreferenced object, never a row
    # pointing at nothing.
    await storage.put(ext_key, data.chunks(), content_type)
    tell_on_commit(uow, ticket.id)
    return await repository.add(
        Attachment(
            company_id=claims.company_id,
            id=attachment_id,
            ticket_id=ticket.id,
            task_instance_id=task_instance_id,
            filename=filename,
            version=version,
            content_type=content_type,
            size_bytes=data.size,
            sha256=data.digest.hexdigest(),
            ext_key=ext_key,
            uploaded_by=claims.user_id,
        )
    )


async def download(
    uow: UnitOfWork, claims: Claims, storage: AttachmentStorage, ticket_id: UUID, attachment_id: UUID
) -> Download:
    ticket = await visible_ticket(uow, claims, ticket_id)
    attachment = await AttachmentRepository(uow.session, claims.company_id).get(ticket.id, attachment_id)
    if attachment is None:
        raise NotFound("There is no such attachment.")
    try:
        chunks = await storage.open(attachment.ext_key)
    except StoredObjectMissing as exc:
        raise NotFound("The attachment's file is missing from storage.") from exc
    return Download(attachment, chunks)
