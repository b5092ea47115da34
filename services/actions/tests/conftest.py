"""Fixtures of the actions tests: a migrated database, a real HTTP server standing in for the
receiving systems, and helpers to feed action requests to the runner's consumer."""

import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from actions.config import MIGRATIONS_DIR, ActionsSettings
from actions.consumers import build_consumer
from actions.runner.guard import Resolver
from actions.runner.pool import ActionPool
from actions.runner.service import ActionRunner
from common.consumer import Delivery, EventConsumer
from common.db import Database
from common.testing.infra import migrated_settings, rolled_back_database
from contracts.engine import ActionRequested
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from contracts.topics import ACTIONS_RESULTS


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> ActionsSettings:
    return migrated_settings(ActionsSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS_DIR)


@pytest.fixture
async def db(settings: ActionsSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1: `/echo`, `/slow/<ms>`, `/flaky/<key>` (the first call
    stalls 3 s), `/status/<code>`, `/redirect` (to the cloud metadata address), `/accept`,
    `/gauge/<tag>/<ms>` (takes `ms`, counting how many calls of the tag overlap)."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    seen_keys: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # `/gauge/<tag>/<ms>`: calls of each tag being answered now, and the most at once.
    active: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def calls_to(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in {"content-type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with receiver.lock:
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                first = self.path not in receiver.seen_keys
                receiver.seen_keys.add(self.path)
            parts = self.path.strip("/").split("/")
            if parts[0] == "echo":
                self._reply(200, json.dumps({"received": json.loads(body), "status": "done"}).encode())
            elif parts[0] == "slow":
                time.sleep(int(parts[1]) / 1000)
                self._reply(200, b'{"ok": true}')
            elif parts[0] == "gauge":
                tag = parts[1]
                with receiver.lock:
                    receiver.active[tag] = receiver.active.get(tag, 0) + 1
                    receiver.peak[tag] = max(receiver.peak.get(tag, 0), receiver.active[tag])
                time.sleep(int(parts[2]) / 1000)
                with receiver.lock:
                    receiver.active[tag] -= 1
                self._reply(200, b'{"ok": true}')
            elif parts[0] == "flaky":
                if first:
                    time.sleep(3)
                self._reply(200, b'{"ok": true, "tries": "several"}')
            elif parts[0] == "status":
                code = int(parts[1])
                self._reply(code, b'{"error": "boom"}' + b"x" * 2000, {"retry-after": "0"})
            elif parts[0] == "redirect":
                self._reply(302, b"", {"location": "http://169.254.169.254/latest/meta-data/"})
            elif parts[0] == "accept":
                self._reply(202, b'{"accepted": true}')
            elif parts[0] == "big":
                self._reply(200, b'{"pad": "' + b"x" * 3_000_000 + b'"}')
            else:
                self._reply(404, b"{}")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    # Many calls connect at once (a runner's pool); the default backlog of 5 would make the
    # rest retry their connection a second later.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A runner that gave up on a stalled call closes the socket; that is expected."""


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = _QuietServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def loopback_resolver(names: dict[str, str]) -> Resolver:
    async def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        raise OSError(f"unknown host {host}")

    return resolve


def action_request(company_id: UUID, url: str, **overrides: Any) -> tuple[ActionRequested, Delivery]:
    fields: dict[str, Any] = {
        "request_id": uuid7(),
        "workflow_instance_id": uuid7(),
        "task_instance_id": uuid7(),
        "attempt": 1,
        "task_type": "SYNC_ACTION",
        "action_url": url,
        "timeout_seconds": 5,
        "workflow_data": {"customer": {"name": "Ada", "tier": "gold"}, "amount": 42},
    }
    fields.update(overrides)
    request = ActionRequested(**fields)
    envelope = envelope_for(request, company_id=company_id, actor=Actor.system("engine"))
    delivery = Delivery(
        topic="actions.requests",
        partition=0,
        offset=0,
        key=str(request.workflow_instance_id),
        body=envelope.model_dump_json().encode(),
        headers={},
    )
    return request, delivery


async def results_in(db: Database, request_id: UUID) -> list[dict[str, Any]]:
    """The envelopes this request put in the outbox for `actions.results`."""
    outbox = db.tables.outbox
    async with db.new_session() as session:
        rows = (
            await session.execute(
                select(outbox.c.payload).where(outbox.c.topic == ACTIONS_RESULTS).order_by(outbox.c.position)
            )
        ).scalars()
        return [row for row in rows if row["data"]["request_id"] == str(request_id)]


@dataclass
class RunnerHarness:
    runner: ActionRunner
    consumer: EventConsumer
    pool: ActionPool
    settings: ActionsSettings

    async def handle(self, delivery: Delivery) -> None:
        """Feed the request to the consumer, then let the pool run every job it queued."""
        await self.consumer.handle(delivery)
        await self.pool.drain()


RunnerFactory = Callable[..., Awaitable[RunnerHarness]]
RequestFactory = Callable[..., tuple[ActionRequested, Delivery]]
ResultsReader = Callable[[Database, UUID], Awaitable[list[dict[str, Any]]]]
ResolverFactory = Callable[[dict[str, str]], Resolver]


def tuned_settings(settings: ActionsSettings, **overrides: Any) -> ActionsSettings:
    return settings.model_copy(
        update={"backoff_base_seconds": 0.01, "backoff_max_seconds": 0.05, **overrides}
    )


@pytest.fixture
async def make_runner(db: Database, settings: ActionsSettings) -> AsyncIterator[RunnerFactory]:
    """Runners on the rolled-back database. Its units of work share one connection, so the
    pool runs one job at a time here; the pool tests run many on a database of their own."""
    made: list[ActionRunner] = []

    async def make(resolver: Resolver | None = None, **overrides: Any) -> RunnerHarness:
        tuned = tuned_settings(settings, max_in_flight=1, **overrides)
        runner = ActionRunner(tuned, resolver=resolver)
        made.append(runner)
        return RunnerHarness(runner, build_consumer(db, tuned, runner), ActionPool(db, runner), tuned)

    yield make
    for runner in made:
        await runner.aclose()


@pytest.fixture
def new_request() -> RequestFactory:
    return action_request


@pytest.fixture
def results() -> ResultsReader:
    return results_in


@pytest.fixture
def resolver_for() -> ResolverFactory:
    return loopback_resolver
