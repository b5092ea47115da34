"""The `actions` consumer group: the events this service applies."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database
from common.settings import ServiceSettings
from contracts.topics import ACTIONS_REQUESTS

TOPICS = (ACTIONS_REQUESTS,)


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    consumer = EventConsumer(db, "actions", max_attempts=settings.consumer_max_attempts)
    return [(consumer, TOPICS)]
