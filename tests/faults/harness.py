"""What the fault suites share: the whole system as real processes on infrastructure the test
owns (so it can kill any of it), a partner stand-in that records every call with its
Idempotency-Key, a load generator that submits tickets through the gateway and retries a
submit with the same Idempotency-Key until it gets an answer, and the exactly-once checks.

The workflow is three SYNC_ACTION steps (`a` → `b` → `c`) posting `{"n": n, "step": s}` to the
partner, so every call names its ticket and step.
"""

import asyncio
import contextlib
import json
import os
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from common.embedded import ApacheKafka, EmbeddedKafka, EmbeddedPostgres, free_port
from common.testing.infra import run_in_thread
from devstack.stack import DEFAULT_PORTS, Infra, Stack
from devstack.workloads import STEPS, three_step_bundle

PASSWORD = "Correct-Horse-Battery-9"


@dataclass(frozen=True)
class PartnerCall:
    n: int
    step: str
    key: str


def partner_call(body: bytes, key: str) -> PartnerCall | str:
    """The call a request body makes, or why it is not one: a body without an integer `n` and
    a string `step` is refused, not taken for a call of the workflow."""
    try:
        document = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return "The body is not JSON."
    if not isinstance(document, dict):
        return "The body is not a JSON object."
    n, step = document.get("n"), document.get("step")
    if not isinstance(n, int) or isinstance(n, bool):
        return "The body has no integer n."
    if not isinstance(step, str):
        return "The body has no string step."
    return PartnerCall(n, step, key)


class Partner:
    """A stand-in for an external system: answers every POST at once and records it. A POST
    that is not a call of the workflow gets a 400 problem and is kept apart (`refused`)."""

    def __init__(self) -> None:
        self.calls: list[PartnerCall] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()
        partner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                try:
                    length = int(self.headers.get("content-length") or 0)
                except ValueError:
                    length = -1
                if length < 0:
                    call: PartnerCall | str = "The Content-Length is not a length."
                    # The body's end is unknown: the connection cannot carry another request.
                    self.close_connection = True
                else:
                    call = partner_call(self.rfile.read(length), self.headers.get("idempotency-key", ""))
                with partner._lock:
                    if isinstance(call, PartnerCall):
                        partner.calls.append(call)
                    else:
                        partner.refused.append(call)
                if isinstance(call, PartnerCall):
                    self._answer(200, "application/json", {"ok": True})
                else:
                    problem = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": call}
                    self._answer(400, "application/problem+json", problem)

            def _answer(self, status: int, content_type: str, document: dict[str, Any]) -> None:
                answer = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Partner":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def keys_by_step(self) -> dict[tuple[int, str], set[str]]:
        with self._lock:
            keys: dict[tuple[int, str], set[str]] = defaultdict(set)
            for call in self.calls:
                keys[(call.n, call.step)].add(call.key)
            return keys

    def repeats(self) -> int:
        """Calls beyond the first per (ticket, step): retries carrying the same key."""
        with self._lock:
            counts = Counter((call.n, call.step) for call in self.calls)
        return sum(count - 1 for count in counts.values())


def bundle(partner_port: int, key: str = "faults") -> dict[str, Any]:
    return three_step_bundle(f"http://127.0.0.1:{partner_port}", key, "Fault run", "FR")


@dataclass
class Accepted:
    n: int
    ticket_id: str
    attempts: int


