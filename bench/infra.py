"""The infrastructure a benchmark starts: the embedded Postgres and the broker chosen with
`--broker` (the embedded Tansu broker, or Apache Kafka from Maven Central jars), unless
`DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS` name real servers.

    parser = argparse.ArgumentParser()
    add_broker_argument(parser)
    args = parser.parse_args()
    infra = start(data_dir, args.broker)
    print(f"Broker: {describe(infra)}")
"""

import argparse
from collections.abc import Mapping
from pathlib import Path

from common.embedded import BrokerKind, broker_kind, free_port, kafka_version
from devstack.stack import Infra, start_infra

BROKERS: tuple[BrokerKind, ...] = ("embedded", "kafka")


def add_broker_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--broker",
        choices=BROKERS,
        default=broker_kind(),
        help="embedded: the Tansu broker; kafka: Apache Kafka (KRaft). Default: TF_BROKER, else embedded.",
    )


def start(
    data_dir: Path, broker: BrokerKind, *, durable: bool = True, pg_settings: Mapping[str, str] | None = None
) -> Infra:
    """Durable Postgres and the broker, on free ports, with their data under `data_dir`."""
    return start_infra(
        data_dir,
        lambda m: None,
        pg_port=free_port(),
        kafka_port=free_port(),
        broker=broker,
        durable=durable,
        pg_settings=pg_settings,
    )


def describe(infra: Infra) -> str:
    if infra.kafka is None:
        return f"{infra.broker} at {infra.kafka_bootstrap_servers} (named by KAFKA_BOOTSTRAP_SERVERS)"
    if infra.broker == "kafka":
        return f"Apache Kafka {kafka_version()} (KRaft, one node) at {infra.kafka_bootstrap_servers}"
    return f"embedded Tansu broker at {infra.kafka_bootstrap_servers}"
