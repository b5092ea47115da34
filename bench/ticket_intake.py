"""Tickets accepted per second at the gateway, for one company: sign up, upload the sample
bundle, then submit tickets over HTTP through the gateway at a given concurrency, each with its
own Idempotency-Key, and count the 201s.

    python -m bench.ticket_intake [--tickets 600] [--concurrency 32] [--reads 200] [--profile DIR]

Starts the whole stack (every service and the gateway, on embedded Postgres and Kafka unless
DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS name real ones) in a temporary folder. The workflow's
first task is a form with nobody to assign it to, so the engine's share stays small and steady.
It also prints the CPU time each process spent per accepted ticket during the measured phase
(from /proc, so it holds whatever else shares the machine). Then it reads the accepted tickets'
detail (`GET /api/tickets/tickets/{id}`, what a client polls to see completion) `--reads`
times one at a time and prints the latency and the CPU each read cost. With `--profile DIR`
every service process is sampled with py-spy during the measured submits (`bench/profile.py`)
and the busiest functions of each are printed.
"""

import argparse
import asyncio
import contextlib
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench import infra as bench_infra
from bench.machine import ProcessTicks, cpu_ms, describe, percentile, postmaster_pid, tree_deltas
from bench.profile import profiles, summarize
from common.embedded import free_port

PASSWORD = "Bench-Password-2024"
BUNDLE = Path(__file__).resolve().parents[1] / "services/definitions/samples/it_onboarding.yaml"
TICKET_DATA = {"employee_name": "Grace Hopper", "start_date": "2027-01-04", "department": "Engineering"}


async def company_session(client: httpx.AsyncClient) -> dict[str, str]:
    """A new company whose admin may also upload definitions; the bearer header of a fresh
    login carrying those roles."""
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    signup = await client.post(
        "/api/identity/signup",
        json={
            "company_name": "Bench intake",
            "email": email,
            "password": PASSWORD,
            "first_name": "Bench",
            "last_name": "Mark",
            "cookie": False,
        },
    )
    signup.raise_for_status()
    session = signup.json()
    auth = {"authorization": f"Bearer {session['access_token']}"}
    roles = await client.put(
        f"/api/identity/users/{session['user']['id']}/roles",
        headers=auth,
        json={
            "system_roles": ["user", "admin", "workflow_creator", "ticket_admin"],
            "company_roles": ["user"],
        },
    )
    roles.raise_for_status()
    login = await client.post(
        "/api/identity/login", json={"email": email, "password": PASSWORD, "cookie": False}
    )
    login.raise_for_status()
    return {"authorization": f"Bearer {login.json()['access_token']}"}


async def wait_for_type(client: httpx.AsyncClient, auth: dict[str, str], key: str) -> None:
    """The ticket type reaches the tickets service as an event; wait until it may be used."""
    for _ in range(600):
        types = await client.get("/api/tickets/ticket-types", headers=auth)
        if types.status_code == 200 and any(t["key"] == key for t in types.json()):
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"ticket type {key} never became submittable")


