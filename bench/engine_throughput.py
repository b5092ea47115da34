"""The workflow engine end to end: the engine and the action runners as real processes on the
embedded Postgres and the chosen broker (or DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS), tickets
injected as `ticket submitted` events, three SYNC_ACTION steps against a local HTTP endpoint.

Prints workflows per second (ticket submitted → workflow completed), the CPU the engine and
Postgres spent per workflow and per engine step over the same phase (a workflow is four steps
of the engine: its start and one per action result), and the p50/p99 latency from ticket
submitted to first task assigned (a FORM workflow with one available worker).

`python -m bench.engine_throughput [workflows] [--broker embedded|kafka]` — bounded: it stops
once every workflow has completed or after a time limit.
"""

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench import infra as bench_infra
from bench.machine import ProcessTicks, cpu_ms, describe, percentile, postmaster_pid, tree_deltas
from bench.profile import profiles, summarize
from common.embedded import free_port
from common.testing.infra import create_database
from contracts.definitions import TaskDefinitionSpec, WorkflowDefinitionPublished
from contracts.envelope import Actor, EventPayload, envelope_for
from contracts.identity import UserCreated
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from contracts.topics import ENGINE_EVENTS
from devstack.stack import Infra, Stack
from devstack.workloads import three_action_workflow

TIME_LIMIT = 300.0


class Endpoint(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


async def send(producer: AIOKafkaProducer, payload: EventPayload, company_id: UUID) -> None:
    envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("bench"))
    await producer.send(
        payload.topic, key=payload.aggregate_key().encode(), value=envelope.model_dump_json().encode()
    )


async def wait_until(done: Callable[[], bool], deadline: float) -> None:
    for _ in range(int(TIME_LIMIT * 10)):
        if done() or time.monotonic() > deadline:
            return
        await asyncio.sleep(0.1)


def ticket(workflow_key: str, n: int) -> TicketSubmitted:
    return TicketSubmitted(
        ticket_id=uuid7(),
        number=f"B-{n}",
        title="bench",
        ticket_definition_key=workflow_key,
        ticket_definition_version=1,
        workflow_key=workflow_key,
        workflow_version=1,
        ticket_data={"n": n},
        submitted_by=None,
    )


# The engine's steps per workflow: the ticket starts it, and each of the three results moves it.
STEPS_PER_WORKFLOW = 4


