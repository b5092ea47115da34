"""What the figures were measured on."""

import os
import platform
from pathlib import Path


def describe() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


CLK_TCK = os.sysconf("SC_CLK_TCK")


def busy_jiffies() -> int:
    """Whole-machine CPU time spent working (user, nice, system, irq, softirq, steal), in
    clock ticks since boot, from the first line of /proc/stat. Guest time is already inside
    user and nice, so it is not added again."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[1:9])
    return user + nice + system + irq + softirq + steal


def cpu_ms(jiffies: int) -> float:
    return jiffies * 1000 / CLK_TCK


class ProcessTicks:
    """One reading of every process's CPU ticks. The delta of a process tree between two
    readings is what those processes cost, whatever else shares the machine: a child that
    exits in between moves its ticks into its parent's reaped-children count, so it is
    neither lost nor counted twice."""

    def __init__(self) -> None:
        self.parents: dict[int, int] = {}
        self.own: dict[int, int] = {}
        self.reaped: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The command name may hold spaces: the fields after ')' are fixed.
                fields = stat.read_text().rsplit(")", 1)[1].split()
                pid = int(stat.parent.name)
                self.parents[pid] = int(fields[1])
                self.own[pid] = int(fields[11]) + int(fields[12])  # utime, stime
                self.reaped[pid] = int(fields[13]) + int(fields[14])  # cutime, cstime
            except (OSError, IndexError, ValueError):
                continue

    def alone(self, pid: int) -> int:
        """The process itself, every thread of it, without its children."""
        return self.own.get(pid, 0)

    def tree(self, root: int) -> int:
        """The process and everything under it."""
        total = 0
        for pid, used in self.own.items():
            ancestor = pid
            for _ in range(64):
                if ancestor == root:
                    total += used + self.reaped[pid]
                    break
                ancestor = self.parents.get(ancestor, 0)
                if ancestor <= 1:
                    break
        return total


def tree_deltas(
    before: ProcessTicks, after: ProcessTicks, trees: dict[str, int], alone: dict[str, int]
) -> dict[str, int]:
    """Ticks spent between two readings, per named process tree and per named lone process."""
    spent = {name: after.tree(pid) - before.tree(pid) for name, pid in trees.items()}
    spent.update({name: after.alone(pid) - before.alone(pid) for name, pid in alone.items()})
    return spent


def postmaster_pid(pgdata: Path) -> int:
    """The Postgres server's pid: it detaches from whoever started it."""
    return int((pgdata / "postmaster.pid").read_text().split()[0])
