from fastapi import APIRouter, Request

from actions.callbacks import service
from actions.callbacks.schemas import CallbackAccepted
from actions.deps import SettingsDep
from common.errors import PayloadTooLarge
from common.web import PublicUoW

router = APIRouter(prefix="/api/callbacks", tags=["callbacks"])


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"A callback body may be at most {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"A callback body may be at most {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/{token}", response_model=CallbackAccepted)
async def post_callback(
    token: str, request: Request, uow: PublicUoW, settings: SettingsDep
) -> CallbackAccepted:
    """Where a receiving system posts the result of an ASYNC_ACTION (public: the signed token
    in the path is the credential). Each URL works once, until it expires; the JSON body goes
    through the task's `output_transform` to the workflow."""
    body = await _read_limited(request, settings.max_callback_bytes)
    return await service.accept_callback(uow, settings, token, body)
