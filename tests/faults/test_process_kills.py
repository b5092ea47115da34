"""Processes die under load, the way operations would see it: tickets go in through the gateway
at a steady rate while the engine, the action runners, the tickets service, the gateway and
Postgres are each SIGKILLed in turn and respawned with the same command and environment.

Afterwards every ticket answered 201 exists, none is doubled, each has one workflow instance
and every instance completed; the partner saw each (ticket, step) under one idempotency key
(retries with that key are allowed, and counted). The drain time after each kill is printed.
"""

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.embedded import EmbeddedPostgres, broker_kind, free_port
from common.kafka import ensure_topics
from common.testing.infra import new_broker, run_in_thread
from tests.faults.harness import Partner, System, assert_exactly_once, verdict

pytestmark = pytest.mark.slow

RATE = 6.0  # tickets submitted per second, all through the kill sequence
VICTIMS = ("engine", "actions", "tickets", "gateway", "postgres")


@pytest.fixture
def durable_postgres(tmp_path: Path) -> Iterator[EmbeddedPostgres]:
    """A Postgres of the test's own, durable as `make run` runs it, so it can be killed."""
    postgres = EmbeddedPostgres(tmp_path / "postgres", free_port(), durable=True)
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.stop()


def test_every_process_killed_in_turn_under_load_loses_and_repeats_nothing(
    durable_postgres: EmbeddedPostgres, tmp_path: Path
) -> None:
    broker = new_broker()
    broker.start()
    run_in_thread(asyncio.run, ensure_topics(broker.bootstrap_servers))
    system = System(tmp_path / "system", durable_postgres, durable_postgres.url, broker, broker_kind())
    stop = threading.Event()
    submitted: list[int] = []
    try:
        system.start()
        with Partner() as partner:
            company = system.sign_up(partner)
            load = threading.Thread(target=lambda: submitted.append(company.submit_until(stop, RATE)))
            load.start()
            drains: dict[str, float] = {}
            try:
                for victim in VICTIMS:
                    time.sleep(3.0)
                    if victim == "postgres":
                        durable_postgres.kill()
                        durable_postgres.start()
                    else:
                        system.kill(victim)
                        system.respawn(victim)
                    respawned = time.monotonic()
                    backlog = len(company.accepted)
                    with system.database() as db:
                        db.wait_completed(company.company_id, backlog, within=240)
                    drains[victim] = time.monotonic() - respawned
            finally:
                stop.set()
                load.join()
            total = submitted[0]
            with system.database() as db:
                last = db.wait_completed(company.company_id, total, within=300)
            result = verdict(system, company, partner, total)
        print(
            f"\n{total} tickets submitted at {RATE:.0f}/s through the kills; partner retries under "
            f"the same key: {result.repeats}; drained after the last submit in {last:.1f} s"
        )
        for victim, seconds in drains.items():
            print(f"  {victim} SIGKILLed and respawned: backlog drained in {seconds:.1f} s")
        assert_exactly_once(result, total)
    finally:
        stop.set()
        system.stop()
        broker.stop()
