"""The actions service through the gateway: admin-only signing secret and allowlist, company
isolation, and the public callback endpoint refusing what it did not issue."""

import pytest

from tests.e2e.conftest import Member, RunningSystem, add_member

pytestmark = pytest.mark.slow


class TestSigningSecret:
    def test_an_admin_gets_the_companys_secret_and_can_rotate_it(self, company_a: Member) -> None:
        with company_a.client() as client:
            first = client.get("/api/actions/signing-secret")
            rotated = client.post("/api/actions/signing-secret/rotate")

        assert first.status_code == 200, first.text
        assert first.json()["secret"].startswith("whsec_")
        assert rotated.json()["previous_secret"] == first.json()["secret"]

    def test_a_plain_user_is_forbidden(self, company_a: Member) -> None:
        user = add_member(company_a, ["user"])
        with user.client() as client:
            assert client.get("/api/actions/signing-secret").status_code == 403

    def test_without_a_token_it_is_refused(self, system: RunningSystem) -> None:
        with system.client() as client:
            assert client.get("/api/actions/signing-secret").status_code == 401


class TestAllowlist:
    def test_entries_are_per_company(self, company_a: Member, company_b: Member) -> None:
        with company_a.client() as client:
            created = client.post("/api/actions/allowlist", json={"entry": "10.20.0.0/16"})
        assert created.status_code == 201, created.text
        with company_b.client() as client:
            assert client.get("/api/actions/allowlist").json() == []
            assert client.delete(f"/api/actions/allowlist/{created.json()['id']}").status_code == 404


class TestCallbacks:
    def test_a_forged_callback_is_refused_without_a_token(self, system: RunningSystem) -> None:
        with system.client() as client:
            response = client.post("/api/callbacks/forged.token", json={"done": True})

        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")
