"""`PartitionBatch.later`: the share's later events of a key, in order, without repeats, only
those with a handler, and none for an event that failed before."""

from collections.abc import Sequence
from uuid import UUID

from common.consumer import Delivery, PartitionBatch, _Item, _Route
from common.db import UnitOfWork
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for
from contracts.ids import uuid7

from ..demo_services import NoteCreated


async def _handler(payload: NoteCreated, envelope: Envelope, uow: UnitOfWork) -> None:
    return None


ROUTE = _Route(NoteCreated, _handler)


def new_envelope() -> Envelope:
    return envelope_for(
        NoteCreated(note_id=uuid7(), body="a note"), company_id=uuid7(), actor=Actor.system("demo")
    )


def item(key: str, offset: int, envelope: Envelope, *, routed: bool = True) -> _Item:
    delivery = Delivery("demo.notes", 0, offset, key, b"", {})
    payload = NoteCreated.model_validate(envelope.data)
    return _Item(delivery, envelope, ROUTE if routed else None, payload if routed else None)


def ids(found: Sequence[tuple[EventPayload, Envelope]]) -> list[UUID]:
    return [envelope.event_id for _, envelope in found]


def never(event_id: UUID) -> bool:
    return False


def test_later_gives_the_routed_events_after_it_of_its_key_in_order_once_each() -> None:
    a1, b1, a2, a3, b2, a4, unrouted, a5 = (new_envelope() for _ in range(8))
    share = [
        item("a", 0, a1),
        item("b", 1, b1),
        item("a", 2, a2),
        item("a", 3, a3),
        item("b", 4, b2),
        item("a", 5, a4),
        item("a", 6, a2),  # a2 delivered again
        item("a", 7, unrouted, routed=False),
        item("a", 8, a5),
    ]
    batch = PartitionBatch(share, never)

    assert ids(batch.later(a1)) == [e.event_id for e in (a2, a3, a4, a5)]
    # From an event's first place on; a repeat of an earlier event after it comes along once.
    assert ids(batch.later(a3)) == [e.event_id for e in (a4, a2, a5)]
    assert ids(batch.later(b1)) == [b2.event_id]
    assert batch.later(b2) == []
    assert batch.later(a5) == []


def test_an_event_that_failed_before_gets_nothing_and_is_not_given() -> None:
    a1, a2, a3 = (new_envelope() for _ in range(3))
    failed = {a2.event_id}
    batch = PartitionBatch([item("a", 0, a1), item("a", 1, a2), item("a", 2, a3)], failed.__contains__)
    assert ids(batch.later(a1)) == [a3.event_id]
    assert batch.later(a2) == []


def test_an_event_not_in_the_share_gets_nothing() -> None:
    batch = PartitionBatch([item("a", 0, new_envelope()), item("a", 1, new_envelope())], never)
    assert batch.later(new_envelope()) == []
