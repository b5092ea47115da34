"""Action runners: throughput of runner processes (`python -m actions serve`) over one backlog
against a slow endpoint, and the noisy neighbour: company A's receiving system takes 6 s while
company B's answers at once, B's latency alone and beside A; with `--sequential N`, N actions
one at a time against an endpoint that answers at once, request → result p50 and where it went.

    python -m bench.actions_scaleout [--actions 400] [--delay-ms 200] [--runners 1,2,4]
        [--in-flight 128] [--baseline DIR [--rounds N]] [--profile DIR] [--sequential N]

`--baseline DIR` runs the same figures a second time with the runners of another checkout
(e.g. `git archive main | tar -x -C DIR`), in the same invocation, and prints the ratios.
Postgres and Kafka: the ones `TEST_DATABASE_URL`/`DATABASE_URL` and `KAFKA_BOOTSTRAP_SERVERS`
name, else the embedded ones. The fleet helpers are also used by the runner crash tests.
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
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy.engine import make_url

from bench import infra as bench_infra
from bench.endpoint import Endpoint
from bench.machine import ProcessTicks, cpu_ms, describe, percentile
from bench.profile import profiles, summarize
from common.embedded import free_port
from common.testing.infra import create_database, postgres_admin_url, private_kafka
from contracts.engine import ActionRequested
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from contracts.topics import ACTIONS_REQUESTS


def sync_request(url: str, n: int) -> ActionRequested:
    """The n-th SYNC_ACTION request of a run: a fresh task (its first attempt) posting to `url`."""
    return ActionRequested(
        request_id=uuid7(),
        workflow_instance_id=uuid7(),
        task_instance_id=uuid7(),
        attempt=1,
        task_type="SYNC_ACTION",
        action_url=url,
        timeout_seconds=10,
        max_retries=3,
        workflow_data={"n": n},
    )


class SlowEndpoint:
    """A receiving system that takes `delay_ms` per call (`/delay/<ms>` for another delay) and
    counts the calls per idempotency key."""

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
                parts = self.path.strip("/").split("/")
                delay = int(parts[1]) / 1000 if parts[0] == "delay" else endpoint.delay
                if delay:
                    time.sleep(delay)
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 1024

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/work"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url_with_delay(self, delay_ms: int) -> str:
        return f"{self.base}/delay/{delay_ms}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Fleet:
    """Runner processes of one `actions` database, and the backlog they work through."""

    database_url: str
    kafka: str
    log_dir: Path
    # Group members per runner process; the service's own default when None.
    workers: int | None = None
    # Another checkout whose runners to run instead of this one's (the baseline).
    code_dir: Path | None = None
    in_flight: int | None = None
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    sent_at: dict[UUID, datetime] = field(default_factory=dict)
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
            ACTIONS_CONSUMER_GROUP=self.group,
            ACTIONS_OUTBOX_POLL_SECONDS="0.2",
            PYTHONUNBUFFERED="1",
        )
        if self.workers is not None:
            env["ACTIONS_CONSUMER_WORKERS"] = str(self.workers)
        if self.in_flight is not None:
            env["ACTIONS_MAX_IN_FLIGHT"] = str(self.in_flight)
        if self.code_dir is not None:
            sources = ("libs/common/src", "libs/contracts/src", "services/actions/src")
            env["PYTHONPATH"] = os.pathsep.join(str(self.code_dir / source) for source in sources)
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

    async def enqueue(
        self, url: str, count: int, *, company_id: UUID | None = None, per_second: float | None = None
    ) -> list[UUID]:
        """`count` SYNC_ACTION requests, each of its own task and workflow instance (so they
        spread over every partition), all at once or `per_second`. Returns the task instance
        ids (the idempotency keys the endpoint sees)."""
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.split(","), linger_ms=5)
        await producer.start()
        ids: list[UUID] = []
        started = time.monotonic()
        try:
            sends = []
            for n in range(count):
                if per_second is not None:
                    await asyncio.sleep(max(0.0, started + n / per_second - time.monotonic()))
                request = sync_request(url, n)
                ids.append(request.task_instance_id)
                envelope = envelope_for(
                    request, company_id=company_id or self.company_id, actor=Actor.system("bench")
                )
                sends.append(
                    await producer.send(
                        ACTIONS_REQUESTS,
                        key=str(request.workflow_instance_id).encode(),
                        value=envelope.model_dump_json().encode(),
                        headers=[("event-type", envelope.type.encode())],
                    )
                )
                self.sent_at[request.task_instance_id] = envelope.occurred_at
            await asyncio.gather(*sends)
        finally:
            await producer.stop()
        return ids

    async def _connect(self) -> asyncpg.Connection:
        url = make_url(self.database_url).set(drivername="postgresql")
        return await asyncpg.connect(url.render_as_string(hide_password=False))

    async def _results(self, ids: list[UUID]) -> list[dict[str, Any]]:
        """The result events of these tasks in the outbox (the one source of `actions.results`,
        written the same way by every runner version)."""
        conn = await self._connect()
        try:
            rows = await conn.fetch(
                "SELECT payload FROM actions.outbox WHERE topic = 'actions.results' "
                "AND payload->>'type' <> 'action.started' "
                "AND (payload->'data'->>'task_instance_id')::uuid = ANY($1::uuid[])",
                ids,
            )
        finally:
            await conn.close()
        return [
            json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"] for row in rows
        ]

    async def finished(self, ids: list[UUID]) -> int:
        return len({payload["data"]["task_instance_id"] for payload in await self._results(ids)})

    async def wait_finished(self, ids: list[UUID], limit: float) -> float:
        started = time.monotonic()
        while await self.finished(ids) < len(ids):
            if time.monotonic() - started > limit:
                raise TimeoutError(f"{await self.finished(ids)} of {len(ids)} actions done after {limit}s")
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def results_per_request(self, ids: list[UUID]) -> dict[str, list[str]]:
        """The result events each task's request produced."""
        found: dict[str, list[str]] = {str(i): [] for i in ids}
        for payload in await self._results(ids):
            found[payload["data"]["task_instance_id"]].append(payload["type"])
        return found

    async def latencies_ms(self, ids: list[UUID]) -> list[float]:
        """Per task: from the request's envelope to its result's (both stamped when written)."""
        latencies = []
        for payload in await self._results(ids):
            task = UUID(payload["data"]["task_instance_id"])
            answered = datetime.fromisoformat(payload["occurred_at"])
            latencies.append((answered - self.sent_at[task]).total_seconds() * 1000)
        return latencies

    async def one_at_a_time(self, url: str, count: int) -> list[dict[str, float]]:
        """`count` requests, each sent when the previous one's result is written. Per request, in
        ms from the request's envelope: the job recorded (the consumer's transaction began), its
        call counted (taken), its result recorded, and the result's outbox row written."""
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.split(","), linger_ms=0)
        await producer.start()
        conn = await self._connect()
        hops: list[dict[str, float]] = []
        try:
            for n in range(count):
                request = sync_request(url, n)
                envelope = envelope_for(request, company_id=self.company_id, actor=Actor.system("bench"))
                await producer.send_and_wait(
                    ACTIONS_REQUESTS,
                    key=str(request.workflow_instance_id).encode(),
                    value=envelope.model_dump_json().encode(),
                    headers=[("event-type", envelope.type.encode())],
                )
                row = None
                deadline = time.monotonic() + 30
                while row is None:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"no result for action {n} within 30 s")
                    await asyncio.sleep(0.002)
                    row = await conn.fetchrow(
                        "SELECT j.created_at AS recorded, j.started_at AS taken, "
                        "j.finished_at AS settled, o.created_at AS written "
                        "FROM actions.action_jobs AS j JOIN actions.outbox AS o "
                        "ON o.topic = 'actions.results' AND o.key = $2 "
                        "AND o.payload->>'type' <> 'action.started' "
                        "WHERE j.task_instance_id = $1 AND j.finished_at IS NOT NULL",
                        request.task_instance_id,
                        str(request.workflow_instance_id),
                    )
                sent = envelope.occurred_at
                hops.append(
                    {
                        name: (row[name] - sent).total_seconds() * 1000
                        for name in ("recorded", "taken", "settled", "written")
                    }
                )
        finally:
            await conn.close()
            await producer.stop()
        return hops


