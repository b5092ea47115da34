"""What a runner counts (calls, outcomes, latency per action host), the jobs queued for every
runner (what an autoscaler scales the runners on), and the consumer lag of the `actions` group."""

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass
class HostLatency:
    count: int = 0
    total: float = 0.0
    buckets: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS))

    def observe(self, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        for index, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self.buckets[index] += 1


class RunnerMetrics:
    """In-process figures since this runner started (a scraper sums them over runners)."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.latency: dict[str, HostLatency] = {}

    def record_call(self, host: str, result: str, seconds: float | None) -> None:
        """`result` is the status class (`2xx` ... `5xx`), `timeout`, `error` or `refused`."""
        self.calls[(host, result)] += 1
        if seconds is not None:
            self.latency.setdefault(host, HostLatency()).observe(seconds)

    def record_outcome(self, host: str, outcome: str) -> None:
        self.outcomes[(host, outcome)] += 1

    def render(
        self, lag: dict[int, int] | None, queue: dict[str, int] | None = None, in_flight: int | None = None
    ) -> str:
        lines = [
            "# HELP actions_calls_total Outbound action calls by host and result.",
            "# TYPE actions_calls_total counter",
        ]
        for (host, result), value in sorted(self.calls.items()):
            lines.append(f'actions_calls_total{{host="{_label(host)}",result="{result}"}} {value}')
        lines += [
            "# HELP actions_outcomes_total Action requests handled, by host and outcome.",
            "# TYPE actions_outcomes_total counter",
        ]
        for (host, outcome), value in sorted(self.outcomes.items()):
            lines.append(f'actions_outcomes_total{{host="{_label(host)}",outcome="{outcome}"}} {value}')
        lines += [
            "# HELP actions_call_seconds Latency of outbound action calls.",
            "# TYPE actions_call_seconds histogram",
        ]
        for host, hist in sorted(self.latency.items()):
            label = _label(host)
            for bound, count in zip(LATENCY_BUCKETS, hist.buckets, strict=True):
                lines.append(f'actions_call_seconds_bucket{{host="{label}",le="{bound}"}} {count}')
            lines.append(f'actions_call_seconds_bucket{{host="{label}",le="+Inf"}} {hist.count}')
            lines.append(f'actions_call_seconds_sum{{host="{label}"}} {hist.total:.6f}')
            lines.append(f'actions_call_seconds_count{{host="{label}"}} {hist.count}')
        if lag is not None:
            lines += [
                "# HELP actions_consumer_lag Messages of actions.requests not yet handled by the group.",
                "# TYPE actions_consumer_lag gauge",
            ]
            for partition, value in sorted(lag.items()):
                lines.append(f'actions_consumer_lag{{partition="{partition}"}} {value}')
            lines.append(f"actions_consumer_lag_total {sum(lag.values())}")
        if in_flight is not None:
            lines += [
                "# HELP actions_in_flight Calls this runner is making now.",
                "# TYPE actions_in_flight gauge",
                f"actions_in_flight {in_flight}",
            ]
        if queue is not None:
            lines += [
                "# HELP actions_jobs Action jobs over every runner: waiting (due, no runner holds it), "
                "running (a runner holds it), scheduled (a retry not yet due).",
                "# TYPE actions_jobs gauge",
            ]
            for state, value in sorted(queue.items()):
                lines.append(f'actions_jobs{{state="{state}"}} {value}')
            # What the autoscaler reads: the work the runners have, or should have, in hand.
            lines += [
                "# HELP actions_jobs_outstanding Action jobs waiting or running, over every runner.",
                "# TYPE actions_jobs_outstanding gauge",
                f"actions_jobs_outstanding {queue.get('waiting', 0) + queue.get('running', 0)}",
            ]
        return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


async def consumer_lag(bootstrap_servers: str, group: str, topic: str) -> dict[int, int]:
    """Per partition: the log end offset minus the group's committed offset (from the start of
    the log when the group has committed nothing there). The probe names the group to read its
    commits but never subscribes, so it does not join the group or cause a rebalance."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers.split(","), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            await consumer.topics()
            partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return {}
        ends = await consumer.end_offsets(tps)
        starts = await consumer.beginning_offsets(tps)
        lag: dict[int, int] = {}
        for tp in tps:
            committed = await consumer.committed(tp)
            position = committed if committed is not None and committed >= 0 else starts[tp]
            lag[tp.partition] = max(0, ends[tp] - position)
        return lag
    finally:
        await consumer.stop()


class LagProbe:
    """Consumer lag, asked of the broker at most every `ttl` seconds."""

    def __init__(self, bootstrap_servers: str, group: str, topic: str, ttl: float) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.group = group
        self.topic = topic
        self.ttl = ttl
        self._value: dict[int, int] | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> dict[int, int] | None:
        async with self._lock:
            if self._value is None or time.monotonic() - self._at > self.ttl:
                try:
                    self._value = await asyncio.wait_for(
                        consumer_lag(self.bootstrap_servers, self.group, self.topic), 5.0
                    )
                except Exception as exc:
                    log.warning("consumer lag of %s unavailable: %s", self.group, exc)
                    return self._value
                self._at = time.monotonic()
            return self._value
