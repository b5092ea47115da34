"""One OpenAPI document for the whole API: each service's `/openapi.json`, merged.

Paths do not collide (each service owns `/api/<service>`); component schemas may share a name
with a different shape, in which case the later service's schema is renamed
`<service>__<name>` and its references rewritten.
"""

import asyncio
import copy
import logging
import time
from typing import Any

import httpx

log = logging.getLogger(__name__)

_SCHEMA_REF = "#/components/schemas/"


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_SCHEMA_REF):
                name = value[len(_SCHEMA_REF) :]
                out[key] = _SCHEMA_REF + renames.get(name, name)
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def merge_documents(documents: dict[str, dict[str, Any]], title: str) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "0.1.0"},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "tags": [],
    }
    schemas: dict[str, Any] = merged["components"]["schemas"]
    for service, document in documents.items():
        own = document.get("components", {}).get("schemas", {})
        renames = {
            name: f"{service}__{name}"
            for name, schema in own.items()
            if name in schemas and schemas[name] != schema
        }
        document = _rewrite_refs(copy.deepcopy(document), renames)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(renames.get(name, name), schema)
        for path, item in document.get("paths", {}).items():
            if path.startswith("/api/"):
                merged["paths"][path] = item
        merged["tags"].extend(document.get("tags", []))
    return merged


class OpenApiAggregator:
    def __init__(self, upstreams: dict[str, str], cache_seconds: float) -> None:
        self.upstreams = upstreams
        self.cache_seconds = cache_seconds
        self._cached: tuple[float, dict[str, Any]] | None = None

    async def document(self, client: httpx.AsyncClient) -> dict[str, Any]:
        if self._cached and time.monotonic() - self._cached[0] < self.cache_seconds:
            return self._cached[1]

        async def fetch(name: str, url: str) -> tuple[str, dict[str, Any] | None]:
            try:
                response = await client.get(f"{url}/openapi.json", timeout=5.0)
                response.raise_for_status()
                return name, response.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("no OpenAPI document from %s: %s", name, exc)
                return name, None

        results = await asyncio.gather(*(fetch(n, u) for n, u in self.upstreams.items()))
        documents = {name: doc for name, doc in results if doc is not None}
        merged = merge_documents(documents, "TicketFlower API")
        merged["info"]["description"] = "Services missing from this document: " + (
            ", ".join(name for name, doc in results if doc is None) or "none"
        )
        if len(documents) == len(self.upstreams):
            self._cached = (time.monotonic(), merged)
        return merged
