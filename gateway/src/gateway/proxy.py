"""Routing `/api/<service>/...` to the services, streaming both ways."""

import logging

import httpx
from fastapi import Request
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse

from common.errors import problem_response
from gateway.middleware import BodyTooLarge

log = logging.getLogger(__name__)

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
# Set by the gateway alone: a client's values would let it choose its own address or trace.
GATEWAY_SET = {
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "forwarded",
    "x-real-ip",
    "traceparent",
}
# The one `x-tf-*` header a client sends on purpose: the SPA's anti-CSRF marker on cookie calls.
CLIENT_TF_HEADERS = {"x-tf-csrf"}


def forwardable_headers(request: Request, extra: dict[str, str]) -> list[tuple[str, str]]:
    """Client headers minus hop-by-hop ones, minus every internal `x-tf-*` header (a client
    can never speak for the gateway) and minus the forwarding headers, plus what the gateway
    adds."""
    headers = [
        (k, v)
        for k, v in request.headers.items()
        if k.lower() not in HOP_BY_HOP
        and k.lower() not in GATEWAY_SET
        and (not k.lower().startswith("x-tf-") or k.lower() in CLIENT_TF_HEADERS)
    ]
    headers.extend(extra.items())
    return headers


async def forward(
    client: httpx.AsyncClient, upstream: str, request: Request, extra_headers: dict[str, str]
) -> Response:
    url = httpx.URL(upstream + request.url.path, query=request.url.query.encode())
    upstream_request = client.build_request(
        request.method,
        url,
        headers=forwardable_headers(request, extra_headers),
        content=request.stream(),
    )
    try:
        upstream_response = await client.send(upstream_request, stream=True)
    except BodyTooLarge as exc:
        return problem_response(
            413, "Payload too large", str(exc), type_slug="payload-too-large", instance=request.url.path
        )
    except httpx.TimeoutException:
        return problem_response(
            504,
            "Gateway timeout",
            "The service did not answer in time.",
            type_slug="gateway-timeout",
            instance=request.url.path,
        )
    except httpx.TransportError as exc:
        log.warning("upstream %s unreachable: %s", upstream, exc)
        return problem_response(
            502,
            "Bad gateway",
            "The service is unavailable.",
            type_slug="bad-gateway",
            instance=request.url.path,
        )
    response = StreamingResponse(
        upstream_response.aiter_raw(),
        status_code=upstream_response.status_code,
        background=BackgroundTask(upstream_response.aclose),
    )
    # raw_headers keeps repeated headers (several Set-Cookie) that a dict would merge.
    response.raw_headers = [
        (k.encode("latin-1"), v.encode("latin-1"))
        for k, v in upstream_response.headers.multi_items()
        if k.lower() not in HOP_BY_HOP and k.lower() != "x-request-id"
    ]
    return response
