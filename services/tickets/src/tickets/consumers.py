"""The `tickets` consumer group: the events this service applies."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database
from common.settings import ServiceSettings
from contracts.topics import DEFINITIONS_EVENTS, ENGINE_EVENTS

TOPICS = (
    DEFINITIONS_EVENTS,
    ENGINE_EVENTS,
)


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    consumer = EventConsumer(db, "tickets", max_attempts=settings.consumer_max_attempts)
    return [(consumer, TOPICS)]
