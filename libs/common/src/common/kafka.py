"""The Kafka side of every service: the FastStream broker factory and topic creation."""

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import trace

from contracts.topics import PARTITIONS, every_topic

log = logging.getLogger(__name__)


def create_broker(bootstrap_servers: str, client_id: str) -> KafkaBroker:
    """The one broker of a process. Consumers carry `traceparent` from Kafka headers into their
    spans through the telemetry middleware."""
    return KafkaBroker(
        bootstrap_servers.split(","),
        client_id=client_id,
        middlewares=(KafkaTelemetryMiddleware(tracer_provider=trace.get_tracer_provider()),),
        logger=logging.getLogger(f"{client_id}.broker"),
        graceful_timeout=10.0,
    )


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[str] | None = None, partitions: int = PARTITIONS
) -> None:
    """Create the topics that are missing (idempotent; real clusters may create them ahead),
    replicated on up to three brokers of the cluster."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers.split(","))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in (topics or every_topic()) if t not in existing]
        if missing:
            cluster = await admin.describe_cluster()
            replicas = max(1, min(3, len(cluster.get("brokers", []))))
            try:
                await admin.create_topics([NewTopic(name, partitions, replicas) for name in missing])
            except TopicAlreadyExistsError:
                log.info("topics created concurrently: %s", missing)
    finally:
        await admin.close()