@dataclass
class Company:
    base_url: str
    token: str
    company_id: str
    email: str
    ticket_type: str = "faults"
    accepted: dict[int, Accepted] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"authorization": f"Bearer {self.token}"}, timeout=timeout
        )

    def refresh_token(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30.0) as client:
            response = client.post("/api/identity/login", json={"email": self.email, "password": PASSWORD})
        response.raise_for_status()
        self.token = response.json()["access_token"]

    def submit(self, n: int, give_up_after: float = 180.0) -> Accepted:
        """Submit ticket `n`, retrying with the same Idempotency-Key until a definite answer:
        a client that lost its connection cannot know whether the first try landed."""
        key = str(uuid.uuid4())
        body = {"ticket_type_key": self.ticket_type, "title": f"fault run {n}", "ticket_data": {"n": n}}
        deadline = time.monotonic() + give_up_after
        attempts = 0
        while True:
            attempts += 1
            try:
                with self.client(timeout=60.0) as client:
                    response = client.post(
                        "/api/tickets/tickets", json=body, headers={"idempotency-key": key}
                    )
                if response.status_code == 201:
                    accepted = Accepted(n, str(response.json()["id"]), attempts)
                    with self._lock:
                        self.accepted[n] = accepted
                    return accepted
                if response.status_code == 401:
                    self.refresh_token()
                elif response.status_code == 422 and "unknown_ticket_type" in response.text:
                    pass  # the definitions event has not reached the tickets service yet
                elif response.status_code < 500 and response.status_code != 429:
                    raise AssertionError(f"submit {n} refused: {response.status_code} {response.text}")
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"submit {n} got no answer within {give_up_after}s")
            time.sleep(0.25)

    def submit_until(self, stop: threading.Event, rate: float) -> int:
        """Submit tickets 0, 1, 2, ... at about `rate` per second until `stop` is set; every
        submit begun is seen through to its answer. Returns how many were submitted."""
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = []
            started = time.monotonic()
            n = 0
            while not stop.is_set():
                futures.append(pool.submit(self.submit, n))
                n += 1
                stop.wait(max(0.0, started + n / rate - time.monotonic()))
            for future in futures:
                future.result()
        return n

    def submit_many(
        self, numbers: range, rate: float, on_submitted: Callable[[int], None] | None = None
    ) -> None:
        """Submit at about `rate` tickets per second, several in flight."""
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = []
            started = time.monotonic()
            for i, n in enumerate(numbers):
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(self.submit, n))
                if on_submitted is not None:
                    on_submitted(i + 1)
            for future in futures:
                future.result()


