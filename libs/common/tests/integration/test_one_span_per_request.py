"""A request makes one span, the server span of `RequestContextMiddleware`: FastAPI's own
request telemetry (a second server span, spans around dependencies, the endpoint and the
serialisation, request metrics) stays off in every service and in the gateway. Run in a
process of its own: a tracer provider can be installed once per process."""

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, json
    import httpx
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)

    from common.service import ServiceParts, create_service_app
    from common.settings import ServiceSettings
    from gateway.config import GatewaySettings
    from gateway.main import create_app

    async def spans_of(app, path):
        exporter.clear()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            response = await client.get(path)
            assert response.status_code == 200, response.text
        return [(s.name, s.kind.name) for s in exporter.get_finished_spans()]

    async def main():
        service = create_service_app(
            ServiceSettings(service_name="demo", db_schema="demo"), ServiceParts(), title="demo"
        )
        gateway = create_app(GatewaySettings())
        print(json.dumps({
            "service": await spans_of(service, "/healthz"),
            "gateway": await spans_of(gateway, "/healthz"),
        }))

    asyncio.run(main())
    """
)


def test_a_request_makes_one_server_span_in_a_service_and_in_the_gateway() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    spans = json.loads(done.stdout.strip().splitlines()[-1])
    assert spans == {
        "service": [["GET /healthz", "SERVER"]],
        "gateway": [["GET /healthz", "SERVER"]],
    }