@contextlib.contextmanager
def fleet_on_fresh_database(
    workers: int | None = None, *, code_dir: Path | None = None, in_flight: int | None = None
) -> Iterator[Fleet]:
    admin = postgres_admin_url()
    # A broker of its own: the backlog is exactly the requests the fleet is given.
    with private_kafka() as kafka:
        fleet = Fleet(
            create_database(admin, "bench_actions"),
            kafka,
            Path(tempfile.mkdtemp(prefix="tf-actions-fleet-")),
            workers=workers,
            code_dir=code_dir,
            in_flight=in_flight,
        )
        fleet.migrate()
        try:
            yield fleet
        finally:
            fleet.stop()


@dataclass
class Figures:
    throughput: dict[int, float] = field(default_factory=dict)
    # CPU-ms the runner processes spent per action over the measured backlog.
    cpu_ms_per_action: dict[int, float] = field(default_factory=dict)
    # CPU-ms the Postgres server spent per action, when the bench started it (None otherwise).
    postgres_ms_per_action: dict[int, float | None] = field(default_factory=dict)
    quiet_ms: list[float] = field(default_factory=list)
    beside_ms: list[float] = field(default_factory=list)


def throughput(
    endpoint: SlowEndpoint,
    runners: int,
    actions: int,
    code_dir: Path | None,
    in_flight: int | None,
    workers: int | None,
    profile_dir: Path | None = None,
) -> tuple[float, float, float | None]:
    """Actions per second over the backlog, and the runner processes' and (when the bench
    started it) the Postgres server's CPU-ms per action."""
    # Each runner count starts from nothing: its own database, broker and group.
    with fleet_on_fresh_database(workers, code_dir=code_dir, in_flight=in_flight) as fleet:
        fleet.start(runners)
        # Let the group settle: a warm-up round touches every partition.
        warmup = asyncio.run(fleet.enqueue(endpoint.url, 16))
        asyncio.run(fleet.wait_finished(warmup, 120))
        time.sleep(2)
        pids = [process.pid for process in fleet.processes.values()]
        postgres = postgres_server_pid(fleet.database_url)
        sampled = (
            profiles({f"actions-{pid}": pid for pid in pids}, profile_dir)
            if profile_dir is not None
            else contextlib.nullcontext()
        )
        with sampled:
            before = ProcessTicks()
            ids = asyncio.run(fleet.enqueue(endpoint.url, actions))
            elapsed = asyncio.run(fleet.wait_finished(ids, 900))
            after = ProcessTicks()
        if profile_dir is not None:
            summarize(profile_dir)
        spent = sum(after.tree(pid) - before.tree(pid) for pid in pids)
        database = (
            cpu_ms(after.tree(postgres) - before.tree(postgres)) / actions if postgres is not None else None
        )
        return actions / elapsed, cpu_ms(spent) / actions, database


