"""JSON text for statements and messages, written by orjson.

The standard library's encoder calls back into Python for every id and moment (`default`),
which made up most of what a step's and a projection's documents cost to write; orjson
writes those itself, as Postgres and every consumer read them (ids in their canonical form,
moments in ISO 8601 with their offset). What it refuses and the standard library writes
(integers past 64 bits, keys that are not strings) is written by the standard library, so a
value never fails here that was written before.

The text is compact and keeps non-ASCII characters as they are: for jsonb columns and parsed
messages only. A fingerprint that must stay the same across versions keeps its own encoder.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import orjson


def dumps(value: Any, *, default: Callable[[Any], Any] | None = None) -> str:
    """`value` as compact JSON text; `default` gives a JSON value for a type neither encoder
    knows (raising `TypeError` for one it refuses, as `json.dumps` has it)."""
    try:
        return orjson.dumps(value, default=default).decode()
    except orjson.JSONEncodeError:

        def known(item: Any) -> Any:
            # What orjson writes itself, written the same way by the standard library.
            if isinstance(item, UUID):
                return str(item)
            if isinstance(item, date):
                return item.isoformat()
            if default is None:
                raise TypeError(f"{type(item).__name__} is not a JSON value") from None
            return default(item)

        return json.dumps(value, default=known, separators=(",", ":"), ensure_ascii=False)
