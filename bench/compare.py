"""TicketFlower against DBOS, the same workflow on the same machine in one run.

The workflow is three steps, each POSTing small JSON to one shared local endpoint:

- on DBOS (pinned below, installed into its own virtualenv under `.data/bench/`), a durable
  workflow of three steps on the embedded Postgres (durable, a database of its own), driven
  in DBOS's own process;
- on TicketFlower, every service and the gateway as real processes on the chosen broker,
  driven through the gateway only: sign-up, bundle upload (a workflow of three SYNC_ACTION
  steps), tickets submitted over HTTP, completion read from the API.

For each: N workflows submitted at concurrency C (workflows/s = N / wall time from the first
submit to the last completion; whole-machine CPU per workflow from /proc/stat over the same
span), then workflows one at a time, submit → completed, p50/p99. The ratios are
TicketFlower / DBOS. Both are warmed up first, the same way: a few workflows one at a time,
then one burst of C at once, so the measured phase finds connection pools grown and
statements prepared, as a system under steady load has them.

With `--statements`, TicketFlower's Postgres runs with pg_stat_statements, and the costliest
statements of the measured phase are printed.

    python -m bench.compare [--workflows 300] [--concurrency 32] [--broker embedded|kafka]

Every wait is bounded: a phase that runs past its time limit stops the run with an error.
"""

import argparse
import asyncio
import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import infra as bench_infra
from bench.endpoint import Endpoint
from bench.hops import print_hops
from bench.machine import (
    ProcessTicks,
    busy_jiffies,
    cpu_ms,
    describe,
    percentile,
    postmaster_pid,
    tree_deltas,
)
from bench.profile import profiles, py_spy, summarize
from common.embedded import ApacheKafka, BrokerKind, EmbeddedKafka, EmbeddedPostgres, free_port
from common.testing.infra import create_database
from devstack.stack import DEFAULT_PORTS, Infra, Stack
from devstack.workloads import STEPS, three_step_bundle

DBOS_VERSION = "3.4.0"
ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / ".data" / "bench"
DBOS_VENV = BENCH_DIR / "dbos-venv"
WARMUP = 3
STATEMENT_SETTINGS = {
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track": "all",
    "pg_stat_statements.track_planning": "on",
}
PASSWORD = "Bench-Password-2026"
TICKET_TYPE = "bench_compare"
SETUP_LIMIT = 300.0
PER_WORKFLOW_LIMIT = 30.0
# How long a watching read of a ticket may wait for it to change.
WATCH_SECONDS = 10

# Executed by the DBOS virtualenv's interpreter, never imported here: the project's checks
# know nothing of DBOS. It reads its settings from argv, reports JSON lines on stdout and
# starts each measured phase when a line arrives on stdin, so the CPU figures are taken by
# the parent around exactly that phase.
DBOS_DRIVER = """
import asyncio
import json
import sys
import time

import httpx
from dbos import DBOS

settings = json.loads(sys.argv[1])
STEPS = ("a", "b", "c")
client = None

DBOS(config={
    "name": "bench_compare",
    "system_database_url": settings["database_url"],
    "log_level": "WARNING",
})


@DBOS.step()
async def call(n, step):
    response = await client.post(f"{settings['endpoint']}/step/{step}", json={"n": n, "step": step})
    response.raise_for_status()
    return response.json()


@DBOS.workflow()
async def flow(n):
    for step in STEPS:
        await call(n, step)
    return n


def say(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


async def wait_for_go():
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        raise SystemExit("the benchmark went away")


async def run_one(n):
    handle = await DBOS.start_workflow_async(flow, n)
    return await handle.get_result()


async def main():
    global client
    client = httpx.AsyncClient(timeout=10.0, limits=httpx.Limits(max_connections=256))
    DBOS.launch()
    for n in range(settings["warmup"]):
        await run_one(-1 - n)
    await asyncio.gather(*(run_one(-1000 - n) for n in range(settings["concurrency"])))
    say("ready")

    await wait_for_go()
    workflows, gate = settings["workflows"], asyncio.Semaphore(settings["concurrency"])

    async def submit(n):
        async with gate:
            return await DBOS.start_workflow_async(flow, n)

    began = time.perf_counter()
    handles = await asyncio.gather(*(submit(n) for n in range(workflows)))
    results = await asyncio.wait_for(
        asyncio.gather(*(handle.get_result() for handle in handles)), settings["time_limit"]
    )
    say("throughput", seconds=time.perf_counter() - began, completed=len(results))

    await wait_for_go()
    latencies = []
    for n in range(settings["sequential"]):
        started = time.perf_counter()
        await asyncio.wait_for(run_one(workflows + n), settings["per_workflow_limit"])
        latencies.append(time.perf_counter() - started)
    say("latency", latencies=latencies)
    await client.aclose()


asyncio.run(main())
DBOS.destroy()
"""