async def submit_all(
    client: httpx.AsyncClient, auth: dict[str, str], key: str, tickets: int, concurrency: int
) -> tuple[float, list[float], dict[int, int], list[str]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    accepted: list[str] = []
    queue = iter(range(tickets))

    async def worker() -> None:
        for n in queue:
            body: dict[str, Any] = {
                "ticket_type_key": key,
                "title": f"Intake {n}",
                "ticket_data": TICKET_DATA,
            }
            headers = {**auth, "idempotency-key": str(uuid.uuid4())}
            started = time.perf_counter()
            response = await client.post("/api/tickets/tickets", json=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 201:
                accepted.append(response.json()["id"])

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, statuses, accepted


async def settle(pids: dict[str, int], idle_share: float = 0.1, longest: float = 60.0) -> None:
    """Wait until the stack's processes together use less than `idle_share` of one core."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = ProcessTicks()
        await asyncio.sleep(0.5)
        spent = sum(tree_deltas(before, ProcessTicks(), pids, {}).values())
        if cpu_ms(spent) < 500 * idle_share:
            return


async def read_details(
    client: httpx.AsyncClient, auth: dict[str, str], ids: list[str], reads: int
) -> list[float]:
    """Each read of a ticket's detail, one at a time (as a polling client does), in seconds."""
    latencies: list[float] = []
    for n in range(reads):
        started = time.perf_counter()
        response = await client.get(f"/api/tickets/tickets/{ids[n % len(ids)]}", headers=auth)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return latencies


async def bench(
    gateway_url: str,
    tickets: int,
    concurrency: int,
    pids: dict[str, int] | None = None,
    profile_dir: Path | None = None,
    reads: int = 0,
) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60.0, limits=limits) as client:
        auth = await company_session(client)
        bundle = yaml.safe_load(BUNDLE.read_text())
        (await client.post("/api/definitions/bundles", headers=auth, json=bundle)).raise_for_status()
        key = bundle["ticket_types"][0]["key"]
        await wait_for_type(client, auth, key)
        await submit_all(client, auth, key, min(100, tickets), concurrency)  # warm-up
        services = {name: pid for name, pid in (pids or {}).items() if name != "Postgres"}
        sampling = profiles(services, profile_dir) if profile_dir else contextlib.nullcontext()
        with sampling:
            before = ProcessTicks()
            seconds, latencies, statuses, ids = await submit_all(client, auth, key, tickets, concurrency)
            spent = tree_deltas(before, ProcessTicks(), pids or {}, {})
        read_latencies: list[float] = []
        read_spent: dict[str, int] = {}
        if reads and ids:
            # The submitted workflows start in the background: read once they are done.
            await settle(pids or {})
            await read_details(client, auth, ids, min(20, reads))  # warm-up
            # What the processes spend idle (polling consumers and relays) is not the reads'.
            before_idle, idle_started = ProcessTicks(), time.perf_counter()
            await asyncio.sleep(2.0)
            idle = tree_deltas(before_idle, ProcessTicks(), pids or {}, {})
            idle_seconds = time.perf_counter() - idle_started
            before_reads, reads_started = ProcessTicks(), time.perf_counter()
            read_latencies = await read_details(client, auth, ids, reads)
            read_spent = tree_deltas(before_reads, ProcessTicks(), pids or {}, {})
            reads_seconds = time.perf_counter() - reads_started
            read_spent = {
                name: max(0, round(ticks - idle[name] * reads_seconds / idle_seconds))
                for name, ticks in read_spent.items()
            }
    accepted = statuses.get(201, 0)
    print(f"Machine: {describe()}")
    print(
        f"Tickets submitted through the gateway, one company, concurrency {concurrency}: "
        f"{accepted}/{tickets} accepted (201) in {seconds:.1f}s = {accepted / seconds:.0f} tickets/s; "
        f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms"
    )
    if accepted:
        per_ticket = ", ".join(f"{name} {cpu_ms(ticks) / accepted:.1f}" for name, ticks in spent.items())
        print(f"CPU ms per accepted ticket (measured phase): {per_ticket}")
    others = {s: n for s, n in statuses.items() if s != 201}
    if others:
        print(f"Other answers: {others}")
    if read_latencies:
        print(
            f"Ticket detail reads, one at a time: {len(read_latencies)} reads, latency "
            f"p50 {percentile(read_latencies, 0.5) * 1000:.1f} ms, p99 {percentile(read_latencies, 0.99) * 1000:.1f} ms"
        )
        per_read = ", ".join(
            f"{name} {cpu_ms(ticks) / len(read_latencies):.2f}" for name, ticks in read_spent.items() if ticks
        )
        print(f"CPU ms per detail read (less what the processes spend idle): {per_read}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--reads", type=int, default=200, help="ticket detail reads after the submits (0: none)"
    )
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR")
    bench_infra.add_broker_argument(parser)
    args = parser.parse_args()
    from devstack.stack import DEFAULT_PORTS, Stack

    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-intake-"))
    infra = bench_infra.start(data_dir, args.broker)
    print(f"Broker: {bench_infra.describe(infra)}")
    ports = {name: free_port() for name in DEFAULT_PORTS}
    stack = Stack(infra=infra, data_dir=data_dir, ports=ports, say=lambda m: None)
    stack.extra_env.update(
        {"TF_ENV": "test", "IDENTITY_LOGIN_RATE_LIMIT_PER_MINUTE": "100000", "LOG_LEVEL": "WARNING"}
    )
    try:
        stack.migrate()
        stack.start()
        stack.wait_ready(timeout=180)
        pids = {name: process.popen.pid for name, process in stack.processes.items()}
        if infra.postgres is not None:
            pids["Postgres"] = postmaster_pid(infra.postgres.pgdata)
        asyncio.run(
            bench(
                f"http://127.0.0.1:{ports['gateway']}",
                max(1, min(args.tickets, 20_000)),
                max(1, min(args.concurrency, 256)),
                pids,
                args.profile,
                max(0, min(args.reads, 20_000)),
            )
        )
        if args.profile is not None:
            summarize(args.profile)
    finally:
        stack.stop()
        infra.stop()


if __name__ == "__main__":
    main()
