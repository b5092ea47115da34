"""The deployables of TicketFlower and the port each listens on by default: the one list the
gateway routes to, devstack starts, the services' settings default to and the topics name a
consumer group (and a dead-letter topic) for."""

GATEWAY = "gateway"
GATEWAY_PORT = 8000

# In start order: a service's upstreams come before it.
SERVICE_PORTS: dict[str, int] = {
    "identity": 8001,
    "definitions": 8002,
    "tickets": 8003,
    "engine": 8004,
    "actions": 8005,
}
SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)
DEFAULT_PORTS: dict[str, int] = {GATEWAY: GATEWAY_PORT, **SERVICE_PORTS}


def default_url(name: str) -> str:
    """Where a deployable answers when nothing says otherwise (`<NAME>_URL` overrides it)."""
    return f"http://127.0.0.1:{DEFAULT_PORTS[name]}"
