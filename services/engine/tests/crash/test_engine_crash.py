"""The engine process SIGKILLed in the middle of a run of 200 tickets: after a restart every
workflow completes, no task instance is duplicated and no transition runs twice.

Only the engine runs, as a real process; the test injects the definition and the tickets with a
plain Kafka producer and plays the action runner (answering every action request).
"""

import asyncio
import json
import signal
import time
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy.engine import make_url

from common.embedded import free_port
from common.kafka import ensure_topics
from contracts.actions import ActionSucceeded
from contracts.definitions import TaskDefinitionSpec, TransitionSpec, WorkflowDefinitionPublished
from contracts.envelope import Actor, EventPayload, envelope_for
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from contracts.topics import ACTIONS_REQUESTS
from devstack.stack import Infra, Stack
from engine.config import EngineSettings

TICKETS = 200
CRASH_AFTER = 250  # handled events before the kill: the definition, tickets and results interleave


def step(key: str) -> TaskDefinitionSpec:
    return TaskDefinitionSpec(
        key=key, name=key, task_type="SYNC_ACTION", action_url="http://127.0.0.1:9/x", timeout_seconds=30
    )


async def send(producer: AIOKafkaProducer, payload: EventPayload, company_id: UUID) -> None:
    envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("crash-test"))
    await producer.send(
        payload.topic,
        key=payload.aggregate_key().encode(),
        value=envelope.model_dump_json().encode(),
        headers=[("event-type", envelope.type.encode())],
    )


async def play_action_runner(bootstrap: str, company_id: UUID, producer: AIOKafkaProducer) -> None:
    consumer = AIOKafkaConsumer(
        ACTIONS_REQUESTS,
        bootstrap_servers=bootstrap,
        group_id=f"crash-runner-{uuid7()}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        async for message in consumer:
            envelope = json.loads(message.value)
            if envelope.get("company_id") != str(company_id):
                continue
            data = envelope["data"]
            await send(
                producer,
                ActionSucceeded(
                    request_id=data["request_id"],
                    workflow_instance_id=data["workflow_instance_id"],
                    task_instance_id=data["task_instance_id"],
                    attempt=data["attempt"],
                    output={"checked": True},
                ),
                company_id,
            )
    finally:
        await consumer.stop()


async def wait_for(
    conn: asyncpg.Connection, query: str, expected: int, company_id: UUID, within: float
) -> int:
    deadline = time.monotonic() + within
    value = -1
    while time.monotonic() < deadline:
        value = int(await conn.fetchval(query, company_id))
        if value >= expected:
            return value
        await asyncio.sleep(0.5)
    return value


@pytest.mark.slow
async def test_killed_engine_loses_nothing_and_repeats_nothing(
    settings: EngineSettings, private_kafka_bootstrap: str, tmp_path: Path
) -> None:
    kafka_bootstrap = private_kafka_bootstrap
    company_id = uuid7()
    group = f"engine-crash-{uuid7().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [f"{group}.dlt"])
    admin_url = settings.database_admin_url.get_secret_value()
    stack = Stack(
        infra=Infra(admin_url, kafka_bootstrap),
        data_dir=tmp_path,
        ports={"engine": free_port()},
        say=lambda m: None,
    )
    stack.extra_env.update(
        {
            "TF_ENV": "test",
            "ENGINE_CONSUMER_GROUP": group,
            "TF_CRASH_AT": f"consumer.{group}.before_commit",
            "TF_CRASH_AFTER": str(CRASH_AFTER),
        }
    )
    pg = await asyncpg.connect(
        make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    runner = asyncio.create_task(play_action_runner(kafka_bootstrap, company_id, producer))
    try:
        first = stack.start_one("engine")
        await asyncio.to_thread(stack.wait_ready, 90.0, ("engine",))
        await send(
            producer,
            WorkflowDefinitionPublished(
                workflow_definition_id=uuid7(),
                key="crash",
                version=1,
                name="crash",
                start_task="first",
                tasks=[step("first"), step("second")],
                transitions=[TransitionSpec(from_task="first", to_task="second", condition="checked = true")],
            ),
            company_id,
        )
        held = await wait_for(
            pg, "SELECT count(*) FROM engine.workflow_definitions WHERE company_id = $1", 1, company_id, 60
        )
        assert held == 1, "the engine never stored the definition"
        for n in range(TICKETS):
            ticket_id = uuid7()
            await send(
                producer,
                TicketSubmitted(
                    ticket_id=ticket_id,
                    number=f"CR-{n}",
                    title="crash",
                    ticket_definition_key="crash",
                    ticket_definition_version=1,
                    workflow_key="crash",
                    workflow_version=1,
                    ticket_data={"n": n},
                    submitted_by=None,
                ),
                company_id,
            )
        await producer.flush()

        code = await asyncio.to_thread(first.popen.wait, 120)
        assert code == -signal.SIGKILL, "the engine was not killed mid-run"
        stack.processes.pop("engine")
        done_at_kill = await pg.fetchval(
            "SELECT count(*) FROM engine.workflow_instances WHERE company_id = $1 AND status = 'COMPLETED'",
            company_id,
        )
        assert done_at_kill < TICKETS

        env = stack.env()
        env.pop("TF_CRASH_AT")
        stack.start_one("engine", env)
        completed = await wait_for(
            pg,
            "SELECT count(*) FROM engine.workflow_instances WHERE company_id = $1 AND status = 'COMPLETED'",
            TICKETS,
            company_id,
            180,
        )
        assert completed == TICKETS

        instances = await pg.fetchval(
            "SELECT count(*) FROM engine.workflow_instances WHERE company_id = $1", company_id
        )
        assert instances == TICKETS
        duplicated_tasks = await pg.fetchval(
            "SELECT count(*) FROM (SELECT 1 FROM engine.task_instances WHERE company_id = $1 "
            "GROUP BY workflow_instance_id, task_key HAVING count(*) > 1) d",
            company_id,
        )
        assert duplicated_tasks == 0
        assert (
            await pg.fetchval("SELECT count(*) FROM engine.task_instances WHERE company_id = $1", company_id)
            == 2 * TICKETS
        )
        transitions = await pg.fetch(
            "SELECT outcome, count(*) AS n FROM engine.decisions WHERE company_id = $1 GROUP BY outcome",
            company_id,
        )
        assert {r["outcome"]: r["n"] for r in transitions} == {"transition": TICKETS, "completed": TICKETS}
        completed_events = await pg.fetchval(
            "SELECT count(*) FROM engine.outbox WHERE payload->>'company_id' = $1 AND payload->>'type' = $2",
            str(company_id),
            "workflow.completed",
        )
        assert completed_events == TICKETS
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await producer.stop()
        await pg.close()
        stack.stop()