@dataclass
class Figures:
    system: str
    workflows: int
    completed: int
    seconds: float
    jiffies: int
    breakdown: dict[str, int]
    endpoint_calls: int
    distinct_calls: int
    latencies: list[float]
    note: str = "one at a time: the handle's result awaited in the workflow's own process"
    # When the one-at-a-time phase began (the server's clock is read back against it).
    sequential_began: datetime | None = None
    # Connections the Postgres server accepted, and transactions it committed, during the
    # measured phase (TicketFlower's).
    connections_opened: int | None = None
    transactions: int | None = None

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else float("nan")

    @property
    def cpu_ms_per_workflow(self) -> float:
        return cpu_ms(self.jiffies) / self.completed if self.completed else float("nan")

    @property
    def own_cpu_ms_per_workflow(self) -> float:
        return self.cpu_ms_of(sum(self.breakdown.values()))

    def cpu_ms_of(self, jiffies: int) -> float:
        return cpu_ms(jiffies) / self.completed if self.completed else float("nan")

    def latency_ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000

    def summary(self) -> str:
        return (
            f"  {self.completed}/{self.workflows} in {self.seconds:.1f}s = {self.per_second:.1f} workflows/s, "
            f"{self.cpu_ms_per_workflow:.0f} CPU-ms per workflow; one at a time p50 "
            f"{self.latency_ms(0.5):.0f} ms, p99 {self.latency_ms(0.99):.0f} ms\n  {self.note}"
            + (
                f"\n  Postgres during the throughput phase: {self.connections_opened} connections opened, "
                f"{(self.transactions or 0) / max(1, self.completed):.1f} transactions committed per workflow"
                if self.connections_opened is not None
                else ""
            )
        )


class PhaseTimeout(RuntimeError):
    """A phase ran past its time limit."""


def throughput_limit(workflows: int) -> float:
    # Generous: on a machine shared with other work a workflow may take seconds.
    return 120.0 + 5.0 * workflows


def pinned(name: str) -> str:
    """The project's pin of a package, so the DBOS side uses the same HTTP client."""
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line.strip()
    raise RuntimeError(f"{name} is not pinned in constraints.txt")


