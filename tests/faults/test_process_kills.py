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
from tests.faults.harness import Company, Partner, System, assert_exactly_once, verdict

pytestmark = pytest.mark.slow

TICKETS = 200
RATE = 5.0  # tickets submitted per second: the kills all fall inside the load
VICTIMS = ("engine", "actions", "tickets", "gateway", "postgres")


class DrainWatch:
    """After each respawn, how long until every ticket accepted by then has completed,
    watched in the background so the kill sequence keeps its pace."""

    def __init__(self, system: System, company: Company) -> None:
        self.system = system
        self.company = company
        self.pending: list[tuple[str, float, int]] = []
        self.drained: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def respawned(self, victim: str) -> None:
        self.pending.append((victim, time.monotonic(), len(self.company.accepted)))

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self._check()

    def _check(self) -> None:
        with self.system.database() as db:
            done = db.completed(self.company.company_id)
        for entry in list(self.pending):
            victim, at, backlog = entry
            if done >= backlog:
                self.drained[victim] = time.monotonic() - at
                self.pending.remove(entry)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._check()


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
    try:
        system.start()
        with Partner() as partner:
            company = system.sign_up(partner)
            load = threading.Thread(target=company.submit_many, args=(range(TICKETS), RATE))
            load.start()
            watch = DrainWatch(system, company)
            try:
                for victim in VICTIMS:
                    time.sleep(1.0)
                    if victim == "postgres":
                        durable_postgres.kill()
                        durable_postgres.start()
                    else:
                        system.kill(victim)
                        system.respawn(victim)
                    watch.respawned(victim)
            finally:
                load.join()
            assert len(company.accepted) == TICKETS, "a submit never got its answer"
            with system.database() as db:
                last = db.wait_completed(company.company_id, TICKETS, within=600)
            watch.stop()
            result = verdict(system, company, partner, TICKETS)
        print(
            f"\n{TICKETS} tickets submitted at {RATE:.0f}/s through the kills; partner retries under "
            f"the same key: {result.repeats}; all completed {last:.1f} s after the last submit"
        )
        for victim in VICTIMS:
            drained = watch.drained.get(victim)
            print(
                f"  {victim} SIGKILLed and respawned: backlog drained in "
                + (f"{drained:.1f} s" if drained is not None else "(not measured)")
            )
        assert_exactly_once(result, TICKETS)
    finally:
        system.stop()
        broker.stop()
