"""The `actions` consumer group: every runner process consumes `actions.requests` in it."""

from collections.abc import Sequence

from actions.config import ActionsSettings
from actions.runner.service import ActionRunner
from common.consumer import EventConsumer
from common.db import Database
from contracts.engine import ActionRequested
from contracts.topics import ACTIONS_REQUESTS

TOPICS = (ACTIONS_REQUESTS,)


def build_consumer(db: Database, settings: ActionsSettings, runner: ActionRunner) -> EventConsumer:
    # The handler only records the request as a job; the pool makes the calls.
    consumer = EventConsumer.for_service(db, settings)
    consumer.on(ActionRequested)(runner.handle)
    return consumer


def build_consumers(
    db: Database, settings: ActionsSettings, runner: ActionRunner
) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    return [(build_consumer(db, settings, runner), TOPICS)]
