"""The CPU one engine step costs, without the broker: the engine's consumer applies contract
events handed to it directly (each its own batch of one, as a quiet partition delivers them), in
this process, on an embedded Postgres of its own.

Each workflow is four steps: the ticket starts it at the first of three SYNC_ACTION tasks, and
each action's result finishes that task and starts the next (the last one completes the
workflow). Prints the CPU this process spent applying the events (only while the consumer
handles them, not while the benchmark reads the next request back) and what Postgres spent over
the same loop, per step.

`python -m bench.engine_step [workflows] [--profile DIR]` — py-spy samples this process into
DIR when asked (`pip install py-spy`).
"""

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from bench.machine import ProcessTicks, cpu_ms, describe, postmaster_pid
from bench.profile import profiles, summarize
from common.consumer import Delivery, EventConsumer
from common.db import Database
from common.embedded import EmbeddedPostgres, free_port
from common.settings import DEV_CLAIMS_SECRET
from common.testing.infra import create_database, run_in_thread
from contracts.actions import ActionSucceeded
from contracts.engine import ActionRequested
from contracts.envelope import Actor, EventPayload, envelope_for
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from devstack.workloads import three_action_workflow
from engine.config import MIGRATIONS_DIR, EngineSettings
from engine.consumers import build_engine_consumer

STEPS_PER_WORKFLOW = 4
WARM_UP = 20


class Feeder:
    def __init__(self, db: Database, consumer: EventConsumer, company_id: UUID) -> None:
        self.db = db
        self.consumer = consumer
        self.company_id = company_id
        self.offset = 0
        self.cpu = 0.0

    async def feed(self, payload: EventPayload) -> None:
        envelope = envelope_for(payload, company_id=self.company_id, actor=Actor.system("bench"))
        self.offset += 1
        delivery = Delivery("bench", 0, self.offset, None, envelope.model_dump_json().encode(), {})
        began = time.process_time()
        await self.consumer.handle(delivery)
        self.cpu += time.process_time() - began

    async def last_request(self) -> dict[str, Any]:
        """The action request the last step wrote to the outbox."""
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session:
            payload = await session.scalar(
                select(outbox.c.payload)
                .where(outbox.c.headers["event-type"].astext == ActionRequested.event_type)
                .order_by(outbox.c.position.desc())
                .limit(1)
            )
        assert payload is not None, "the step requested no action"
        data: dict[str, Any] = payload["data"]
        return data


async def run_workflow(feeder: Feeder, n: int) -> None:
    await feeder.feed(
        TicketSubmitted(
            ticket_id=uuid7(),
            number=f"B-{n}",
            title="bench",
            ticket_definition_key="bench",
            ticket_definition_version=1,
            workflow_key="bench",
            workflow_version=1,
            ticket_data={"n": n},
            submitted_by=None,
        )
    )
    for step in range(3):
        request = await feeder.last_request()
        await feeder.feed(
            ActionSucceeded(
                request_id=UUID(request["request_id"]),
                workflow_instance_id=UUID(request["workflow_instance_id"]),
                task_instance_id=UUID(request["task_instance_id"]),
                attempt=request["attempt"],
                output={f"step{step}": True},
            )
        )


async def measure(settings: EngineSettings, workflows: int, postgres_pid: int) -> None:
    db = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=2)
    feeder = Feeder(db, build_engine_consumer(db, settings), uuid7())
    await feeder.feed(three_action_workflow("bench", "http://127.0.0.1:9/step"))
    for n in range(WARM_UP):
        await run_workflow(feeder, n)
    feeder.cpu = 0.0
    before = ProcessTicks()
    began = time.perf_counter()
    for n in range(workflows):
        await run_workflow(feeder, WARM_UP + n)
    elapsed = time.perf_counter() - began
    postgres = cpu_ms(ProcessTicks().tree(postgres_pid) - before.tree(postgres_pid))
    await db.dispose()
    count = workflows * STEPS_PER_WORKFLOW
    print(f"Machine: {describe()}")
    print(f"{count} engine steps ({workflows} workflows) in {elapsed:.1f}s")
    print(f"engine CPU per step: {feeder.cpu * 1000 / count:.2f} ms (applying the events only)")
    print(f"Postgres CPU per step: {postgres / count:.2f} ms (with the benchmark's own reads)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workflows", nargs="?", type=int, default=300)
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="sample this process with py-spy into DIR"
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-step-"))
    pg = EmbeddedPostgres(data_dir, free_port(), durable=False)
    pg.start()
    try:
        from common.migrations import migrate

        settings = EngineSettings(
            env="test",
            database_admin_url=create_database(pg.url, "bench_step"),
            kafka_bootstrap_servers="127.0.0.1:9",
            claims_secret=DEV_CLAIMS_SECRET,
        )
        run_in_thread(migrate, settings, MIGRATIONS_DIR)
        sampling = (
            profiles({"engine": os.getpid()}, args.profile) if args.profile else contextlib.nullcontext()
        )
        with sampling:
            asyncio.run(measure(settings, max(1, min(args.workflows, 10_000)), postmaster_pid(pg.pgdata)))
        if args.profile:
            summarize(args.profile)
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