def postgres_server_pid(database_url: str) -> int | None:
    """The pid of the local Postgres server listening on the URL's port, found by its data
    directory's `postmaster.pid`; None when it is not one this machine runs as a process here."""
    port = make_url(database_url).port
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            args = cmdline.read_bytes().split(b"\0")
            if not args[0].endswith(b"postgres") or b"-D" not in args:
                continue
            pgdata = Path(args[args.index(b"-D") + 1].decode())
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
            if int(lines[3]) == port and int(lines[0]) == int(cmdline.parent.name):
                return int(lines[0])
    return None


def noisy_neighbour(
    endpoint: SlowEndpoint,
    code_dir: Path | None,
    in_flight: int | None,
    workers: int | None,
    b_count: int,
    a_count: int,
) -> tuple[list[float], list[float]]:
    """B's latencies (ms) with B alone, then with A's slow backlog queued just before B's."""
    with fleet_on_fresh_database(workers, code_dir=code_dir, in_flight=in_flight) as fleet:
        fleet.start(1)
        fast = endpoint.url_with_delay(0)
        warmup = asyncio.run(fleet.enqueue(fast, 16))
        asyncio.run(fleet.wait_finished(warmup, 120))
        time.sleep(1)
        company_a, company_b = uuid7(), uuid7()
        quiet = asyncio.run(fleet.enqueue(fast, b_count, company_id=company_b, per_second=20))
        asyncio.run(fleet.wait_finished(quiet, 120))
        noisy = asyncio.run(fleet.enqueue(endpoint.url_with_delay(6000), a_count, company_id=company_a))
        time.sleep(0.5)
        beside = asyncio.run(fleet.enqueue(fast, b_count, company_id=company_b, per_second=20))
        asyncio.run(fleet.wait_finished(beside, 600))
        asyncio.run(fleet.wait_finished(noisy, 600))
        return asyncio.run(fleet.latencies_ms(quiet)), asyncio.run(fleet.latencies_ms(beside))


def one_at_a_time(
    url: str,
    code_dir: Path | None,
    workers: int | None,
    count: int,
    profile_dir: Path | None = None,
) -> tuple[list[dict[str, float]], float]:
    """Hops of `count` actions run one at a time on one runner, and its CPU-ms per action."""
    with fleet_on_fresh_database(workers, code_dir=code_dir) as fleet:
        fleet.start(1)
        asyncio.run(fleet.one_at_a_time(url, 16))
        pids = [process.pid for process in fleet.processes.values()]
        sampled = (
            profiles({f"actions-{pid}": pid for pid in pids}, profile_dir)
            if profile_dir is not None
            else contextlib.nullcontext()
        )
        with sampled:
            before = ProcessTicks()
            hops = asyncio.run(fleet.one_at_a_time(url, count))
            after = ProcessTicks()
        if profile_dir is not None:
            summarize(profile_dir)
        return hops, cpu_ms(sum(after.tree(pid) - before.tree(pid) for pid in pids)) / count


