"""The `engine` consumer group: the events this service applies."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database
from common.settings import ServiceSettings
from contracts.topics import ACTIONS_RESULTS, DEFINITIONS_EVENTS, IDENTITY_EVENTS, TICKETS_EVENTS

TOPICS = (
    IDENTITY_EVENTS,
    DEFINITIONS_EVENTS,
    TICKETS_EVENTS,
    ACTIONS_RESULTS,
)


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    consumer = EventConsumer(db, "engine", max_attempts=settings.consumer_max_attempts)
    return [(consumer, TOPICS)]
