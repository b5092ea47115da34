"""Where one workflow's latency goes, hop by hop, read back from the services' own tables.

Every event a service writes is an outbox row (`created_at`: its transaction began;
`published_at`: the relay had it acknowledged by the broker), and every event a consumer group
applies is an inbox row (`handled_at`: the applying transaction began). So for each event type
and each group that consumes it, over the workflows run since a moment:

- relay: written → acknowledged by the broker (the writer's commit, the relay waking, the send);
- delivery: acknowledged → the consumer's transaction began (the fetch, the consumer waking);
- and, per consuming service, applied → the next event it wrote for that workflow began
  (what the service did in between: its own steps, an HTTP call for the runners).

    print_hops(database_url, since)  # after a phase of one-at-a-time workflows

Medians, in ms. Clocks are the one Postgres server's, so the figures compare.
"""

import asyncio
import json
from bisect import bisect_right
from collections import defaultdict
from datetime import datetime
from statistics import median
from typing import Any

import asyncpg

SCHEMAS = ("identity", "definitions", "tickets", "engine", "actions")


async def _rows(database_url: str, since: datetime) -> tuple[list[Any], list[Any]]:
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        outbox: list[Any] = []
        inbox: list[Any] = []
        for schema in SCHEMAS:
            outbox += await connection.fetch(
                f'SELECT $1::text AS schema, event_id, payload, created_at, published_at FROM "{schema}".outbox'  # noqa: S608
                " WHERE created_at >= $2",
                schema,
                since,
            )
            inbox += await connection.fetch(
                f'SELECT consumer_group, event_id, handled_at FROM "{schema}".inbox WHERE handled_at >= $1',  # noqa: S608
                since,
            )
        return outbox, inbox
    finally:
        await connection.close()


def _ms(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() * 1000


def _ticket_of(data: dict[str, Any], tickets_of: dict[str, str]) -> str | None:
    if "ticket_id" in data:
        return str(data["ticket_id"])
    return tickets_of.get(str(data.get("workflow_instance_id")))


def _events(outbox: list[Any]) -> list[dict[str, Any]]:
    """The outbox rows as (schema, event id, type, ticket, written, published), by writing time."""
    parsed = []
    tickets_of: dict[str, str] = {}
    for row in outbox:
        payload = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
        data = payload.get("data") or {}
        if "ticket_id" in data and "workflow_instance_id" in data:
            tickets_of[str(data["workflow_instance_id"])] = str(data["ticket_id"])
        parsed.append((row, payload.get("type", "?"), data))
    events = [
        {
            "schema": row["schema"],
            "event_id": row["event_id"],
            "type": kind,
            "ticket": _ticket_of(data, tickets_of),
            "written": row["created_at"],
            "published": row["published_at"],
        }
        for row, kind, data in parsed
    ]
    return sorted(events, key=lambda e: e["written"])


def inside(outbox: list[Any], inbox: list[Any]) -> list[tuple[str, int, float]]:
    """(event type → group → the next event that service wrote for the same ticket, count,
    applied → written ms): what each service did between hearing of a step and telling of the
    next."""
    events = _events(outbox)
    by_id = {e["event_id"]: e for e in events}
    # Each service's events per ticket, by writing time: the next one after a moment is a bisect.
    written_by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        if e["ticket"] is not None:
            written_by[(e["schema"], e["ticket"])].append(e)
    times = {key: [e["written"] for e in value] for key, value in written_by.items()}
    gaps: dict[str, list[float]] = defaultdict(list)
    for row in inbox:
        heard = by_id.get(row["event_id"])
        if heard is None or heard["ticket"] is None:
            continue
        schema = row["consumer_group"]
        key = (schema, heard["ticket"])
        at = bisect_right(times.get(key, []), row["handled_at"])
        if at < len(times.get(key, [])):
            following = written_by[key][at]
            gaps[f"{heard['type']} → {schema} → {following['type']}"].append(
                _ms(following["written"], row["handled_at"])
            )
    return [(name, len(values), median(values)) for name, values in gaps.items()]


def hops(outbox: list[Any], inbox: list[Any]) -> list[tuple[str, int, float, float]]:
    """(event type → group, count, relay ms, delivery ms), in the order the hops first happen."""
    handled: dict[Any, list[tuple[str, datetime]]] = defaultdict(list)
    for row in inbox:
        handled[row["event_id"]].append((row["consumer_group"], row["handled_at"]))
    figures: dict[str, tuple[list[float], list[float], datetime]] = {}
    for row in outbox:
        if row["published_at"] is None:
            continue
        payload = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
        kind = str(payload.get("type", "?"))
        for group, at in handled.get(row["event_id"], []):
            name = f"{kind} ({row['schema']}) → {group}"
            relay, delivery, first = figures.setdefault(name, ([], [], row["created_at"]))
            relay.append(_ms(row["published_at"], row["created_at"]))
            delivery.append(_ms(at, row["published_at"]))
            figures[name] = (relay, delivery, min(first, row["created_at"]))
    ordered = sorted(figures.items(), key=lambda item: item[1][2])
    return [(name, len(relay), median(relay), median(delivery)) for name, (relay, delivery, _) in ordered]


def print_hops(database_url: str, since: datetime) -> None:
    outbox, inbox = asyncio.run(_rows(database_url, since))
    rows = hops(outbox, inbox)
    if not rows:
        print("Hops: no events since the phase began")
        return
    width = max(len(name) for name, *_ in rows)
    print("\nHops of the one-at-a-time workflows, medians (relay: written → acknowledged by the broker;")
    print("delivery: acknowledged → the consumer's transaction began):")
    for name, count, relay, delivery in rows:
        print(f"  {name:<{width}}  {count:>4} times  relay {relay:6.1f} ms   delivery {delivery:6.1f} ms")
    steps = inside(outbox, inbox)
    if steps:
        width = max(len(name) for name, *_ in steps)
        print("Inside the services, medians (applied → the next event it wrote for the ticket):")
        for name, count, gap in steps:
            print(f"  {name:<{width}}  {count:>4} times  {gap:6.1f} ms")
