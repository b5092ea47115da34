"""Apache Kafka's own faults under load, through the gateway: a broker of a 3-node cluster
SIGKILLed and restarted, the single broker restarted with its data kept, and a consumer-group
rebalance as a second engine process joins and then leaves. Each run ends with every workflow
completed exactly once and each step seen by the partner under one idempotency key."""

import asyncio
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.embedded import ApacheKafka
from common.kafka import ensure_topics
from common.testing.infra import create_database, run_in_thread
from tests.faults.harness import Partner, System, assert_exactly_once, verdict

pytestmark = pytest.mark.slow

WORKFLOWS = 200
RATE = 10.0  # tickets submitted per second


def started(kafka: ApacheKafka) -> ApacheKafka:
    kafka.start()
    run_in_thread(asyncio.run, ensure_topics(kafka.bootstrap_servers))
    return kafka


@pytest.fixture
def partner() -> Iterator[Partner]:
    with Partner() as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def single_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApacheKafka]:
    kafka = started(ApacheKafka(tmp_path_factory.mktemp("kafka")))
    try:
        yield kafka
    finally:
        kafka.stop()


@pytest.fixture(scope="module")
def system_on_single_broker(
    single_broker: ApacheKafka, pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[System]:
    system = System(
        tmp_path_factory.mktemp("system"),
        None,
        create_database(pg_admin_url, "kfaults"),
        single_broker,
        "kafka",
    )
    system.start()
    try:
        yield system
    finally:
        system.stop()


def report(what: str, drain: float, repeats: int) -> None:
    print(
        f"\n{what}: all {WORKFLOWS} workflows completed {drain:.1f} s after the last submit; "
        f"{repeats} partner calls were retries under the same key"
    )


def test_a_broker_of_three_sigkilled_and_restarted_loses_and_repeats_nothing(
    pg_admin_url: str, tmp_path: Path, partner: Partner
) -> None:
    cluster = started(ApacheKafka(tmp_path / "kafka", nodes=3))
    system = System(tmp_path / "system", None, create_database(pg_admin_url, "kfaults3"), cluster, "kafka")
    try:
        system.start()
        company = system.sign_up(partner)
        killed_at: list[float] = []

        def fault(submitted: int) -> None:
            if submitted == WORKFLOWS // 3:
                cluster.kill_node(1)
                killed_at.append(time.monotonic())
            if submitted == 2 * WORKFLOWS // 3:
                cluster.start_node(1)

        company.submit_many(range(WORKFLOWS), RATE, fault)
        assert killed_at, "the broker was never killed"
        restarted = cluster.nodes[0].process
        assert restarted is not None
        assert restarted.poll() is None, "the killed broker did not come back"
        with system.database() as db:
            drain = db.wait_completed(company.company_id, WORKFLOWS, within=300)
        result = verdict(system, company, partner, WORKFLOWS)
        report("one of three brokers SIGKILLed and restarted", drain, result.repeats)
        assert_exactly_once(result, WORKFLOWS)
    finally:
        system.stop()
        cluster.stop()


def test_the_single_broker_restarted_with_its_data_loses_and_repeats_nothing(
    system_on_single_broker: System, single_broker: ApacheKafka, partner: Partner
) -> None:
    system = system_on_single_broker
    company = system.sign_up(partner, key="restart")
    restarted: list[bool] = []

    def fault(submitted: int) -> None:
        if submitted == WORKFLOWS // 3:
            single_broker.kill_node(1)
        if submitted == WORKFLOWS // 2:
            single_broker.start_node(1)
            restarted.append(True)

    company.submit_many(range(WORKFLOWS), RATE, fault)
    assert restarted, "the broker was never restarted"
    with system.database() as db:
        drain = db.wait_completed(company.company_id, WORKFLOWS, within=300)
    result = verdict(system, company, partner, WORKFLOWS)
    report("the single broker SIGKILLed and restarted with its data", drain, result.repeats)
    assert_exactly_once(result, WORKFLOWS)


def test_a_second_engine_joining_and_leaving_the_group_loses_and_repeats_nothing(
    system_on_single_broker: System, partner: Partner
) -> None:
    system = system_on_single_broker
    company = system.sign_up(partner, key="rebalance")
    joined: list[bool] = []

    def fault(submitted: int) -> None:
        if submitted == WORKFLOWS // 3:
            system.respawn("engine-2", service="engine")
            joined.append(True)
        if submitted == 2 * WORKFLOWS // 3:
            second = system.stack.processes.pop("engine-2")
            second.popen.send_signal(signal.SIGTERM)
            second.popen.wait(30)

    company.submit_many(range(WORKFLOWS), RATE, fault)
    assert joined, "the second engine never joined"
    with system.database() as db:
        drain = db.wait_completed(company.company_id, WORKFLOWS, within=300)
    result = verdict(system, company, partner, WORKFLOWS)
    report("a second engine joined and left the group", drain, result.repeats)
    assert_exactly_once(result, WORKFLOWS)
