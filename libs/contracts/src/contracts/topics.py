"""Topic names and partition counts, shared by producers, consumers and the deployments."""

from contracts.services import SERVICES

IDENTITY_EVENTS = "identity.events"
DEFINITIONS_EVENTS = "definitions.events"
TICKETS_EVENTS = "tickets.events"
ENGINE_EVENTS = "engine.events"
ACTIONS_REQUESTS = "actions.requests"
ACTIONS_RESULTS = "actions.results"
TICKETS_INBOUND = "tickets.inbound"

PARTITIONS = 8

# One consumer group per service, named after it.
CONSUMER_GROUPS = SERVICES

ALL_TOPICS = (
    IDENTITY_EVENTS,
    DEFINITIONS_EVENTS,
    TICKETS_EVENTS,
    ENGINE_EVENTS,
    ACTIONS_REQUESTS,
    ACTIONS_RESULTS,
    TICKETS_INBOUND,
)


def dead_letter_topic(group: str) -> str:
    return f"{group}.dlt"


def every_topic() -> tuple[str, ...]:
    return ALL_TOPICS + tuple(dead_letter_topic(g) for g in CONSUMER_GROUPS)