def dbos_python() -> Path:
    """The DBOS virtualenv's interpreter, created or repaired when DBOS is missing or at
    another version."""
    python = DBOS_VENV / "bin" / "python"
    httpx_pin = pinned("httpx")
    wanted = f"{DBOS_VERSION} {httpx_pin.split('==', 1)[1]}"
    check = "import importlib.metadata as m; print(m.version('dbos'), m.version('httpx'))"
    if python.exists():
        found = subprocess.run([python, "-c", check], capture_output=True, text=True, timeout=60)
        if found.returncode == 0 and found.stdout.strip() == wanted:
            return python
    print(f"installing DBOS {DBOS_VERSION} into {DBOS_VENV} ...", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", DBOS_VENV], check=True, timeout=300)
    installed = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            f"dbos=={DBOS_VERSION}",
            httpx_pin,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if installed.returncode != 0:
        raise RuntimeError(f"installing DBOS {DBOS_VERSION} failed:\n{installed.stderr[-3000:]}")
    return python


class Driver:
    """The DBOS driver process: JSON lines out, a line in to start each phase."""

    def __init__(self, python: Path, script: Path, settings: dict[str, Any], log: Path) -> None:
        self.log = log
        with open(log, "wb") as err:
            self.popen = subprocess.Popen(
                [python, script, json.dumps(settings)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def expect(self, event: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise PhaseTimeout(f"DBOS: no {event!r} within {timeout:.0f}s") from None
            if line is None:
                self.popen.wait(10)
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the DBOS driver exited with {self.popen.returncode}:\n{tail}")
            with contextlib.suppress(json.JSONDecodeError):
                message: dict[str, Any] = json.loads(line)
                if message.get("event") == event:
                    return message

    def go(self) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write("go\n")
        self.popen.stdin.flush()

    def stop(self) -> None:
        """Closing its stdin lets a finished driver shut DBOS down; one that hangs is killed."""
        assert self.popen.stdin is not None
        with contextlib.suppress(OSError):
            self.popen.stdin.close()
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(10)


def run_dbos(run_dir: Path, endpoint: Endpoint, workflows: int, concurrency: int, sequential: int) -> Figures:
    python = dbos_python()
    script = BENCH_DIR / "dbos_driver.py"
    script.write_text(DBOS_DRIVER)
    postgres = EmbeddedPostgres(run_dir / "dbos-postgres", free_port(), durable=True)
    postgres.start()
    driver: Driver | None = None
    try:
        database_url = create_database(postgres.url, "dbos_bench")
        driver = Driver(
            python,
            script,
            {
                "database_url": database_url,
                "endpoint": endpoint.url,
                "workflows": workflows,
                "concurrency": concurrency,
                "sequential": sequential,
                "warmup": WARMUP,
                "time_limit": throughput_limit(workflows),
                "per_workflow_limit": PER_WORKFLOW_LIMIT,
            },
            run_dir / "dbos-driver.log",
        )
        driver.expect("ready", SETUP_LIMIT)
        trees = {
            "DBOS process": driver.popen.pid,
            "Postgres": postmaster_pid(postgres.pgdata),
            "endpoint": endpoint.pid,
        }
        endpoint.reset()
        jiffies, before = busy_jiffies(), ProcessTicks()
        driver.go()
        throughput = driver.expect("throughput", throughput_limit(workflows) + 30)
        jiffies, after = busy_jiffies() - jiffies, ProcessTicks()
        breakdown = tree_deltas(before, after, trees, {"benchmark": os.getpid()})
        calls, distinct = endpoint.counts()
        driver.go()
        latency = driver.expect("latency", PER_WORKFLOW_LIMIT * sequential + 30)
        return Figures(
            f"DBOS {DBOS_VERSION}",
            workflows,
            int(throughput["completed"]),
            float(throughput["seconds"]),
            jiffies,
            breakdown,
            calls,
            distinct,
            [float(value) for value in latency["latencies"]],
        )
    finally:
        if driver is not None:
            driver.stop()
        postgres.stop()


@dataclass
class Client:
    """One company's admin, through the gateway only."""

    http: httpx.AsyncClient
    email: str
    completion: str
    watch: bool
    token: str = ""
    reads: list[float] = field(default_factory=list)
    ambiguous: int = 0

    async def sign_up(self) -> None:
        response = await self.http.post(
            "/api/identity/signup",
            json={
                "company_name": f"Bench {uuid.uuid4().hex[:6]}",
                "email": self.email,
                "password": PASSWORD,
                "first_name": "Bench",
                "last_name": "Mark",
                "cookie": False,
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"sign-up refused: {response.status_code} {response.text[:300]}")
        self.token = response.json()["access_token"]

    async def log_in(self) -> None:
        response = await self.http.post(
            "/api/identity/login", json={"email": self.email, "password": PASSWORD, "cookie": False}
        )
        response.raise_for_status()
        self.token = response.json()["access_token"]

    async def request(self, method: str, url: str, deadline: float, **kwargs: Any) -> httpx.Response:
        """Retried on what a client retries (a lost connection, 429, 5xx, an expired token)
        until the deadline; any other answer is returned. A POST retried after a lost
        connection or a 5xx is counted: it may have landed the first time."""
        headers = kwargs.pop("headers", {})
        while True:
            try:
                response = await self.http.request(
                    method, url, headers={"authorization": f"Bearer {self.token}", **headers}, **kwargs
                )
                if response.status_code == 401:
                    await self.log_in()
                elif response.status_code != 429 and response.status_code < 500:
                    return response
                elif response.status_code >= 500 and method == "POST":
                    self.ambiguous += 1
            except httpx.TransportError:
                if method == "POST":
                    self.ambiguous += 1
            if time.monotonic() > deadline:
                raise PhaseTimeout(f"{method} {url}: no answer before the time limit")
            await asyncio.sleep(0.1)

    async def upload(self, endpoint: Endpoint) -> None:
        response = await self.request(
            "POST", "/api/definitions/bundles", time.monotonic() + 60, json=bundle(endpoint.url)
        )
        if response.status_code != 201:
            raise RuntimeError(f"bundle refused: {response.status_code} {response.text[:500]}")

    async def submit(self, n: int, deadline: float) -> str:
        key = str(uuid.uuid4())
        body = {"ticket_type_key": TICKET_TYPE, "title": f"bench {n}", "ticket_data": {"n": n}}
        while True:
            response = await self.request(
                "POST", "/api/tickets/tickets", deadline, json=body, headers={"idempotency-key": key}
            )
            if response.status_code == 201:
                return str(response.json()["id"])
            # Until the definitions event reaches the tickets service, the type is unknown.
            if response.status_code != 422 or "unknown_ticket_type" not in response.text:
                raise RuntimeError(f"submit refused: {response.status_code} {response.text[:300]}")
            if time.monotonic() > deadline:
                raise PhaseTimeout("the ticket type never reached the tickets service")
            await asyncio.sleep(0.1)

    async def completed_total(self, deadline: float) -> int:
        if self.completion == "ticket":
            url = "/api/tickets/tickets"
            params = {"type": TICKET_TYPE, "status": "COMPLETED", "page_size": "1"}
        else:
            url = "/api/engine/instances"
            params = {"workflow_key": TICKET_TYPE, "status": "COMPLETED", "page_size": "1"}
        response = await self.request("GET", url, deadline, params=params)
        response.raise_for_status()
        return int(response.json()["total"])

    async def wait_completed(self, ticket_id: str, poll: float, deadline: float) -> None:
        """Reads the ticket (or its workflow instance) until it is completed: with `watch`, each
        read after the first waits for the ticket to change (`If-None-Match` with the last
        answer's ETag and `Prefer: wait`), else the reads poll every `poll` seconds after the
        previous answer. How long each read took is kept, since reads cost the system under
        test too."""
        etag: str | None = None
        while True:
            started = time.perf_counter()
            if self.completion == "ticket":
                waiting = self.watch and etag is not None
                response = await self.request(
                    "GET",
                    f"/api/tickets/tickets/{ticket_id}",
                    deadline,
                    headers={"if-none-match": etag, "prefer": f"wait={WATCH_SECONDS}"} if waiting else {},
                )
                self.reads.append(time.perf_counter() - started)
                if response.status_code != 304:
                    response.raise_for_status()
                    etag = response.headers.get("etag")
                    status = response.json()["status"]
                    if status == "COMPLETED":
                        return
                    if status in ("ERROR", "CANCELLED"):
                        raise RuntimeError(f"ticket {ticket_id} ended {status}")
                # A watching client's next read waits on the server side.
                poll_next = not (self.watch and etag is not None)
            else:
                response = await self.request(
                    "GET", "/api/engine/instances", deadline, params={"ticket_id": ticket_id}
                )
                self.reads.append(time.perf_counter() - started)
                response.raise_for_status()
                items = response.json()["items"]
                if items and items[0]["status"] == "COMPLETED":
                    return
                poll_next = True
            if time.monotonic() > deadline:
                raise PhaseTimeout(f"ticket {ticket_id} not completed before the time limit")
            if poll_next:
                await asyncio.sleep(poll)


def bundle(endpoint_url: str) -> dict[str, Any]:
    """Three SYNC_ACTION steps posting `{"n": n, "step": s}`, the DBOS workflow's calls."""
    return three_step_bundle(endpoint_url, TICKET_TYPE, "Bench compare", "BC")


async def drive_ticketflower(
    gateway_url: str,
    endpoint: Endpoint,
    workflows: int,
    concurrency: int,
    sequential: int,
    poll: float,
    watch: bool,
    completion: str,
    trees: dict[str, int],
    database_url: str,
    profile_dir: Path | None = None,
    statements: bool = False,
) -> Figures:
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30.0, limits=limits) as http:
        client = Client(http, f"bench-{uuid.uuid4().hex[:8]}@example.com", completion, watch)
        await client.sign_up()
        await client.upload(endpoint)
        setup_deadline = time.monotonic() + SETUP_LIMIT
        for n in range(WARMUP):
            ticket_id = await client.submit(-1 - n, setup_deadline)
            await client.wait_completed(ticket_id, poll, setup_deadline)
        burst = await asyncio.gather(*(client.submit(-1000 - n, setup_deadline) for n in range(concurrency)))
        await asyncio.gather(*(client.wait_completed(t, 0.05, setup_deadline) for t in burst))
        baseline = await client.completed_total(setup_deadline)
        server = await asyncpg.connect(database_url)

        deadline = time.monotonic() + throughput_limit(workflows)
        numbers = iter(range(workflows))

        async def submitter() -> None:
            for n in numbers:
                await client.submit(n, deadline)

        (await http.delete(endpoint.calls_url)).raise_for_status()
        services = {name: pid for name, pid in trees.items() if name in DEFAULT_PORTS}
        sampling = profiles(services, profile_dir) if profile_dir else contextlib.nullcontext()
        if statements:
            await server.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            await server.execute("SELECT pg_stat_statements_reset()")
            await server.execute("SELECT pg_stat_reset()")
        sessions, commits = await server_counters(server)
        with sampling:
            jiffies, before = busy_jiffies(), ProcessTicks()
            began = time.perf_counter()
            submitters = asyncio.gather(*(submitter() for _ in range(concurrency)))
            completed = 0
            while completed < workflows:
                if submitters.done():
                    submitters.result()  # a refused submit stops the run here
                if time.monotonic() > deadline:
                    submitters.cancel()
                    raise PhaseTimeout(
                        f"TicketFlower: {completed}/{workflows} completed within the time limit"
                    )
                await asyncio.sleep(0.1)
                completed = await client.completed_total(deadline) - baseline
            seconds = time.perf_counter() - began
            jiffies, after = busy_jiffies() - jiffies, ProcessTicks()
        breakdown = tree_deltas(before, after, trees, {"benchmark": os.getpid()})
        await asyncio.sleep(1.5)  # each server process reports its counters within a second
        sessions_after, commits_after = await server_counters(server)
        sessions, commits = sessions_after - sessions, commits_after - commits
        if statements:
            await print_statements(server, completed)
        await server.close()
        await submitters
        counts = (await http.get(endpoint.calls_url)).json()

        latencies: list[float] = []
        client.reads.clear()
        sequential_began = datetime.now(UTC)
        for n in range(sequential):
            one_deadline = time.monotonic() + PER_WORKFLOW_LIMIT
            started = time.perf_counter()
            ticket_id = await client.submit(workflows + n, one_deadline)
            await client.wait_completed(ticket_id, poll, one_deadline)
            latencies.append(time.perf_counter() - started)
    return Figures(
        "TicketFlower",
        workflows,
        completed,
        seconds,
        jiffies,
        breakdown,
        int(counts["calls"]),
        int(counts["distinct"]),
        latencies,
        f"one at a time: {len(client.reads)} completion reads"
        + (
            " (each after the first answered when the ticket changed)"
            if watch and completion == "ticket"
            else f", p50 {percentile(client.reads, 0.5) * 1000:.0f} ms each"
        )
        + f"; submits retried after a lost answer: {client.ambiguous} (each with its first"
        " Idempotency-Key, so a retry returns the ticket the first try made)",
        sequential_began,
        sessions,
        commits,
    )


async def server_counters(server: asyncpg.Connection) -> tuple[int, int]:
    """Connections the server has accepted to this database, and transactions committed in
    it, since its start."""
    row = await server.fetchrow(
        "SELECT sessions, xact_commit FROM pg_stat_database WHERE datname = current_database()"
    )
    assert row is not None
    return int(row["sessions"]), int(row["xact_commit"])


STATEMENTS_SHOWN = 15


async def print_statements(server: asyncpg.Connection, workflows: int) -> None:
    """The statements of the measured phase that took the server longest, with their planning
    (a statement planned at every call shows plans = calls)."""
    rows = await server.fetch(
        "SELECT calls, plans, total_exec_time AS run, total_plan_time AS plan,"
        " regexp_replace(query, '\\s+', ' ', 'g') AS query FROM pg_stat_statements"
        " ORDER BY total_exec_time + total_plan_time DESC LIMIT $1",
        STATEMENTS_SHOWN,
    )
    print(
        f"\nPostgres statements of the throughput phase, costliest first (ms per workflow, of {workflows}):"
    )
    print(f"  {'calls':>6} {'plans':>6} {'run':>7} {'plan':>6}  statement")
    for row in rows:
        run, plan = row["run"] / max(workflows, 1), row["plan"] / max(workflows, 1)
        print(f"  {row['calls']:>6} {row['plans']:>6} {run:7.2f} {plan:6.2f}  {row['query'][:110]}")
    # Only an update that changes no indexed column and finds room on its page is HOT: it
    # writes no index entry.
    tables = await server.fetch(
        "SELECT schemaname || '.' || relname AS name, n_tup_ins, n_tup_upd, n_tup_hot_upd"
        " FROM pg_stat_user_tables WHERE n_tup_upd > 0 ORDER BY n_tup_upd DESC LIMIT $1",
        STATEMENTS_SHOWN,
    )
    print("Tables of the throughput phase, most updated first (per workflow):")
    print(f"  {'inserts':>8} {'updates':>8} {'HOT':>6}  table")
    for row in tables:
        per = max(workflows, 1)
        print(
            f"  {row['n_tup_ins'] / per:8.1f} {row['n_tup_upd'] / per:8.1f} {row['n_tup_hot_upd'] / per:6.1f}  {row['name']}"
        )


def run_ticketflower(
    run_dir: Path,
    endpoint: Endpoint,
    broker: BrokerKind,
    workflows: int,
    concurrency: int,
    sequential: int,
    poll: float,
    watch: bool,
    completion: str,
    durable: bool = True,
    profile_dir: Path | None = None,
    show_hops: bool = False,
    statements: bool = False,
) -> tuple[Figures, str]:
    data_dir = run_dir / "ticketflower"
    infra = bench_infra.start(
        data_dir, broker, durable=durable, pg_settings=STATEMENT_SETTINGS if statements else None
    )
    ports = {name: free_port() for name in DEFAULT_PORTS}
    stack = Stack(infra=infra, data_dir=data_dir, ports=ports, say=lambda m: None)
    stack.extra_env.update(
        {
            "TF_ENV": "test",
            "IDENTITY_LOGIN_RATE_LIMIT_PER_MINUTE": "100000",
            "ACTIONS_ALLOW_PRIVATE_TARGETS": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    try:
        stack.migrate()
        stack.start()
        stack.wait_ready(timeout=SETUP_LIMIT)
        trees = {name: process.popen.pid for name, process in stack.processes.items()}
        trees["endpoint"] = endpoint.pid
        if infra.postgres is not None:
            trees["Postgres"] = postmaster_pid(infra.postgres.pgdata)
        for i, pid in enumerate(broker_pids(infra)):
            trees[f"broker {i + 1}" if i else "broker"] = pid
        figures = asyncio.run(
            drive_ticketflower(
                f"http://127.0.0.1:{ports['gateway']}",
                endpoint,
                workflows,
                concurrency,
                sequential,
                poll,
                watch,
                completion,
                trees,
                infra.database_url,
                profile_dir,
                statements,
            )
        )
        if show_hops and figures.sequential_began is not None:
            print_hops(infra.database_url, figures.sequential_began)
        return figures, bench_infra.describe(infra)
    finally:
        stack.stop()
        infra.stop()


def broker_pids(infra: Infra) -> list[int]:
    if isinstance(infra.kafka, EmbeddedKafka) and infra.kafka.process is not None:
        return [infra.kafka.process.pid]
    if isinstance(infra.kafka, ApacheKafka):
        return [node.process.pid for node in infra.kafka.nodes if node.process is not None]
    return []


@contextlib.contextmanager
def run_directory() -> Iterator[Path]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"run-{os.getpid()}-{int(time.time())}"
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def report(tf: Figures, dbos: Figures, concurrency: int) -> None:
    rows = [
        (
            f"workflows/s ({tf.workflows} at concurrency {concurrency})",
            f"{tf.per_second:.1f}",
            f"{dbos.per_second:.1f}",
            ratio(tf.per_second, dbos.per_second),
        ),
        (
            "whole-machine CPU-ms per workflow",
            f"{tf.cpu_ms_per_workflow:.0f}",
            f"{dbos.cpu_ms_per_workflow:.0f}",
            ratio(tf.cpu_ms_per_workflow, dbos.cpu_ms_per_workflow),
        ),
        (
            "CPU-ms per workflow, this run's processes only",
            f"{tf.own_cpu_ms_per_workflow:.0f}",
            f"{dbos.own_cpu_ms_per_workflow:.0f}",
            ratio(tf.own_cpu_ms_per_workflow, dbos.own_cpu_ms_per_workflow),
        ),
        (
            f"one at a time p50 ms ({len(tf.latencies)} workflows)",
            f"{tf.latency_ms(0.5):.0f}",
            f"{dbos.latency_ms(0.5):.0f}",
            ratio(tf.latency_ms(0.5), dbos.latency_ms(0.5)),
        ),
        (
            "one at a time p99 ms",
            f"{tf.latency_ms(0.99):.0f}",
            f"{dbos.latency_ms(0.99):.0f}",
            ratio(tf.latency_ms(0.99), dbos.latency_ms(0.99)),
        ),
        (
            "completed; endpoint calls (distinct)",
            f"{tf.completed}; {tf.endpoint_calls} ({tf.distinct_calls})",
            f"{dbos.completed}; {dbos.endpoint_calls} ({dbos.distinct_calls})",
            "",
        ),
    ]
    print(f"\n{'measure':<48}{'TicketFlower':>17}{dbos.system:>17}{'TF/DBOS':>10}")
    for label, ours, theirs, times in rows:
        print(f"{label:<48}{ours:>17}{theirs:>17}{times:>10}")
    for figures in (tf, dbos):
        parts = sorted(figures.breakdown.items(), key=lambda item: -item[1])
        print(
            f"\nCPU-ms per workflow by process, {figures.system}: "
            + ", ".join(f"{name} {figures.cpu_ms_of(ticks):.0f}" for name, ticks in parts)
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workflows", type=int, default=300, help="workflows in the throughput phase")
    parser.add_argument("--concurrency", type=int, default=32, help="submits in flight")
    parser.add_argument("--sequential", type=int, default=30, help="workflows run one at a time")
    parser.add_argument(
        "--poll-ms",
        type=float,
        default=5.0,
        help="how often TicketFlower's completion is read, one at a time",
    )
    parser.add_argument(
        "--reads",
        choices=("watch", "poll"),
        default="watch",
        help="watch: after the first read of a ticket, each read waits for it to change "
        "(If-None-Match and Prefer: wait); poll: a plain read every --poll-ms "
        "(the workflow completion always polls)",
    )
    parser.add_argument(
        "--completion",
        choices=("ticket", "workflow"),
        default="ticket",
        help="ticket: the ticket's status reads COMPLETED (tickets API); "
        "workflow: the workflow instance does (engine API)",
    )
    parser.add_argument(
        "--postgres",
        choices=("durable", "throwaway"),
        default="durable",
        help="TicketFlower's embedded Postgres: durable (fsync on, the default of make run) or "
        "throwaway (fsync off), to measure what durability costs; DBOS always runs durable",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="sample every TicketFlower service with py-spy during the throughput phase into DIR, "
        "print where the time goes, and skip DBOS",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="run TicketFlower's Postgres with pg_stat_statements and print the costliest statements "
        "of the throughput phase",
    )
    parser.add_argument(
        "--hops",
        action="store_true",
        help="after the one-at-a-time phase, print where its latency went, hop by hop (bench/hops.py)",
    )
    bench_infra.add_broker_argument(parser)
    args = parser.parse_args()
    if args.profile is not None:
        py_spy()  # refuse before the setup, not after it
    workflows = max(1, min(args.workflows, 10_000))
    concurrency = max(1, min(args.concurrency, 256))
    sequential = max(1, min(args.sequential, 1_000))
    poll = max(0.001, args.poll_ms / 1000)

    print(f"Machine: {describe()}; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with run_directory() as run_dir, Endpoint() as endpoint:
        fastest, median = endpoint.answer_times_ms()
        print(f"Endpoint: one POST round trip fastest {fastest:.2f} ms, median {median:.2f} ms")
        dbos = None
        if args.profile is None:
            print(f"DBOS {DBOS_VERSION} on the embedded Postgres (durable) ...", flush=True)
            dbos = run_dbos(run_dir, endpoint, workflows, concurrency, sequential)
            print(dbos.summary(), flush=True)
        print(f"TicketFlower on the {args.broker} broker, {args.postgres} Postgres ...", flush=True)
        tf, broker = run_ticketflower(
            run_dir,
            endpoint,
            args.broker,
            workflows,
            concurrency,
            sequential,
            poll,
            args.reads == "watch",
            args.completion,
            durable=args.postgres == "durable",
            profile_dir=args.profile,
            show_hops=args.hops,
            statements=args.statements,
        )
        print(tf.summary(), flush=True)
    print(
        f"Broker: {broker}; load average {os.getloadavg()[0]:.1f} at the end (other work shares the machine)"
    )
    print(
        f"Workflow: {len(STEPS)} steps, each POSTing small JSON to the endpoint; TicketFlower driven "
        f"through the gateway, completion = the {args.completion} reads COMPLETED, "
        + (
            "read by watching the ticket (each read waits for a change)"
            if args.reads == "watch" and args.completion == "ticket"
            else f"polled every {args.poll_ms:g} ms"
        )
    )
    if dbos is None:
        summarize(args.profile)
    else:
        report(tf, dbos, concurrency)


if __name__ == "__main__":
    main()
