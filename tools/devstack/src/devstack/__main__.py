"""`python -m devstack run` starts the whole system; `python -m devstack test` runs every check;
`python -m devstack openapi` regenerates the SPA's API types from the services."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from xml.etree import ElementTree

from common.embedded import ApacheKafka, BrokerUnavailable, free_port, java_missing, kafka_version
from common.kafka import ensure_topics
from devstack.demo import seed
from devstack.openapi import main as openapi_main
from devstack.stack import DEFAULT_PORTS, ROOT, SERVICES, Stack, start_infra


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _port(name: str) -> int:
    return int(os.environ.get(f"{name.upper()}_PORT", DEFAULT_PORTS[name]))


def run() -> int:
    data_dir = Path(os.environ.get("TF_DATA_DIR", ROOT / ".data"))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        say(f"{signal.Signals(signum).name}: stopping")
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    infra = start_infra(
        data_dir,
        say,
        pg_port=int(os.environ.get("TF_PG_PORT", "55432")),
        kafka_port=int(os.environ.get("TF_KAFKA_PORT", "19092")),
        # Throwaway runs may trade durability for speed; by default what was acknowledged stays.
        durable=os.environ.get("TF_PG_DURABLE", "1") != "0",
    )
    ports = {name: _port(name) for name in DEFAULT_PORTS}
    stack = Stack(infra=infra, data_dir=data_dir, ports=ports, say=say)
    try:
        stack.migrate()
        partner_port = int(os.environ.get("PARTNER_PORT", "9900"))
        partner_url = f"http://127.0.0.1:{partner_port}"
        # The demo partner listens on loopback: let this machine's runners call it, unless the
        # operator said otherwise.
        if "ACTIONS_ALLOW_PRIVATE_TARGETS" not in os.environ:
            stack.extra_env["ACTIONS_ALLOW_PRIVATE_TARGETS"] = "true"
        stack.start()
        stack.start_partner(partner_port)
        say("Waiting for every service to be ready")
        stack.wait_ready()
        if os.environ.get("TF_DEMO_DATA", "1") == "1":
            say("Demo data: the sample IT onboarding workflow, with its actions on " + partner_url)
            for line in seed(f"http://127.0.0.1:{ports['gateway']}", partner_url):
                say(line)
        say(f"TicketFlower is up: http://127.0.0.1:{ports['gateway']}  (Ctrl-C stops it)")
        say(f"Logs: {data_dir / 'logs'}   Dev mailbox: {data_dir / 'mailbox'}")
        supervise(stack, stop)
    finally:
        say("Stopping services")
        stack.stop()
        say("Stopping Kafka and Postgres")
        infra.stop()
        say("Stopped")
    return 0


def supervise(stack: Stack, stop: threading.Event) -> None:
    """Restart a service that exits, with backoff, until Ctrl-C or SIGTERM; a service that
    stays up for a minute earns its backoff back."""
    backoff: dict[str, float] = {}
    restart_at: dict[str, float] = {}
    started_at = {name: time.monotonic() for name in stack.processes}
    while not stop.is_set():
        now = time.monotonic()
        for name, process in list(stack.processes.items()):
            if name in restart_at:
                if now >= restart_at[name]:
                    del restart_at[name]
                    say(f"Restarting {name}")
                    stack.start_one(name)
                    started_at[name] = now
                continue
            code = process.popen.poll()
            if code is None:
                if now - started_at[name] > 60:
                    backoff.pop(name, None)
                continue
            delay = min(30.0, backoff.get(name, 0.5) * 2)
            backoff[name] = delay
            restart_at[name] = now + delay
            say(f"{name} exited with {code}; restarting in {delay:.0f} s (log: {process.log})")
        stop.wait(0.5)


def _step(title: str, cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> int:
    say(title)
    code = subprocess.run(cmd, cwd=cwd, env=env).returncode
    if code != 0:
        say(f"FAILED ({code}): {title}")
    return code


# The suites whose behaviour is the broker's: they run on both brokers.
BROKER_SUITES = (
    "services/*/tests/messaging",
    "services/*/tests/crash",
    "libs/common/tests/integration",
    "tests/e2e",
    "tests/faults",
)
# Fault tests that need Apache Kafka itself (a 3-node cluster, a broker restarted with its data).
KAFKA_ONLY_SUITES = ("tests/faults_kafka",)


def _pytest(title: str, args: list[str], junit: Path, env: dict[str, str]) -> int:
    # The fault suites print their drain times: let their output through.
    shown = ["-s"] if any(arg.startswith("tests/faults") for arg in args) else []
    code = _step(title, [sys.executable, "-m", "pytest", "-q", *shown, f"--junitxml={junit}", *args], env=env)
    if code == 5:
        say(f"pytest collected no tests for '{title}': that is a failure")
    return code


def test() -> int:
    python_dirs = ["libs", "services", "gateway", "tools", "tests", "bench"]
    existing = [d for d in python_dirs if (ROOT / d).exists()]
    failures = 0
    failures += _step("ruff", [sys.executable, "-m", "ruff", "check", *existing]) != 0
    packages = ("common", "contracts", "devstack", "gateway", "bench", *SERVICES)
    # The tests are held to the same strict typing as the code they test.
    test_dirs = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/*/tests") if p.is_dir())
    test_dirs += [d for d in ("gateway/tests", "tests") if (ROOT / d).is_dir()]
    mypy = [sys.executable, "-m", "mypy", *[arg for package in packages for arg in ("-p", package)]]
    failures += _step("mypy", mypy) != 0
    # mypy takes packages or files in one run, not both.
    failures += _step("mypy (tests)", [sys.executable, "-m", "mypy", *test_dirs]) != 0

    data_dir = Path(tempfile.mkdtemp(prefix="tf-test-"))
    not_run: list[str] = []
    # Test databases are throwaway: no fsync. The fault suites start durable servers of their own.
    infra = start_infra(
        data_dir, say, pg_port=free_port(), kafka_port=free_port(), broker="embedded", durable=False
    )
    env = dict(os.environ)
    env["TEST_DATABASE_URL"] = infra.database_url
    env["TF_TEST_DATA_DIR"] = str(data_dir)
    embedded_env = dict(env, KAFKA_BOOTSTRAP_SERVERS=infra.kafka_bootstrap_servers, TF_BROKER="embedded")
    try:
        suites = [str(p) for p in sorted((ROOT / "services").glob("*/tests"))]
        suites += [
            str(p)
            for p in (ROOT / "libs/common/tests", ROOT / "gateway/tests", ROOT / "tests/deploy")
            if p.exists()
        ]
        code = _pytest(
            "pytest on the embedded broker: services, libs, gateway",
            ["-n", "2", "--dist", "loadfile", *suites],
            data_dir / "junit-suites.xml",
            embedded_env,
        )
        failures += code != 0
        for suite in ("tests/e2e", "tests/faults"):
            if (ROOT / suite).exists():
                junit = data_dir / f"junit-embedded-{Path(suite).name}.xml"
                code = _pytest(f"pytest on the embedded broker: {suite}", [suite], junit, embedded_env)
                failures += code != 0
        failures += _kafka_lane(data_dir, env, not_run)
    finally:
        infra.stop()

    frontend = ROOT / "frontend"
    if (frontend / "package.json").exists():
        # The SPA's API types come from the services' OpenAPI: a service change that was not
        # regenerated into them fails here, with the command that regenerates them.
        drift = [sys.executable, "-m", "devstack", "openapi", "--check"]
        failures += _step("frontend: generated API types match the services", drift) != 0
        failures += _step("frontend: typecheck", ["npm", "run", "--silent", "typecheck"], cwd=frontend) != 0
        failures += _step("frontend: lint", ["npm", "run", "--silent", "lint"], cwd=frontend) != 0
        unit = [
            "npx",
            "vitest",
            "run",
            "--reporter=default",
            "--reporter=junit",
            f"--outputFile.junit={data_dir / 'junit-frontend.xml'}",
        ]
        failures += _step("frontend: unit tests", unit, cwd=frontend) != 0
    passed, failed, skipped = _count(data_dir.glob("junit-*.xml"))
    for line in not_run:
        say(f"NOT RUN: {line}")
    say("all checks passed" if not failures else f"{failures} check(s) failed")
    # One closing line over every test runner (pytest and Vitest), in the plain form.
    print(
        f"tests: {passed} passed, {failed} failed, {skipped} skipped"
        + (f", {len(not_run)} suite(s) not run" if not_run else ""),
        flush=True,
    )
    return 1 if failures or failed else 0


def _kafka_lane(data_dir: Path, env: dict[str, str], not_run: list[str]) -> int:
    """The broker suites again, on Apache Kafka, and the faults that need Apache Kafka itself."""
    suites = [str(p.relative_to(ROOT)) for pattern in BROKER_SUITES for p in sorted(ROOT.glob(pattern))]
    kafka_only = [s for s in KAFKA_ONLY_SUITES if (ROOT / s).exists()]
    reason = java_missing()
    if reason:
        not_run.extend(f"{suite} on Apache Kafka ({reason})" for suite in (*suites, *kafka_only))
        return 0
    say(f"Apache Kafka {kafka_version()}: starting for the broker suites")
    try:
        kafka = ApacheKafka(data_dir / "kafka")
        kafka.start()
    except BrokerUnavailable as exc:
        say(f"FAILED: Apache Kafka did not start: {exc}")
        return 1
    failures = 0
    try:
        asyncio.run(ensure_topics(kafka.bootstrap_servers))
        kafka_env = dict(env, KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers, TF_BROKER="kafka")
        in_process = [s for s in suites if not s.startswith("tests/")]
        code = _pytest(
            "pytest on Apache Kafka: messaging, crash and integration suites",
            ["-n", "2", "--dist", "loadfile", *in_process],
            data_dir / "junit-kafka-suites.xml",
            kafka_env,
        )
        failures += code != 0
        for suite in [s for s in suites if s.startswith("tests/")] + kafka_only:
            junit = data_dir / f"junit-kafka-{Path(suite).name}.xml"
            failures += _pytest(f"pytest on Apache Kafka: {suite}", [suite], junit, kafka_env) != 0
    finally:
        kafka.stop()
    return failures


def _count(reports: Iterable[Path]) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for report in reports:
        root = ElementTree.parse(report).getroot()  # noqa: S314 (written by our own test runners)
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += total - bad - skip
            failed += bad
            skipped += skip
    return passed, failed, skipped


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "run":
        sys.exit(run())
    if command == "test":
        sys.exit(test())
    if command == "openapi":
        sys.exit(openapi_main(sys.argv[2:]))
    sys.exit("usage: python -m devstack [run|test|openapi [--check]]")


if __name__ == "__main__":
    main()
