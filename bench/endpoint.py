"""A partner system that answers every POST at once with small JSON, counting the calls and
the distinct bodies (a retry repeats its body), so the benchmarks can check that every step
really reached it, and how often twice. `GET /calls` reads the counts, `DELETE /calls` resets
them. It runs in a process of its own
(`Endpoint`), so its work never shares an interpreter lock with a load generator.

    python -m bench.endpoint PORT
"""

import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
import uvicorn

from common.embedded import free_port, wait_for_port

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]

ANSWER = b'{"ok":true}'
calls = 0
bodies: set[bytes] = set()


async def app(
    scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
) -> None:
    """Pure ASGI: the least work per request that still reads the whole body."""
    global calls
    if scope["type"] != "http":
        return
    received = b""
    more = True
    while more:
        message = await receive()
        received += message.get("body", b"")
        more = bool(message.get("more_body"))
    if scope["method"] == "POST":
        calls += 1
        bodies.add(received)
        body = ANSWER
    else:
        if scope["method"] == "DELETE":
            calls = 0
            bodies.clear()
        body = json.dumps({"calls": calls, "distinct": len(bodies)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Endpoint:
    """The endpoint as a child process on a free port, for `with`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def calls_url(self) -> str:
        return f"{self.url}/calls"

    def __enter__(self) -> "Endpoint":
        self.process = subprocess.Popen([sys.executable, "-m", "bench.endpoint", str(self.port)])
        wait_for_port(self.port, 30)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def reset(self) -> None:
        httpx.delete(self.calls_url, timeout=5.0).raise_for_status()

    def counts(self) -> tuple[int, int]:
        """POSTs answered since the last reset, and how many distinct bodies they carried."""
        answer = httpx.get(self.calls_url, timeout=5.0).json()
        return int(answer["calls"]), int(answer["distinct"])

    def answer_times_ms(self, samples: int = 200) -> tuple[float, float]:
        """The fastest and the median round trip of one POST over a kept-alive connection
        (on a busy machine the median is mostly time waiting for a core)."""
        times: list[float] = []
        with httpx.Client(timeout=5.0) as client:
            for _ in range(samples):
                started = time.perf_counter()
                client.post(f"{self.url}/probe", json={"n": 0})
                times.append(time.perf_counter() - started)
        ordered = sorted(times)
        return ordered[0] * 1000, ordered[len(ordered) // 2] * 1000


def main() -> None:
    uvicorn.run(
        app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False, lifespan="off"
    )


if __name__ == "__main__":
    main()