class System:
    """Every service and the gateway as real processes on a Postgres and a broker of the
    test's own, so the test may kill any of them."""

    def __init__(
        self,
        data_dir: Path,
        postgres: EmbeddedPostgres | None,
        database_url: str,
        broker: EmbeddedKafka | ApacheKafka,
        broker_kind: str,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.postgres = postgres
        self.broker = broker
        self.ports = {name: free_port() for name in DEFAULT_PORTS}
        self.stack = Stack(
            infra=Infra(database_url, broker.bootstrap_servers, broker=broker_kind),  # type: ignore[arg-type]
            data_dir=data_dir,
            ports=self.ports,
            say=lambda m: None,
        )
        self.stack.extra_env.update(
            {
                "TF_ENV": "test",
                "IDENTITY_LOGIN_RATE_LIMIT_PER_MINUTE": "10000",
                "ACTIONS_ALLOW_PRIVATE_TARGETS": "true",
                **(extra_env or {}),
            }
        )
        self.database_url = database_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def start(self) -> None:
        self.stack.migrate()
        self.stack.start()
        self.stack.wait_ready(timeout=180)

    def stop(self) -> None:
        self.stack.stop()

    def kill(self, name: str) -> None:
        """SIGKILL a service process."""
        process = self.stack.processes[name]
        process.popen.kill()
        process.popen.wait()

    def respawn(self, name: str, service: str | None = None) -> None:
        """Start it again with the same command and environment, and wait until it is ready."""
        if service is not None:
            self.ports.setdefault(name, free_port())
        self.stack.start_one(name, service=service)
        self.stack.wait_ready(timeout=180, names=(name,))

    def sign_up(self, partner: Partner, key: str = "faults") -> Company:
        email = f"admin-{os.urandom(4).hex()}@example.com"
        with httpx.Client(base_url=self.base_url, timeout=30.0) as client:
            response = client.post(
                "/api/identity/signup",
                json={
                    "company_name": f"Faults {os.urandom(3).hex()}",
                    "email": email,
                    "password": PASSWORD,
                    "first_name": "Fay",
                    "last_name": "Ops",
                },
            )
            assert response.status_code == 201, response.text
            body = response.json()
            token = body["access_token"]
            uploaded = client.post(
                "/api/definitions/bundles",
                json=bundle(partner.port, key),
                headers={"authorization": f"Bearer {token}"},
            )
            assert uploaded.status_code == 201, uploaded.text
        return Company(self.base_url, token, str(body["user"]["company_id"]), email, key)

    @contextlib.contextmanager
    def database(self) -> Iterator["Reader"]:
        yield Reader(self.database_url)


class Reader:
    """Reads the services' tables directly (as the admin) to check what happened."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        async def run() -> list[asyncpg.Record]:
            conn = await asyncpg.connect(self.url)
            try:
                return list(await conn.fetch(query, *args))
            finally:
                await conn.close()

        return run_in_thread(asyncio.run, run())

    def value(self, query: str, *args: Any) -> Any:
        rows = self.fetch(query, *args)
        return rows[0][0] if rows else None

    def completed(self, company_id: str) -> int:
        try:
            return int(
                self.value(
                    "SELECT count(*) FROM engine.workflow_instances WHERE company_id = $1 AND status = 'COMPLETED'",
                    uuid.UUID(company_id),
                )
            )
        except (OSError, asyncpg.PostgresError):
            return -1  # the database is down right now

    def wait_completed(self, company_id: str, expected: int, within: float) -> float:
        """Seconds until `expected` instances of the company completed."""
        started = time.monotonic()
        while time.monotonic() - started < within:
            if self.completed(company_id) >= expected:
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(
            f"only {self.completed(company_id)} of {expected} workflows completed within {within}s"
        )


@dataclass
class Verdict:
    tickets: int
    instances: int
    completed: int
    duplicated_instances: int
    duplicated_tasks: int
    steps_with_several_keys: list[tuple[int, str]]
    steps_never_called: list[tuple[int, str]]
    repeats: int
    lost_tickets: list[int]


def verdict(system: System, company: Company, partner: Partner, expected: int) -> Verdict:
    """What every fault test checks at its end."""
    with system.database() as db:
        cid = uuid.UUID(company.company_id)
        tickets = int(db.value("SELECT count(*) FROM tickets.tickets WHERE company_id = $1", cid))
        instances = int(db.value("SELECT count(*) FROM engine.workflow_instances WHERE company_id = $1", cid))
        completed = db.completed(company.company_id)
        duplicated_instances = int(
            db.value(
                "SELECT count(*) FROM (SELECT ticket_id FROM engine.workflow_instances WHERE company_id = $1 "
                "GROUP BY ticket_id HAVING count(*) > 1) d",
                cid,
            )
        )
        duplicated_tasks = int(
            db.value(
                "SELECT count(*) FROM (SELECT 1 FROM engine.task_instances WHERE company_id = $1 "
                "GROUP BY workflow_instance_id, task_key HAVING count(*) > 1) d",
                cid,
            )
        )
        known = {str(row[0]) for row in db.fetch("SELECT id FROM tickets.tickets WHERE company_id = $1", cid)}
    lost = sorted(n for n, accepted in company.accepted.items() if accepted.ticket_id not in known)
    keys = partner.keys_by_step()
    several = sorted(step for step, step_keys in keys.items() if len(step_keys) > 1)
    never = sorted((n, s) for n in range(expected) for s in STEPS if (n, s) not in keys)
    return Verdict(
        tickets,
        instances,
        completed,
        duplicated_instances,
        duplicated_tasks,
        several,
        never,
        partner.repeats(),
        lost,
    )


def assert_exactly_once(result: Verdict, expected: int) -> None:
    assert result.lost_tickets == [], f"tickets answered 201 and then lost: {result.lost_tickets}"
    assert result.tickets == expected, f"{result.tickets} tickets for {expected} submits (doubled or lost)"
    assert result.duplicated_instances == 0, "a ticket got more than one workflow instance"
    assert result.instances == expected
    assert result.completed == expected, f"{result.completed} of {expected} workflows completed"
    assert result.duplicated_tasks == 0, "a task ran twice in one instance"
    assert result.steps_never_called == [], f"steps the partner never saw: {result.steps_never_called[:10]}"
    assert result.steps_with_several_keys == [], (
        f"steps the partner saw under several idempotency keys: {result.steps_with_several_keys[:10]}"
    )