async def measure(kafka: str, port: int, workflows: int, broker: str, trees: dict[str, int]) -> None:
    company_id = uuid7()
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all", linger_ms=2)
    await producer.start()
    events = AIOKafkaConsumer(
        ENGINE_EVENTS,
        bootstrap_servers=kafka,
        group_id=f"bench-{uuid7().hex[:8]}",
        auto_offset_reset="latest",
    )
    await events.start()
    seen: dict[str, dict[str, float]] = {"workflow.completed": {}, "task.assigned": {}}
    started: dict[str, float] = {}

    async def watch() -> None:
        async for message in events:
            envelope = json.loads(message.value)
            if envelope.get("company_id") == str(company_id) and envelope["type"] in seen:
                seen[envelope["type"]].setdefault(envelope["data"]["ticket_id"], time.perf_counter())

    watcher = asyncio.create_task(watch())
    url = f"http://127.0.0.1:{port}/step"
    await send(producer, three_action_workflow("bench_actions", url), company_id)
    form = TaskDefinitionSpec(key="review", name="Review", task_type="FORM")
    await send(
        producer,
        WorkflowDefinitionPublished(
            workflow_definition_id=uuid7(),
            key="bench_form",
            version=1,
            name="bench form",
            start_task="review",
            tasks=[form],
            transitions=[],
        ),
        company_id,
    )
    await send(
        producer,
        UserCreated(
            user_id=uuid7(),
            email="bench@example.com",
            first_name="Bench",
            last_name="Worker",
            is_active=True,
            system_roles=["user", "task_worker"],
            company_roles=["user"],
        ),
        company_id,
    )
    await producer.flush()
    await asyncio.sleep(3.0)  # the definitions and the worker reach the engine first

    ticks_before = ProcessTicks()
    began = time.perf_counter()
    for n in range(workflows):
        payload = ticket("bench_actions", n)
        started[str(payload.ticket_id)] = time.perf_counter()
        await send(producer, payload, company_id)
    await producer.flush()
    deadline = time.monotonic() + TIME_LIMIT
    await wait_until(lambda: len(seen["workflow.completed"]) >= workflows, deadline)
    spent = tree_deltas(ticks_before, ProcessTicks(), trees, {})
    completed = seen["workflow.completed"]
    elapsed = (max(completed.values()) - began) if completed else float("nan")

    form_tickets = max(20, workflows // 5)
    for n in range(form_tickets):
        payload = ticket("bench_form", n)
        started[str(payload.ticket_id)] = time.perf_counter()
        await send(producer, payload, company_id)
        await asyncio.sleep(0.05)
    await producer.flush()
    await wait_until(lambda: len(seen["task.assigned"]) >= form_tickets, deadline)
    assigned = [at - started[t] for t, at in seen["task.assigned"].items() if t in started]

    watcher.cancel()
    await asyncio.gather(watcher, return_exceptions=True)
    await events.stop()
    await producer.stop()

    print(f"Machine: {describe()}")
    print(f"Broker: {broker}")
    print(
        f"Workflows (3 sync actions each) completed: {len(completed)}/{workflows} in {elapsed:.1f}s"
        f" = {len(completed) / elapsed:.1f} workflows/s"
    )
    for name, ticks in spent.items():
        per_workflow = cpu_ms(ticks) / max(1, len(completed))
        print(
            f"{name} CPU: {per_workflow:.1f} ms per workflow, "
            f"{per_workflow / STEPS_PER_WORKFLOW:.1f} ms per engine step"
        )
    print(
        f"Ticket submitted -> first task assigned ({len(assigned)}/{form_tickets} tickets): "
        f"p50 {percentile(assigned, 0.5) * 1000:.0f} ms, p99 {percentile(assigned, 0.99) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workflows", nargs="?", type=int, default=200)
    bench_infra.add_broker_argument(parser)
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="sample the engine with py-spy into DIR and summarise"
    )
    args = parser.parse_args()
    workflows = max(1, min(args.workflows, 10_000))
    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-engine-"))
    infra = bench_infra.start(data_dir, args.broker)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stack = Stack(
        infra=Infra(
            create_database(infra.database_url, "bench_engine"),
            infra.kafka_bootstrap_servers,
            broker=infra.broker,
        ),
        data_dir=data_dir,
        ports={"engine": free_port(), "actions": free_port()},
        say=lambda m: None,
    )
    stack.extra_env.update(
        {"TF_ENV": "test", "ACTIONS_ALLOW_PRIVATE_TARGETS": "true", "LOG_LEVEL": "WARNING"}
    )
    try:
        for name in ("engine", "actions"):
            env = stack.env()
            result = subprocess.run(
                [sys.executable, "-m", name, "migrate"], env=env, capture_output=True, text=True
            )
            if result.returncode != 0:
                raise RuntimeError(f"migrating {name} failed:\n{result.stderr[-2000:]}")
            stack.start_one(name)
        stack.wait_ready(120)
        trees = {name: process.popen.pid for name, process in stack.processes.items()}
        if infra.postgres is not None:
            trees["Postgres"] = postmaster_pid(infra.postgres.pgdata)
        sampling = (
            profiles({"engine": stack.processes["engine"].popen.pid}, args.profile)
            if args.profile
            else contextlib.nullcontext()
        )
        with sampling:
            asyncio.run(
                measure(
                    infra.kafka_bootstrap_servers,
                    server.server_address[1],
                    workflows,
                    bench_infra.describe(infra),
                    trees,
                )
            )
        if args.profile:
            summarize(args.profile)
    finally:
        stack.stop()
        server.shutdown()
        infra.stop()


if __name__ == "__main__":
    main()
