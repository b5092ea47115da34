from pydantic import BaseModel, Field


class HostMetrics(BaseModel):
    host: str
    requests: int = Field(description="action requests handled")
    calls: int = Field(description="HTTP calls made, retries included")
    succeeded: int
    awaiting_callback: int
    failed: int
    avg_latency_ms: float | None = Field(None, description="per request, retries and backoff included")
    p95_latency_ms: float | None = None


class ConsumerLag(BaseModel):
    group: str
    topic: str
    total: int | None = Field(None, description="None when the broker could not be asked")
    partitions: dict[int, int] = {}


class ActionMetricsRead(BaseModel):
    hosts: list[HostMetrics]
    lag: ConsumerLag
