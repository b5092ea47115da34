"""What the gateway costs: authenticated GET requests per second and p99 latency through the
gateway (token verified, claims signed, proxied) against the same request sent straight to the
identity service with self-signed claims headers.

    python -m bench.gateway_overhead [--requests 2000] [--concurrency 16] [--broker embedded|kafka]

Starts the whole stack (embedded Postgres and the chosen broker unless DATABASE_URL /
KAFKA_BOOTSTRAP_SERVERS name real ones) in a temporary folder, or measures a running one when
TF_BENCH_GATEWAY_URL, TF_BENCH_IDENTITY_URL and GATEWAY_CLAIMS_SECRET are set.
"""

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import infra as bench_infra
from common.embedded import BrokerKind, free_port
from common.testing.infra import claims_headers

PASSWORD = "Bench-Password-2024"


@dataclass
class Target:
    gateway_url: str
    identity_url: str
    claims_secret: str
    # Process ids of the stack this script started: CPU time per request is read from them (a
    # figure that depends far less on what else the machine is doing than throughput does).
    pids: dict[str, int] = field(default_factory=dict)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(target: Target) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in target.pids.items()}


@dataclass
class Figures:
    label: str
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        return (
            f"{self.label:<28} {self.per_second:8.0f} req/s   p50 {self.percentile(0.5):6.1f} ms"
            f"   p99 {self.percentile(0.99):6.1f} ms   mean {statistics.mean(self.latencies) * 1000:6.1f} ms"
        )


@contextlib.contextmanager
def stack_target(broker: BrokerKind) -> Iterator[Target]:
    if os.environ.get("TF_BENCH_GATEWAY_URL"):
        yield Target(
            os.environ["TF_BENCH_GATEWAY_URL"].rstrip("/"),
            os.environ["TF_BENCH_IDENTITY_URL"].rstrip("/"),
            os.environ["GATEWAY_CLAIMS_SECRET"],
        )
        return
    from devstack.stack import DEFAULT_PORTS, Stack

    data_dir = Path(tempfile.mkdtemp(prefix="tf-bench-"))
    print(f"starting the stack in {data_dir} ...", flush=True)
    infra = bench_infra.start(data_dir, broker)
    print(f"Broker: {bench_infra.describe(infra)}", flush=True)
    ports = {name: free_port() for name in DEFAULT_PORTS}
    stack = Stack(infra=infra, data_dir=data_dir, ports=ports, say=lambda m: None)
    stack.extra_env.update({"TF_ENV": "test", "IDENTITY_LOGIN_RATE_LIMIT_PER_MINUTE": "100000"})
    try:
        stack.migrate()
        stack.start()
        stack.wait_ready(timeout=180)
        yield Target(
            f"http://127.0.0.1:{ports['gateway']}",
            f"http://127.0.0.1:{ports['identity']}",
            (data_dir / "claims-secret").read_text().strip(),
            {name: stack.processes[name].popen.pid for name in ("gateway", "identity")},
        )
    finally:
        stack.stop()
        infra.stop()


async def measure(
    label: str, client: httpx.AsyncClient, url: str, headers: dict[str, str], requests: int, concurrency: int
) -> Figures:
    latencies: list[float] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{label}: {response.status_code} {response.text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Figures(label, requests, time.perf_counter() - started, latencies)


async def bench(target: Target, requests: int, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        signup = await client.post(
            f"{target.gateway_url}/api/identity/signup",
            json={
                "company_name": "Bench",
                "email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                "password": PASSWORD,
                "first_name": "Bench",
                "last_name": "Mark",
                "cookie": False,
            },
        )
        signup.raise_for_status()
        session = signup.json()
        user = session["user"]
        through_gateway = {"authorization": f"Bearer {session['access_token']}"}

        def direct_headers() -> dict[str, str]:
            return claims_headers(
                uuid.UUID(user["company_id"]),
                uuid.UUID(user["id"]),
                roles=user["system_roles"],
                company_roles=user["company_roles"],
                secret=target.claims_secret,
            )

        path = "/api/identity/me"
        warmup = min(200, requests)
        await measure("warm-up", client, target.gateway_url + path, through_gateway, warmup, concurrency)
        await measure("warm-up", client, target.identity_url + path, direct_headers(), warmup, concurrency)
        before = cpu_snapshot(target)
        direct = await measure(
            "straight to identity",
            client,
            target.identity_url + path,
            direct_headers(),
            requests,
            concurrency,
        )
        between = cpu_snapshot(target)
        gateway = await measure(
            "through the gateway", client, target.gateway_url + path, through_gateway, requests, concurrency
        )
        after = cpu_snapshot(target)
    print(f"\nGET {path}, {requests} requests, {concurrency} concurrent, keep-alive\n")
    print(direct.line())
    print(gateway.line())
    print(
        f"\ngateway / direct: throughput x{gateway.per_second / direct.per_second:.2f}, "
        f"p99 x{gateway.percentile(0.99) / direct.percentile(0.99):.2f} "
        f"(+{gateway.percentile(0.99) - direct.percentile(0.99):.1f} ms)"
    )
    if target.pids:

        def per_request(name: str, start: dict[str, float], end: dict[str, float]) -> float:
            return (end[name] - start[name]) / requests * 1000

        print(
            f"CPU per request: straight, identity {per_request('identity', before, between):.2f} ms; "
            f"through the gateway, gateway {per_request('gateway', between, after):.2f} ms "
            f"+ identity {per_request('identity', between, after):.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    bench_infra.add_broker_argument(parser)
    args = parser.parse_args()
    with stack_target(args.broker) as target:
        asyncio.run(bench(target, max(1, min(args.requests, 50_000)), max(1, min(args.concurrency, 256))))


if __name__ == "__main__":
    main()
