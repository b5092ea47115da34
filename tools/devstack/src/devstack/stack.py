"""Start and stop the whole system on one machine.

Postgres and Kafka are the embedded ones unless `DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS`
name real servers; `TF_BROKER=kafka` starts Apache Kafka (KRaft, from Maven Central jars)
instead of the embedded Tansu broker. Every service and the gateway run as their own processes, each logging to
`<data>/logs/<name>.log`.
"""

import asyncio
import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from common.embedded import (
    ApacheKafka,
    BrokerKind,
    EmbeddedKafka,
    EmbeddedPostgres,
    broker_kind,
    kafka_version,
    wait_for_port,
)
from common.kafka import ensure_topics
from contracts.services import DEFAULT_PORTS, SERVICES

__all__ = ["DEFAULT_PORTS", "ROOT", "SERVICES", "Infra", "Stack", "start_infra"]

ROOT = Path(__file__).resolve().parents[4]

Say = Callable[[str], None]


def _die_with_parent() -> None:
    """Children get SIGTERM when the stack process dies, even by SIGKILL: no orphans."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Infra:
    database_url: str
    kafka_bootstrap_servers: str
    postgres: EmbeddedPostgres | None = None
    kafka: EmbeddedKafka | ApacheKafka | None = None
    # What the broker is, told to every service: by default what `TF_BROKER` names.
    broker: BrokerKind = field(default_factory=broker_kind)

    def stop(self) -> None:
        if self.kafka is not None:
            self.kafka.stop()
        if self.postgres is not None:
            self.postgres.stop()


def start_infra(
    data_dir: Path,
    say: Say,
    *,
    pg_port: int,
    kafka_port: int,
    broker: BrokerKind | None = None,
    durable: bool = True,
    pg_settings: Mapping[str, str] | None = None,
) -> Infra:
    """Postgres and a broker: the ones the environment names, else started here. `broker`
    chooses what is started (default: `TF_BROKER`); `durable=False` runs Postgres without
    fsync, for throwaway test databases only; `pg_settings` are further settings of a
    Postgres started here."""
    database_url = os.environ.get("DATABASE_URL")
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if kafka:
        # A broker named by the environment is taken to be Apache Kafka unless TF_BROKER says not.
        kind: BrokerKind = "embedded" if os.environ.get("TF_BROKER") == "embedded" else "kafka"
    else:
        kind = broker or broker_kind()
    infra = Infra(database_url or "", kafka or "", broker=kind)
    try:
        if database_url:
            say(f"Postgres: using DATABASE_URL ({database_url.split('@')[-1]})")
        else:
            mode = "durable" if durable else "without fsync (throwaway)"
            say(f"Postgres: starting the embedded server on 127.0.0.1:{pg_port}, {mode}")
            infra.postgres = EmbeddedPostgres(
                data_dir / "postgres", pg_port, durable=durable, settings=pg_settings
            )
            infra.postgres.start()
            infra.database_url = infra.postgres.url
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        if kafka:
            say(f"Kafka: using KAFKA_BOOTSTRAP_SERVERS ({kafka})")
        elif kind == "kafka":
            say(f"Kafka: starting Apache Kafka {kafka_version()} (KRaft) on 127.0.0.1:{kafka_port}")
            infra.kafka = ApacheKafka(data_dir / "kafka", kafka_port)
            infra.kafka.start()
            infra.kafka_bootstrap_servers = infra.kafka.bootstrap_servers
        else:
            say(f"Kafka: starting the embedded Tansu broker on 127.0.0.1:{kafka_port}")
            infra.kafka = EmbeddedKafka(kafka_port, data_dir / "logs" / "kafka.log")
            infra.kafka.start()
            infra.kafka_bootstrap_servers = infra.kafka.bootstrap_servers
        say("Kafka: creating topics")
        asyncio.run(ensure_topics(infra.kafka_bootstrap_servers))
    except BaseException:
        infra.stop()
        raise
    return infra


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    port: int
    log: Path


@dataclass
class Stack:
    """Every service and the gateway, as processes, on given infrastructure."""

    infra: Infra
    data_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    extra_env: dict[str, str] = field(default_factory=dict)
    say: Say = print
    processes: dict[str, Process] = field(default_factory=dict)
    partners: list[Process] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.infra.database_url,
            KAFKA_BOOTSTRAP_SERVERS=self.infra.kafka_bootstrap_servers,
            GATEWAY_CLAIMS_SECRET=self._claims_secret(),
            TF_BROKER=self.infra.broker,
            PYTHONUNBUFFERED="1",
        )
        for name, port in self.ports.items():
            env[f"{name.upper()}_PORT"] = str(port)
            env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
        if self.infra.broker == "embedded":
            # Tansu forgets everything on restart: the outbox replays what it lacks at start.
            for name in SERVICES:
                env[f"{name.upper()}_OUTBOX_REPLAY_ON_START"] = "true"
        if "gateway" in self.ports:
            # Emailed links point at the gateway this stack runs, unless the operator names
            # the public address.
            env.setdefault("IDENTITY_PUBLIC_URL", f"http://127.0.0.1:{self.ports['gateway']}")
        env["IDENTITY_MAILBOX_DIR"] = str(self.data_dir / "mailbox")
        env["TICKETS_STORAGE_DIR"] = str(self.data_dir / "attachments")
        env.update(self.extra_env)
        return env

    def _claims_secret(self) -> str:
        path = self.data_dir / "claims-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def migrate(self) -> None:
        env = self.env()
        for name in SERVICES:
            self.say(f"Migrating {name}")
            result = subprocess.run(
                [sys.executable, "-m", name, "migrate"], env=env, capture_output=True, text=True
            )
            if result.returncode != 0:
                raise RuntimeError(f"migrating {name} failed:\n{result.stderr[-4000:]}")

    def start(self, names: tuple[str, ...] = (*SERVICES, "gateway")) -> None:
        env = self.env()
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for name in names:
            self.start_one(name, env, logs)

    def start_one(
        self,
        name: str,
        env: Mapping[str, str] | None = None,
        logs: Path | None = None,
        *,
        service: str | None = None,
    ) -> Process:
        """Start one process called `name`, running `service` (default: the same name), so a
        second replica of a service can run beside the first under a name of its own."""
        service = service or name
        env = dict(env or self.env())
        logs = logs or self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        port = self.ports[name]
        env[f"{service.upper()}_PORT"] = str(port)
        log = logs / f"{name}.log"
        self.say(f"Starting {name} on 127.0.0.1:{port} (log: {log})")
        with open(log, "ab") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", service, "serve"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        process = Process(name, popen, port, log)
        self.processes[name] = process
        return process

    def start_partner(self, port: int) -> Process:
        """The demo stand-in for external systems (not a service: no readiness of its own)."""
        log = self.data_dir / "logs" / "partner.log"
        env = dict(self.env(), PARTNER_PORT=str(port))
        with open(log, "ab") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "devstack.partner"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        self.partners.append(Process("partner", popen, port, log))
        wait_for_port(port, 30)
        return self.partners[-1]

    def wait_ready(self, timeout: float = 120.0, names: tuple[str, ...] | None = None) -> None:
        deadline = time.monotonic() + timeout
        pending = {n: p for n, p in self.processes.items() if names is None or n in names}
        with httpx.Client(timeout=2.0) as client:
            while pending:
                for name, process in list(pending.items()):
                    if process.popen.poll() is not None:
                        tail = process.log.read_text(errors="replace")[-3000:]
                        raise RuntimeError(f"{name} exited with {process.popen.returncode}:\n{tail}")
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"http://127.0.0.1:{process.port}/readyz").status_code == 200:
                            self.say(f"Ready: {name}")
                            del pending[name]
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {timeout}s: {', '.join(pending)}")
                time.sleep(0.2)

    def stop(self) -> None:
        for partner in self.partners:
            partner.popen.terminate()
        for process in self.processes.values():
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
        self.processes.clear()
        for partner in self.partners:
            partner.popen.wait(10)
        self.partners.clear()
