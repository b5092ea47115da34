"""OpenTelemetry: tracer setup, W3C trace context in and out of Kafka headers, and logs that
carry the trace id."""

import logging
import sys

from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from opentelemetry.propagate import inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

_configured = False

# FastAPI's own request telemetry, off: `common.service.RequestContextMiddleware` makes each
# request's one server span, and FastAPI's would add a second, with spans around dependencies,
# the endpoint and serialisation, and request metrics, for every request.
FASTAPI_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def setup_telemetry(service_name: str, exporter: str, log_level: str = "INFO") -> None:
    """Install the tracer provider (once per process) and structured logging.

    Without an exporter nothing would ever read a span, so none is recorded: spans are the
    SDK's non-recording ones, which still carry a trace id into logs, outgoing calls and Kafka
    headers but cost no attributes, events or processor work."""
    global _configured
    if _configured:
        return
    _configured = True
    span_exporter: SpanExporter | None = None
    if exporter == "console":
        span_exporter = ConsoleSpanExporter()
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter()
    resource = Resource.create({"service.name": service_name})
    if span_exporter is None:
        provider = TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    else:
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(span_exporter))
    trace.set_tracer_provider(provider)
    setup_logging(service_name, log_level)


class TraceIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else "-"
        return True


def setup_logging(service_name: str, level: str) -> None:
    # Every request logs a line: a record gathers none of what the format never prints (the
    # caller's file and line, thread, process), as the logging HOWTO's "Optimization" advises.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(TraceIdFilter())
    handler.setFormatter(
        logging.Formatter(f"%(asctime)s %(levelname)s {service_name} %(name)s trace=%(trace_id)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx says every request it sends at INFO: a formatted line per outbound call, which the
    # action runners record themselves (each job's calls, their status and time) and the
    # gateway's access log has for what it forwards. Its warnings still show.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")
