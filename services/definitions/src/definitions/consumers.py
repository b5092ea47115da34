"""The `definitions` service consumes no events yet; it only produces through its outbox."""

from collections.abc import Sequence

from common.consumer import EventConsumer
from common.db import Database
from common.settings import ServiceSettings


def build_consumers(db: Database, settings: ServiceSettings) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    return []