def print_one_at_a_time(label: str, hops: list[dict[str, float]], cpu_per_action: float) -> None:
    def p50(name: str) -> float:
        return percentile([h[name] for h in hops], 0.5)

    print(
        f"  [{label}] one at a time ({len(hops)} actions): request → result written p50 "
        f"{p50('written'):5.1f} ms, p99 {percentile([h['written'] for h in hops], 0.99):5.1f} ms; "
        f"p50 from the request: recorded {p50('recorded'):5.1f}, taken {p50('taken'):5.1f}, "
        f"settled {p50('settled'):5.1f} ms; runner CPU {cpu_per_action:4.1f} ms per action",
        flush=True,
    )


def sequential_only(args: argparse.Namespace) -> None:
    """`--sequential` alone: these runners, then (with `--baseline`) the baseline's, in turn for
    `--rounds` rounds, each round's ratios and their medians, against the endpoint
    `bench.compare` uses (a process of its own that answers at once)."""
    label_dirs: list[tuple[str, Path | None]] = [("these runners", None)]
    if args.baseline is not None:
        label_dirs.append((f"runners of {args.baseline.resolve()}", args.baseline.resolve()))
    latency_ratios: list[float] = []
    cpu_ratios: list[float] = []
    for n in range(1, (args.rounds if args.baseline is not None else 1) + 1):
        results: list[tuple[list[dict[str, float]], float]] = []
        for label, code_dir in label_dirs:
            profile_dir = args.profile / (code_dir.name if code_dir else "these") if args.profile else None
            with Endpoint() as endpoint:
                results.append(
                    one_at_a_time(
                        f"{endpoint.url}/work",
                        code_dir,
                        args.workers,
                        args.sequential,
                        profile_dir if n == 1 else None,
                    )
                )
            print_one_at_a_time(label, *results[-1])
        if len(results) == 2:
            (these, these_cpu), (theirs, theirs_cpu) = results
            mine = percentile([h["written"] for h in these], 0.5)
            base = percentile([h["written"] for h in theirs], 0.5)
            latency_ratios.append(mine / base)
            cpu_ratios.append(these_cpu / theirs_cpu)
            print(
                f"round {n} ratios (these / baseline): one-at-a-time request → result p50 "
                f"x{mine / base:.2f} ({mine - base:+.1f} ms), runner CPU per action x{these_cpu / theirs_cpu:.2f}",
                flush=True,
            )
    if len(latency_ratios) > 1:
        print(
            f"median over {len(latency_ratios)} rounds: request → result p50 "
            f"x{sorted(latency_ratios)[len(latency_ratios) // 2]:.2f}, runner CPU per action "
            f"x{sorted(cpu_ratios)[len(cpu_ratios) // 2]:.2f}"
        )


