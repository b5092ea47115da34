"""Sampling profiles of running service processes with py-spy, for a benchmark's measured phase.

    with profiles({"engine": 1234, ...}, Path("/tmp/prof")):
        ...  # the load
    summarize(Path("/tmp/prof"))

Each process is sampled into `<dir>/<name>.txt` (py-spy's collapsed stacks, one line a stack
and its sample count). `summarize` prints, per process, the project's own functions that the
most samples pass through, and where the samples end (the leaf frames), so a profile reads as
"what of ours costs, and what below it does the work". The profiles are never committed.

py-spy is not a dependency of the project: install it into the venv to use this
(`pip install py-spy`).
"""

import contextlib
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

OWN_PACKAGES = ("common", "contracts", "gateway", "identity", "definitions", "tickets", "engine", "actions")


def py_spy() -> str:
    """py-spy beside this interpreter (installed into the venv), else on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise SystemExit("profiling needs py-spy: pip install py-spy")
    return found


@contextlib.contextmanager
def profiles(pids: dict[str, int], out_dir: Path, rate: int = 200) -> Iterator[None]:
    """Sample every process (and its children) while the block runs."""
    spy = py_spy()
    out_dir.mkdir(parents=True, exist_ok=True)
    recorders = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--format",
                "raw",
                "--rate",
                str(rate),
                "--subprocesses",
                "--nonblocking",
                "--output",
                str(out_dir / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in recorders:
            try:
                recorder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                recorder.kill()


def _frames(stack: str) -> list[str]:
    # A raw line is "frame;frame;... count"; a frame is "function (path:line)".
    return [frame.split(" (")[0] + " (" + _module(frame) + ")" for frame in stack.split(";") if frame]


def _module(frame: str) -> str:
    path = frame.split(" (", 1)[1].rsplit(":", 1)[0] if " (" in frame else "?"
    for marker in ("/site-packages/", "/src/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return path


def summarize(out_dir: Path, top: int = 12) -> None:
    for path in sorted(out_dir.glob("*.txt")):
        through: Counter[str] = Counter()
        leaves: Counter[str] = Counter()
        total = 0
        for line in path.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not count_text.isdigit():
                continue
            count = int(count_text)
            frames = _frames(stack)
            if not frames:
                continue
            total += count
            leaves[frames[-1]] += count
            for frame in set(frames):
                if frame.split("(")[-1].split("/")[0] in OWN_PACKAGES:
                    through[frame] += count
        if not total:
            continue
        print(f"\n== {path.stem}: {total} samples")
        print("  ours, by samples passing through:")
        for frame, count in through.most_common(top):
            print(f"    {100 * count / total:5.1f}%  {frame}")
        print("  leaf frames:")
        for frame, count in leaves.most_common(top):
            print(f"    {100 * count / total:5.1f}%  {frame}")
