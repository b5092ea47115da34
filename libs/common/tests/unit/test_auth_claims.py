"""The gateway's signed claims: what a service accepts and what it refuses."""

import time

import pytest

from common.auth import CLAIMS_HEADER, SIGNATURE_HEADER, Claims, sign_claims, verify_claims
from common.errors import Unauthorized
from contracts.ids import uuid7

SECRET = "a-test-secret"


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
            verify_claims(sign_claims(claims(), "another-secret"), SECRET, 60)

    def test_tampered_claims_are_refused(self) -> None:
        headers = sign_claims(claims(), SECRET)
        forged = sign_claims(claims(), SECRET)
        headers[CLAIMS_HEADER] = forged[CLAIMS_HEADER]
        assert headers[SIGNATURE_HEADER] != forged[SIGNATURE_HEADER]
        with pytest.raises(Unauthorized):
            verify_claims(headers, SECRET, 60)

    def test_stale_claims_are_refused(self) -> None:
        with pytest.raises(Unauthorized, match="expired"):
            verify_claims(sign_claims(claims(iat=int(time.time()) - 600), SECRET), SECRET, 60)

    def test_roles(self) -> None:
        assert claims().has_any_role("admin", "task_worker")
        assert not claims().has_any_role("task_worker")
