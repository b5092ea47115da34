"""The SSRF guard: which addresses an action may reach, and the address it must connect to.

An action URL is resolved once, every resolved address is checked, and the connection is then
made to the checked address (see `client.PinnedBackend`), so a DNS answer that changes between
the check and the connect (rebinding) cannot redirect the call.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]


class TargetRefused(Exception):
    """An action URL the company may not call."""


@dataclass(frozen=True)
class Allowlist:
    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Sequence[str]) -> "Allowlist":
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in entries:
            kind, value = classify_entry(entry)
            if kind == "cidr":
                networks.append(ipaddress.ip_network(value, strict=False))
            else:
                hosts.add(value)
        return cls(tuple(networks), frozenset(hosts))

    def permits_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def permits_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)

    @property
    def is_empty(self) -> bool:
        return not self.networks and not self.hosts


@dataclass(frozen=True)
class Target:
    url: httpx.URL
    host: str
    port: int
    address: str


def classify_entry(entry: str) -> tuple[str, str]:
    """('cidr', normalised network) or ('host', lower-case name); ValueError otherwise."""
    value = entry.strip()
    if not value:
        raise ValueError("an allowlist entry cannot be empty")
    try:
        return "cidr", str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        pass
    host = value.lower().rstrip(".")
    labels = host.split(".")
    if len(host) > 253 or not all(
        label and len(label) <= 63 and label.replace("-", "").isalnum() and not label.startswith("-")
        for label in labels
    ):
        raise ValueError(f"{entry!r} is neither a CIDR block nor a host name")
    return "host", host


def is_public(address: IPAddress) -> bool:
    """Only globally routable unicast addresses; an IPv4-mapped or NAT64/6to4 IPv6 address is
    judged by the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def check_target(
    raw_url: str, allowlist: Allowlist, *, allow_private: bool, resolver: Resolver
) -> Target:
    """The URL and the one address it may be called at; `TargetRefused` otherwise.

    `allow_private` (a development setting) opens non-public addresses only to a company that
    has no allowlist: a company that lists what it may reach gets exactly that, so
    `127.0.0.1/32` does not also open `::1` or the rest of loopback."""
    try:
        url = httpx.URL(raw_url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise TargetRefused(f"the action URL is not valid: {exc}") from exc
    if url.scheme not in ("http", "https"):
        raise TargetRefused(f"only http and https action URLs are allowed, not {url.scheme or 'none'!r}")
    host = url.host.lower().rstrip(".")
    if not host:
        raise TargetRefused("the action URL has no host")
    if url.userinfo:
        raise TargetRefused("the action URL must not carry credentials")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await resolver(host, port)
        except OSError as exc:
            raise TargetRefused(f"the host {host!r} does not resolve") from exc
        if not addresses:
            raise TargetRefused(f"the host {host!r} does not resolve")
    host_allowed = (allow_private and allowlist.is_empty) or allowlist.permits_host(host)
    for candidate in addresses:
        address = ipaddress.ip_address(candidate.split("%", 1)[0])
        if not (host_allowed or is_public(address) or allowlist.permits_address(address)):
            raise TargetRefused(
                f"the action URL resolves to a non-public address ({address}) that the company's "
                "allowlist does not permit"
            )
    return Target(url=url, host=host, port=port, address=addresses[0])
