"""The gateway's signed claims: what a service accepts and what it refuses."""

import time

import jwt
import pytest

from common.auth import CLAIMS_HEADER, Claims, sign_claims, verify_claims
from common.errors import Unauthorized
from contracts.ids import uuid7

SECRET = "a-test-secret-of-thirty-two-bytes"


def claims(iat: int | None = None) -> Claims:
    return Claims(
        company_id=uuid7(),
        user_id=uuid7(),
        roles=["user", "admin"],
        company_roles=["user"],
        iat=iat if iat is not None else int(time.time()),
    )


class TestVerifyClaims:
    def test_signed_claims_round_trip(self) -> None:
        original = claims()
        assert verify_claims(sign_claims(original, SECRET), SECRET, 60) == original

    def test_missing_headers_are_refused(self) -> None:
        with pytest.raises(Unauthorized):
            verify_claims({}, SECRET, 60)

    def test_a_signature_under_another_secret_is_refused(self) -> None:
        with pytest.raises(Unauthorized, match="not signed"):
            verify_claims(sign_claims(claims(), "another-secret-of-thirty-two-bytes"), SECRET, 60)

    def test_tampered_claims_are_refused(self) -> None:
        # Another caller's claims under this caller's signature.
        signed_input, signature = sign_claims(claims(), SECRET)[CLAIMS_HEADER].rsplit(".", 1)
        forged_input, forged_signature = sign_claims(claims(), SECRET)[CLAIMS_HEADER].rsplit(".", 1)
        headers = {CLAIMS_HEADER: f"{forged_input}.{signature}"}
        assert (signed_input, signature) != (forged_input, forged_signature)
        with pytest.raises(Unauthorized):
            verify_claims(headers, SECRET, 60)

    def test_stale_claims_are_refused(self) -> None:
        with pytest.raises(Unauthorized, match="expired"):
            verify_claims(sign_claims(claims(iat=int(time.time()) - 600), SECRET), SECRET, 60)

    def test_claims_from_the_future_are_refused(self) -> None:
        with pytest.raises(Unauthorized, match="expired"):
            verify_claims(sign_claims(claims(iat=int(time.time()) + 600), SECRET), SECRET, 60)

    def test_a_token_for_another_audience_is_refused(self) -> None:
        payload = {**claims().model_dump(mode="json"), "aud": "identity", "exp": int(time.time()) + 60}
        with pytest.raises(Unauthorized, match="malformed"):
            verify_claims({CLAIMS_HEADER: jwt.encode(payload, SECRET, algorithm="HS256")}, SECRET, 60)

    def test_roles(self) -> None:
        assert claims().has_any_role("admin", "task_worker")
        assert not claims().has_any_role("task_worker")
