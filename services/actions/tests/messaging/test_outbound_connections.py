"""The runner's connections on the loop's own transports (`common.network`), against
real servers that keep, drop, break and encrypt them."""

import asyncio
import datetime
import ipaddress
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
import uvloop
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from actions.runner.client import OutboundClient
from actions.runner.guard import Target

OK = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[bool]]


class Server:
    """A raw HTTP/1.1 server: `answer` is given each request's connection and its number on
    that connection, and says whether to keep serving it."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests = 0
        self.port = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                self.requests += 1
                served += 1
                if not await self.answer(reader, writer, served):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Server]]]:
    servers: list[asyncio.Server] = []

    async def start(answer: Answer, tls: ssl.SSLContext | None = None) -> Server:
        state = Server(answer)
        server = await asyncio.start_server(state._serve, "127.0.0.1", 0, ssl=tls)
        state.port = server.sockets[0].getsockname()[1]
        servers.append(server)
        return state

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def target(server: Server, scheme: str = "http", host: str = "127.0.0.1") -> Target:
    return Target(httpx.URL(f"{scheme}://{host}:{server.port}/call"), host, server.port, "127.0.0.1")


@pytest.fixture
async def client() -> AsyncIterator[OutboundClient]:
    outbound = OutboundClient(max_connections=2, max_keepalive=2, max_response_bytes=1000, calls_per_pool=2)
    yield outbound
    await outbound.aclose()


async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
    writer.write(OK)
    await writer.drain()
    return True


class TestKeptConnections:
    async def test_calls_one_after_another_share_one_connection(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        server = await serve(ok)
        answers = [await client.post(target(server), b"{}", {}, 5.0) for _ in range(3)]
        assert [a.status for a in answers] == [200, 200, 200]
        assert [a.body for a in answers] == [b'{"ok":true}'] * 3
        assert server.connections == 1

    async def test_a_connection_the_server_closed_while_idle_is_not_used_again(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
            writer.write(OK)
            await writer.drain()
            return False  # then close it

        server = await serve(once)
        assert (await client.post(target(server), b"{}", {}, 5.0)).status == 200
        await asyncio.sleep(0.1)  # the close arrives while the connection is idle in the pool
        assert (await client.post(target(server), b"{}", {}, 5.0)).status == 200
        assert server.connections == 2

    async def test_an_answer_sent_on_an_idle_connection_is_not_taken_for_the_next_calls(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        async def then_timeout(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int
        ) -> bool:
            writer.write(OK)
            await writer.drain()
            if served == 1:
                await asyncio.sleep(0.05)
                # The connection stays open, but a stray answer now waits on it.
                writer.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
            return True

        server = await serve(then_timeout)
        assert (await client.post(target(server), b"{}", {}, 5.0)).status == 200
        await asyncio.sleep(0.2)
        assert (await client.post(target(server), b"{}", {}, 5.0)).status == 200
        assert server.connections == 2


class TestBrokenConnections:
    async def test_a_connection_reset_mid_answer_is_an_http_error(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
            writer.write(b'HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{"partial":')
            await writer.drain()
            await asyncio.sleep(0.05)
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False

        server = await serve(reset)
        with pytest.raises(httpx.HTTPError):
            await client.post(target(server), b"{}", {}, 5.0)

    async def test_a_server_that_never_answers_is_given_up_on_within_the_budget(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
            await asyncio.sleep(30)
            return False

        server = await serve(silent)
        started = asyncio.get_running_loop().time()
        with pytest.raises((TimeoutError, httpx.TimeoutException)):
            await client.post(target(server), b"{}", {}, 0.3)
        assert asyncio.get_running_loop().time() - started < 5

    async def test_a_refused_connection_is_a_connect_error(self, client: OutboundClient) -> None:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        refused = Target(httpx.URL(f"http://127.0.0.1:{port}/call"), "127.0.0.1", port, "127.0.0.1")
        with pytest.raises(httpx.ConnectError):
            await client.post(refused, b"{}", {}, 5.0)

    async def test_a_large_answer_is_read_only_up_to_the_limit(
        self, serve: Callable[..., Awaitable[Server]], client: OutboundClient
    ) -> None:
        body = b"x" * 5_000_000

        async def large(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body))
            writer.write(body)
            await writer.drain()
            return False

        server = await serve(large)
        answer = await client.post(target(server), b"{}", {}, 5.0)
        assert answer.status == 200
        assert answer.truncated
        assert answer.body == b"x" * 1000


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (and 127.0.0.1), with its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    return tls


def trusting_client(cert: Path) -> OutboundClient:
    """A runner's client that trusts `cert` as an authority."""
    return OutboundClient(
        max_connections=2,
        max_keepalive=2,
        max_response_bytes=1000,
        calls_per_pool=2,
        ssl_context=ssl.create_default_context(cafile=str(cert)),
    )


