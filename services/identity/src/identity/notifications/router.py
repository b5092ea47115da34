from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response, status

from common.auth import CurrentClaims
from common.web import Page, PageDep, UoW, entity_tags
from identity.notifications import service
from identity.notifications.schemas import (
    MarkedRead,
    NotificationRead,
    NotificationSummary,
    PreferenceRead,
    PreferencesUpdate,
)

router = APIRouter(prefix="/api/identity/notifications", tags=["notifications"])


@router.get("")
async def list_notifications(
    uow: UoW, claims: CurrentClaims, page: PageDep, unread: Annotated[bool, Query()] = False
) -> Page[NotificationRead]:
    """The caller's notifications, newest first; `unread=true` keeps the unread ones."""
    return await service.list_notifications(uow, claims, unread, page)


@router.get(
    "/summary",
    response_model=NotificationSummary,
    responses={304: {"description": "Nothing changed since the ETag given in If-None-Match"}},
)
async def notification_summary(
    uow: UoW,
    claims: CurrentClaims,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> NotificationSummary | Response:
    """The unread count and the newest notification's id, for the bell. Poll it with the ETag
    of the last answer in `If-None-Match`: 304 with no body while nothing changed."""
    summary, etag = await service.summary(uow, claims)
    if etag in entity_tags(if_none_match):
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag, "Cache-Control": "no-cache"}
        )
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return summary


@router.post("/read-all")
async def mark_all_read(uow: UoW, claims: CurrentClaims) -> MarkedRead:
    """Mark every unread notification of the caller read."""
    return await service.mark_all_read(uow, claims)


@router.get("/preferences")
async def read_preferences(uow: UoW, claims: CurrentClaims) -> list[PreferenceRead]:
    """Per kind: whether the caller sees it in the app and whether it is emailed to them."""
    return await service.preferences(uow, claims)


@router.put("/preferences")
async def update_preferences(
    uow: UoW, claims: CurrentClaims, body: PreferencesUpdate
) -> list[PreferenceRead]:
    """Set the caller's choice for the kinds given (the others keep theirs)."""
    return await service.update_preferences(uow, claims, body)


@router.post("/{notification_id}/read")
async def mark_read(notification_id: UUID, uow: UoW, claims: CurrentClaims) -> NotificationRead:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    return await service.mark_read(uow, claims, notification_id)
