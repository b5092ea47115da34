"""A fake set of services behind the gateway (echoing what reaches them, serving a JWKS and
OpenAPI documents) and a signing key that mints access tokens the way identity does."""

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jwt.algorithms import OKPAlgorithm

from contracts.ids import uuid7
from gateway.config import DEFAULT_PORTS

ISSUER = "ticketflower-identity"
AUDIENCE = "ticketflower"


@dataclass
class SigningKey:
    private_key: Ed25519PrivateKey
    kid: str

    @classmethod
    def generate(cls, kid: str | None = None) -> "SigningKey":
        return cls(Ed25519PrivateKey.generate(), kid or uuid.uuid4().hex)

    def jwk(self) -> dict[str, Any]:
        return {
            **OKPAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid7()),
            "company_id": str(uuid7()),
            "roles": ["user"],
            "company_roles": ["user"],
            "iat": now,
            "nbf": now,
            "exp": now + 900,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        return claims

    def token(self, **overrides: Any) -> str:
        return jwt.encode(
            self.claims(**overrides), self.private_key, algorithm="EdDSA", headers={"kid": self.kid}
        )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}.{b64(signature)}"


def hs256_token(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """An HS256 token signed by hand (PyJWT rightly refuses to use a public key as an HMAC secret)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@dataclass
class FakeServices:
    keys: list[SigningKey]
    jwks_fetches: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def app(self) -> FastAPI:
        app = FastAPI(openapi_url=None)
        fake = self

        @app.get("/api/identity/.well-known/jwks.json")
        async def jwks() -> dict[str, Any]:
            fake.jwks_fetches += 1
            return {"keys": [k.jwk() for k in fake.keys]}

        @app.get("/openapi.json")
        async def openapi(request: Request) -> dict[str, Any]:
            service = {port: name for name, port in DEFAULT_PORTS.items()}[request.url.port or 0]
            return {
                "openapi": "3.1.0",
                "paths": {f"/api/{service}/things": {"get": {"tags": [service]}}, "/healthz": {}},
                "components": {
                    "schemas": {"Thing": {"type": "object", "title": service}, "Shared": {"type": "string"}}
                },
            }

        @app.get("/readyz")
        async def readyz() -> dict[str, str]:
            return {"status": "ready"}

        @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        async def echo(rest: str, request: Request) -> JSONResponse:
            body = await request.body()
            seen = {"path": request.url.path, "headers": dict(request.headers), "body_length": len(body)}
            fake.received.append(seen)
            if rest.endswith("missing"):
                return JSONResponse(
                    {"type": "x", "title": "Not found", "status": 404, "detail": "No such thing."},
                    status_code=404,
                    media_type="application/problem+json",
                )
            response = JSONResponse(seen)
            response.set_cookie("a", "1")
            response.set_cookie("b", "2")
            return response

        return app