@pytest.fixture
async def partner(
    serve: Callable[..., Awaitable[Server]], tmp_path: Path
) -> AsyncIterator[tuple[Server, OutboundClient]]:
    """An HTTPS server for `partner.test` and a client trusting its certificate."""
    cert, key = certificate(tmp_path, "partner.test")
    server = await serve(ok, server_context(cert, key))
    outbound = trusting_client(cert)
    yield server, outbound
    await outbound.aclose()


class TestEncryptedConnections:
    async def test_an_https_target_is_called_over_tls_checked_against_its_name(
        self, partner: tuple[Server, OutboundClient]
    ) -> None:
        server, outbound = partner
        first = await outbound.post(target(server, "https", "partner.test"), b"{}", {}, 5.0)
        second = await outbound.post(target(server, "https", "partner.test"), b"{}", {}, 5.0)
        assert (first.status, second.status) == (200, 200)
        assert first.body == b'{"ok":true}'
        assert server.connections == 1

    async def test_a_certificate_for_another_name_is_refused(
        self, partner: tuple[Server, OutboundClient]
    ) -> None:
        server, outbound = partner
        with pytest.raises(httpx.ConnectError):
            await outbound.post(target(server, "https", "other.test"), b"{}", {}, 5.0)
        assert server.requests == 0

    async def test_an_untrusted_certificate_is_refused(
        self, partner: tuple[Server, OutboundClient], client: OutboundClient
    ) -> None:
        server, _ = partner
        with pytest.raises(httpx.ConnectError):
            await client.post(target(server, "https", "partner.test"), b"{}", {}, 5.0)
        assert server.requests == 0


class TestOnTheServicesLoop:
    """The services run on uvloop, whose transports are not asyncio's own classes."""

    def test_kept_dropped_and_encrypted_connections_on_uvloop(self, tmp_path: Path) -> None:
        async def scenario() -> None:
            async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, served: int) -> bool:
                writer.write(OK)
                await writer.drain()
                return False

            cert, key = certificate(tmp_path, "partner.test")
            tls = server_context(cert, key)
            states = [Server(ok), Server(once), Server(ok)]
            servers = [
                await asyncio.start_server(state._serve, "127.0.0.1", 0, ssl=context)
                for state, context in zip(states, (None, None, tls), strict=True)
            ]
            for state, server in zip(states, servers, strict=True):
                state.port = server.sockets[0].getsockname()[1]
            kept, dropped, encrypted = states
            outbound = trusting_client(cert)
            try:
                for _ in range(3):
                    assert (await outbound.post(target(kept), b"{}", {}, 5.0)).body == b'{"ok":true}'
                for _ in range(2):
                    assert (await outbound.post(target(dropped), b"{}", {}, 5.0)).status == 200
                    await asyncio.sleep(0.1)
                for _ in range(2):
                    answer = await outbound.post(target(encrypted, "https", "partner.test"), b"{}", {}, 5.0)
                    assert answer.status == 200
            finally:
                await outbound.aclose()
                for server in servers:
                    server.close()
                    await server.wait_closed()
            assert (kept.connections, dropped.connections, encrypted.connections) == (1, 2, 1)

        uvloop.run(scenario())