def measure(
    endpoint: SlowEndpoint, args: argparse.Namespace, code_dir: Path | None, actions: int, runners: list[int]
) -> Figures:
    label = f"runners of {code_dir}" if code_dir else "these runners"
    figures = Figures()
    for count in runners:
        profile_dir = args.profile / (code_dir.name if code_dir else "these") if args.profile else None
        (
            figures.throughput[count],
            figures.cpu_ms_per_action[count],
            figures.postgres_ms_per_action[count],
        ) = throughput(endpoint, count, actions, code_dir, args.in_flight, args.workers, profile_dir)
        database = figures.postgres_ms_per_action[count]
        print(
            f"  [{label}] runners={count}: {figures.throughput[count]:6.1f} actions/s, "
            f"{figures.cpu_ms_per_action[count]:5.1f} runner CPU-ms per action"
            + (f", {database:5.1f} Postgres CPU-ms per action" if database is not None else "")
            + f" ({actions} actions, {args.delay_ms} ms each)",
            flush=True,
        )
    figures.quiet_ms, figures.beside_ms = noisy_neighbour(
        endpoint, code_dir, args.in_flight, args.workers, args.neighbour_actions, args.noisy_actions
    )
    print(
        f"  [{label}] B alone: p50 {percentile(figures.quiet_ms, 0.5):7.0f} ms, "
        f"p99 {percentile(figures.quiet_ms, 0.99):7.0f} ms; beside A: p50 "
        f"{percentile(figures.beside_ms, 0.5):7.0f} ms, p99 {percentile(figures.beside_ms, 0.99):7.0f} ms",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--actions", type=int, default=400)
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--runners", default="1,2,4")
    parser.add_argument(
        "--in-flight", type=int, default=None, help="ACTIONS_MAX_IN_FLIGHT (its default if unset)"
    )
    parser.add_argument("--workers", type=int, default=None, help="group members per runner process")
    parser.add_argument("--neighbour-actions", type=int, default=60, help="B's actions, 20 a second")
    parser.add_argument("--noisy-actions", type=int, default=40, help="A's backlog, 6 s each")
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout whose runners to compare")
    parser.add_argument(
        "--baseline-actions", type=int, default=None, help="the baseline's backlog (--actions if unset)"
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="sample the runners with py-spy into this directory"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --baseline: more one-runner throughput pairs, these and the baseline's in turn, "
        "each pair's ratio printed (a shared machine's load drifts between runs)",
    )
    parser.add_argument(
        "--sequential",
        type=int,
        default=None,
        help="only N actions one at a time on one runner (with --baseline: its runners too)",
    )
    bench_infra.add_broker_argument(parser)
    args = parser.parse_args()
    # The private brokers and the runner processes follow TF_BROKER.
    os.environ["TF_BROKER"] = args.broker
    print(f"broker: {args.broker}")
    runners = [int(n) for n in args.runners.split(",")]
    endpoint = SlowEndpoint(args.delay_ms)
    print(f"machine: {describe()}")
    members = args.workers if args.workers is not None else "the service's default number of"
    print(f"8 partitions, {members} consumer members per runner; noisy neighbour on one runner process")
    try:
        if args.sequential is not None:
            sequential_only(args)
            return
        current = measure(endpoint, args, None, args.actions, runners)
        if args.baseline is not None:
            baseline_actions = args.baseline_actions or args.actions
            baseline = measure(endpoint, args, args.baseline.resolve(), baseline_actions, runners[:1])
            count = runners[0]
            print(
                f"ratios (these / baseline): runners={count} throughput "
                f"x{current.throughput[count] / baseline.throughput[count]:.2f}, runner CPU per action "
                f"x{current.cpu_ms_per_action[count] / baseline.cpu_ms_per_action[count]:.2f}; "
                f"B p50 beside A x{percentile(current.beside_ms, 0.5) / percentile(baseline.beside_ms, 0.5):.3f}"
            )
            pairs = [
                (
                    (current.throughput[count], baseline.throughput[count]),
                    (current.cpu_ms_per_action[count], baseline.cpu_ms_per_action[count]),
                    (current.postgres_ms_per_action[count], baseline.postgres_ms_per_action[count]),
                )
            ]
            for n in range(2, args.rounds + 1):
                these = throughput(endpoint, count, args.actions, None, args.in_flight, args.workers)
                theirs = throughput(
                    endpoint, count, baseline_actions, args.baseline.resolve(), args.in_flight, args.workers
                )
                pairs.append(((these[0], theirs[0]), (these[1], theirs[1]), (these[2], theirs[2])))
                print(
                    f"  round {n}: {these[0]:6.1f} vs {theirs[0]:6.1f} actions/s (x{these[0] / theirs[0]:.2f}), "
                    f"{these[1]:5.1f} vs {theirs[1]:5.1f} runner CPU-ms per action (x{these[1] / theirs[1]:.2f})"
                    + (
                        f", {these[2]:5.1f} vs {theirs[2]:5.1f} Postgres CPU-ms per action "
                        f"(x{these[2] / theirs[2]:.2f})"
                        if these[2] is not None and theirs[2] is not None
                        else ""
                    ),
                    flush=True,
                )
            if len(pairs) > 1:

                def median_ratio(of: list[tuple[float | None, float | None]]) -> str:
                    ratios = sorted(a / b for a, b in of if a is not None and b is not None and b > 0)
                    return f"x{ratios[len(ratios) // 2]:.2f}" if ratios else "n/a"

                print(
                    f"median over {len(pairs)} rounds: throughput {median_ratio([p[0] for p in pairs])}, "
                    f"runner CPU per action {median_ratio([p[1] for p in pairs])}, "
                    f"Postgres CPU per action {median_ratio([p[2] for p in pairs])}; best these "
                    f"{max(p[0][0] for p in pairs):.1f}, best baseline {max(p[0][1] for p in pairs):.1f} actions/s"
                )
        quiet, beside = percentile(current.quiet_ms, 0.5), percentile(current.beside_ms, 0.5)
        print(f"B's p50 beside A minus alone: {beside - quiet:+.0f} ms (target: within 100 ms)")
    finally:
        endpoint.close()


if __name__ == "__main__":
    main()
