"""Action runner scale-out: 1, 2 and 4 runner processes (`python -m actions serve`) over the
same backlog of actions against a slow endpoint, printing actions/s for each count.

    python -m bench.actions_scaleout [--actions 200] [--delay-ms 200] [--runners 1,2,4]

Postgres and Kafka: the ones `TEST_DATABASE_URL`/`DATABASE_URL` and `KAFKA_BOOTSTRAP_SERVERS`
name, else the embedded ones. The fleet helpers are also used by the runner crash test.
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy.engine import make_url

from common.embedded import free_port
from common.testing.infra import create_database, postgres_admin_url, private_kafka
from contracts.engine import ActionRequested
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from contracts.topics import ACTIONS_REQUESTS


class SlowEndpoint:
    """A receiving system that takes `delay_ms` per call and counts the calls per key."""

    def __init__(self, delay_ms: int) -> None:
        self.delay = delay_ms / 1000
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with endpoint.lock:
                    key = self.headers.get("idempotency-key", "")
                    endpoint.calls[key] = endpoint.calls.get(key, 0) + 1
                time.sleep(endpoint.delay)
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/work"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Fleet:
    """Runner processes of one `actions` database, and the backlog they work through."""

    database_url: str
    kafka: str
    log_dir: Path
    workers: int = 1
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    company_id: UUID = field(default_factory=uuid7)
    # A group of its own, so runners of an earlier fleet on the same broker never join it.
    group: str = field(default_factory=lambda: f"actions-{uuid7().hex[:12]}")

    def env(self, port: int) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            KAFKA_BOOTSTRAP_SERVERS=self.kafka,
            TF_ENV="test",
            ACTIONS_PORT=str(port),
            ACTIONS_ALLOW_PRIVATE_TARGETS="true",
            ACTIONS_CONSUMER_WORKERS=str(self.workers),
            ACTIONS_CONSUMER_GROUP=self.group,
            ACTIONS_OUTBOX_POLL_SECONDS="0.2",
            PYTHONUNBUFFERED="1",
        )
        return env

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "actions", "migrate"], env=self.env(0), check=True, capture_output=True
        )

    def start(self, count: int) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(count):
            port = free_port()
            with open(self.log_dir / f"runner-{port}.log", "ab") as out:
                self.processes[port] = subprocess.Popen(
                    [sys.executable, "-m", "actions", "serve"],
                    env=self.env(port),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
        deadline = time.monotonic() + 120
        with httpx.Client(timeout=2.0) as client:
            for port, process in self.processes.items():
                while True:
                    if process.poll() is not None:
                        raise RuntimeError(f"runner on {port} exited; see {self.log_dir}")
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                            break
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"runner on {port} not ready")
                    time.sleep(0.2)

    def kill_one(self) -> None:
        port, process = next(iter(self.processes.items()))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        del self.processes[port]

    def stop(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    async def enqueue(self, url: str, count: int) -> list[UUID]:
        """`count` SYNC_ACTION requests, each of its own workflow instance (so they spread over
        every partition)."""
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.split(","), linger_ms=5)
        await producer.start()
        ids: list[UUID] = []
        try:
            sends = []
            for _ in range(count):
                request = ActionRequested(
                    request_id=uuid7(),
                    workflow_instance_id=uuid7(),
                    task_instance_id=uuid7(),
                    attempt=1,
                    task_type="SYNC_ACTION",
                    action_url=url,
                    timeout_seconds=10,
                    max_retries=3,
                    workflow_data={"n": len(ids)},
                )
                ids.append(request.request_id)
                envelope = envelope_for(request, company_id=self.company_id, actor=Actor.system("bench"))
                sends.append(
                    await producer.send(
                        ACTIONS_REQUESTS,
                        key=str(request.workflow_instance_id).encode(),
                        value=envelope.model_dump_json().encode(),
                        headers=[("event-type", envelope.type.encode())],
                    )
                )
            await asyncio.gather(*sends)
        finally:
            await producer.stop()
        return ids

    async def _connect(self) -> asyncpg.Connection:
        url = make_url(self.database_url).set(drivername="postgresql")
        return await asyncpg.connect(url.render_as_string(hide_password=False))

    async def finished(self, ids: list[UUID]) -> int:
        conn = await self._connect()
        try:
            return int(
                await conn.fetchval(
                    "SELECT count(*) FROM actions.action_attempts "
                    "WHERE request_id = ANY($1::uuid[]) AND outcome <> 'running'",
                    ids,
                )
            )
        finally:
            await conn.close()

    async def wait_finished(self, ids: list[UUID], limit: float) -> float:
        started = time.monotonic()
        while await self.finished(ids) < len(ids):
            if time.monotonic() - started > limit:
                raise TimeoutError(f"{await self.finished(ids)} of {len(ids)} actions done after {limit}s")
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def results_per_request(self, ids: list[UUID]) -> dict[str, list[str]]:
        """The result events each request put in the outbox (the one source of
        `actions.results`)."""
        conn = await self._connect()
        try:
            rows = await conn.fetch(
                "SELECT payload FROM actions.outbox WHERE topic = 'actions.results' "
                "AND (payload->'data'->>'request_id')::uuid = ANY($1::uuid[])",
                ids,
            )
        finally:
            await conn.close()
        found: dict[str, list[str]] = {str(i): [] for i in ids}
        for row in rows:
            payload = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
            found[payload["data"]["request_id"]].append(payload["type"])
        return found


@contextlib.contextmanager
def fleet_on_fresh_database(workers: int = 1) -> Iterator[Fleet]:
    admin = postgres_admin_url()
    # A broker of its own: the backlog is exactly the requests the fleet is given.
    with private_kafka() as kafka:
        fleet = Fleet(
            create_database(admin, "bench_actions"),
            kafka,
            Path(tempfile.mkdtemp(prefix="tf-actions-fleet-")),
            workers=workers,
        )
        fleet.migrate()
        try:
            yield fleet
        finally:
            fleet.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--runners", default="1,2,4")
    parser.add_argument("--workers", type=int, default=1, help="group members per runner process")
    args = parser.parse_args()
    endpoint = SlowEndpoint(args.delay_ms)
    print(
        f"{args.actions} actions, endpoint {args.delay_ms} ms per call, "
        f"{args.workers} consumers per runner, 8 partitions"
    )
    try:
        for count in (int(n) for n in args.runners.split(",")):
            # Each runner count starts from nothing: its own database, broker and group.
            with fleet_on_fresh_database(args.workers) as fleet:
                fleet.start(count)
                # Let the group settle: a warm-up round touches every partition.
                warmup = asyncio.run(fleet.enqueue(endpoint.url, 16))
                asyncio.run(fleet.wait_finished(warmup, 120))
                time.sleep(2)
                ids = asyncio.run(fleet.enqueue(endpoint.url, args.actions))
                elapsed = asyncio.run(fleet.wait_finished(ids, 600))
                print(
                    f"runners={count}: {args.actions / elapsed:6.1f} actions/s ({elapsed:.1f} s)", flush=True
                )
    finally:
        endpoint.close()


if __name__ == "__main__":
    main()
