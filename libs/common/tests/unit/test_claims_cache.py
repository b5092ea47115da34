"""Verified claims headers are kept for their short life: a repeat skips the signature check
and is still refused exactly when a full check refuses it, and a header differing by one byte,
or checked under another secret, is never taken for a cached one."""

import time
from typing import Any

import jwt
import pytest

from common.auth import (
    CLAIMS_HEADER,
    OPERATOR_HEADER,
    Claims,
    OperatorClaims,
    sign_claims,
    sign_operator_claims,
    verify_claims,
    verify_operator_claims,
)
from common.errors import Unauthorized
from contracts.ids import uuid7

SECRET = "a-test-secret-of-thirty-two-bytes"


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full signature check a service makes."""
    seen: list[str] = []
    real = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr("common.auth.jwt.decode", counting)
    return seen


def caller(iat: int | None = None) -> Claims:
    return Claims(
        company_id=uuid7(),
        user_id=uuid7(),
        roles=["user", "admin"],
        company_roles=["user"],
        iat=iat if iat is not None else int(time.time()),
    )


def wait_past(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()) + 0.05)


class TestVerifiedClaims:
    def test_a_repeated_header_is_verified_once(self, decodes: list[str]) -> None:
        original = caller()
        headers = sign_claims(original, SECRET)
        assert verify_claims(headers, SECRET, 60) == original
        assert verify_claims(headers, SECRET, 60) == original
        assert decodes == [headers[CLAIMS_HEADER]]

    def test_an_expired_header_is_refused_though_cached(self) -> None:
        original = caller()
        headers = sign_claims(original, SECRET, ttl_seconds=1)
        verify_claims(headers, SECRET, 60)
        wait_past(original.iat + 1)
        with pytest.raises(Unauthorized, match="expired"):
            verify_claims(headers, SECRET, 60)

    def test_a_cached_header_older_than_the_services_limit_is_refused(self) -> None:
        original = caller()
        headers = sign_claims(original, SECRET)
        verify_claims(headers, SECRET, 1)
        wait_past(original.iat + 1)
        assert verify_claims(headers, SECRET, 60) == original
        with pytest.raises(Unauthorized, match="expired"):
            verify_claims(headers, SECRET, 1)

    def test_a_header_differing_by_one_byte_is_checked_in_full(self, decodes: list[str]) -> None:
        genuine = sign_claims(caller(), SECRET)[CLAIMS_HEADER]
        verify_claims({CLAIMS_HEADER: genuine}, SECRET, 60)
        signed_input, signature = genuine.rsplit(".", 1)
        other_input, _ = sign_claims(caller(), SECRET)[CLAIMS_HEADER].rsplit(".", 1)
        flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
        for forged in (f"{other_input}.{signature}", f"{signed_input}.{flipped}"):
            with pytest.raises(Unauthorized):
                verify_claims({CLAIMS_HEADER: forged}, SECRET, 60)
        assert decodes[1:] == [f"{other_input}.{signature}", f"{signed_input}.{flipped}"]

    def test_a_header_cached_under_one_secret_is_refused_under_another(self) -> None:
        headers = sign_claims(caller(), SECRET)
        verify_claims(headers, SECRET, 60)
        with pytest.raises(Unauthorized, match="not signed"):
            verify_claims(headers, "another-secret-of-thirty-two-bytes", 60)

    def test_a_refused_header_is_not_remembered(self, decodes: list[str]) -> None:
        payload = {**caller().model_dump(mode="json"), "aud": "identity", "exp": int(time.time()) + 60}
        headers = {CLAIMS_HEADER: jwt.encode(payload, SECRET, algorithm="HS256")}
        for _ in range(2):
            with pytest.raises(Unauthorized):
                verify_claims(headers, SECRET, 60)
        assert len(decodes) == 2

    def test_what_one_request_does_to_its_claims_never_reaches_the_next(self) -> None:
        headers = sign_claims(caller(), SECRET)
        first = verify_claims(headers, SECRET, 60)
        first.roles.append("ticket_admin")
        first.company_roles.clear()
        again = verify_claims(headers, SECRET, 60)
        assert again.roles == ["user", "admin"]
        assert again.company_roles == ["user"]

    def test_an_operator_header_cached_is_never_tenant_claims(self) -> None:
        operator = OperatorClaims(operator_id=uuid7(), iat=int(time.time()))
        headers = sign_operator_claims(operator, SECRET)
        assert verify_operator_claims(headers, SECRET, 60) == operator
        with pytest.raises(Unauthorized):
            verify_claims({CLAIMS_HEADER: headers[OPERATOR_HEADER]}, SECRET, 60)
        tenant = sign_claims(caller(), SECRET)
        verify_claims(tenant, SECRET, 60)
        with pytest.raises(Unauthorized):
            verify_operator_claims({OPERATOR_HEADER: tenant[CLAIMS_HEADER]}, SECRET, 60)
