"""Identity through the gateway, with every service, Postgres and the broker running for real."""

import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    STRONG_PASSWORD,
    Member,
    RunningSystem,
    add_member,
    sign_up_company,
    unique_email,
)

pytestmark = pytest.mark.slow

NEW_PASSWORD = "Brand-New-Password-42"


def wait_for_mail(mailbox: Path, to: str, timeout: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mailbox.glob("*.json")):
            mail = json.loads(path.read_text())
            if mail["to"].lower() == to.lower():
                return dict(mail)
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} in {mailbox}")


def token_in(mail: dict[str, Any]) -> str:
    match = re.search(r"token=([A-Za-z0-9._%-]+)", mail["text"])
    assert match, mail["text"]
    return match.group(1).replace("%2E", ".")


def login(system: RunningSystem, email: str, password: str = STRONG_PASSWORD, **extra: Any) -> httpx.Response:
    with system.client() as client:
        return client.post("/api/identity/login", json={"email": email, "password": password, **extra})


class TestSessionLifecycle:
    def test_signup_login_profile_refresh_reuse_logout(self, system: RunningSystem) -> None:
        admin = sign_up_company(system, "Lifecycle")
        with system.client() as browser:
            signed_in = browser.post(
                "/api/identity/login", json={"email": admin.email, "password": STRONG_PASSWORD}
            )
            assert signed_in.status_code == 200, signed_in.text
            assert "tf_refresh" in browser.cookies
            token = signed_in.json()["access_token"]

            edited = browser.patch(
                "/api/identity/me", json={"first_name": "Grace"}, headers={"authorization": f"Bearer {token}"}
            )
            assert edited.status_code == 200, edited.text
            assert edited.json()["first_name"] == "Grace"

            spent_cookie = browser.cookies["tf_refresh"]
            refreshed = browser.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})
            assert refreshed.status_code == 200, refreshed.text
            assert refreshed.json()["user"]["first_name"] == "Grace"
            rotated_cookie = browser.cookies["tf_refresh"]
            assert rotated_cookie != spent_cookie

            with system.client() as thief:
                reuse = thief.post(
                    "/api/identity/refresh", json={"refresh_token": spent_cookie, "cookie": False}
                )
            assert reuse.status_code == 401
            family_gone = browser.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})
            assert family_gone.status_code == 401

            again = browser.post(
                "/api/identity/login", json={"email": admin.email, "password": STRONG_PASSWORD}
            )
            assert again.status_code == 200
            logout = browser.post("/api/identity/logout", headers={"X-TF-CSRF": "1"})
            assert logout.status_code == 204
            browser.cookies.clear()
            after = browser.post("/api/identity/refresh", headers={"X-TF-CSRF": "1"})
            assert after.status_code == 401

    def test_refresh_without_the_csrf_header_is_refused(self, system: RunningSystem) -> None:
        admin = sign_up_company(system)
        with system.client() as browser:
            browser.post("/api/identity/login", json={"email": admin.email, "password": STRONG_PASSWORD})
            assert browser.post("/api/identity/refresh").status_code == 403


class TestPasswordReset:
    def test_reset_through_the_mailbox(self, system: RunningSystem) -> None:
        admin = sign_up_company(system, "Reset")
        with system.client() as client:
            asked = client.post("/api/identity/password-reset/request", json={"email": admin.email})
            unknown = client.post(
                "/api/identity/password-reset/request", json={"email": unique_email("nobody")}
            )
            assert asked.status_code == unknown.status_code == 202
            assert asked.json() == unknown.json()
            mail = wait_for_mail(system.mailbox, admin.email)
            # The link points at the gateway this system runs on, not a fixed address.
            assert f"{system.base_url}/reset-password?token=" in mail["text"]
            token = token_in(mail)
            confirmed = client.post(
                "/api/identity/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
            )
            assert confirmed.status_code == 204, confirmed.text
            replay = client.post(
                "/api/identity/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
            )
            assert replay.status_code == 400
        assert login(system, admin.email).status_code == 401
        assert login(system, admin.email, NEW_PASSWORD).status_code == 200


class TestUserManagement:
    def test_admin_creates_a_user_who_signs_in(self, system: RunningSystem) -> None:
        admin = sign_up_company(system, "Team")
        member = add_member(admin, ["task_worker"])
        assert set(member.user["system_roles"]) == {"user", "task_worker"}
        with member.client() as client:
            me = client.get("/api/identity/me")
        assert me.status_code == 200
        assert me.json()["email"].lower() == member.email.lower()

    def test_invited_user_sets_a_password_from_the_mail(self, system: RunningSystem) -> None:
        admin = sign_up_company(system, "Invite")
        email = unique_email("invited")
        with admin.client() as client:
            created = client.post(
                "/api/identity/users", json={"email": email, "first_name": "Ivy", "last_name": "Invited"}
            )
        assert created.status_code == 201, created.text
        token = token_in(wait_for_mail(system.mailbox, email))
        with system.client() as client:
            done = client.post(
                "/api/identity/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
            )
        assert done.status_code == 204
        assert login(system, email, NEW_PASSWORD).status_code == 200

    def test_non_admin_is_refused_admin_endpoints(self, system: RunningSystem) -> None:
        admin = sign_up_company(system)
        member = add_member(admin, ["user"])
        with member.client() as client:
            calls = [
                client.get("/api/identity/users"),
                client.post(
                    "/api/identity/users",
                    json={"email": unique_email("x"), "first_name": "A", "last_name": "B"},
                ),
                client.get(f"/api/identity/users/{admin.user['id']}"),
                client.post(f"/api/identity/users/{admin.user['id']}/deactivate"),
                client.put(
                    f"/api/identity/users/{admin.user['id']}/roles",
                    json={"system_roles": [], "company_roles": []},
                ),
                client.get("/api/identity/company-roles"),
                client.post("/api/identity/company-roles", json={"name": "hr"}),
            ]
        for response in calls:
            assert response.status_code == 403, response.text
            assert response.headers["content-type"] == "application/problem+json"

    def test_deactivated_users_token_fails_after_refresh(self, system: RunningSystem) -> None:
        admin = sign_up_company(system)
        member = add_member(admin, ["user"])
        session = login(system, member.email, cookie=False).json()
        with admin.client() as client:
            assert client.post(f"/api/identity/users/{member.user['id']}/deactivate").status_code == 200
        with system.client() as client:
            refreshed = client.post(
                "/api/identity/refresh", json={"refresh_token": session["refresh_token"], "cookie": False}
            )
        assert refreshed.status_code == 401
        assert login(system, member.email).status_code == 401

    def _until_refused(self, member: Member) -> httpx.Response:
        """The member's /me, asked until it stops answering 200 (the change travels through
        the outbox, the broker and the gateway's reader), for at most 30 s."""
        deadline = time.monotonic() + 30
        with member.client() as client:
            while True:
                answer = client.get("/api/identity/me")
                if answer.status_code != 200 or time.monotonic() > deadline:
                    return answer
                time.sleep(0.2)

    def test_a_removed_role_stops_working_without_waiting_for_the_token_to_expire(
        self, system: RunningSystem
    ) -> None:
        admin = sign_up_company(system, "Demote")
        second_admin = add_member(admin, ["user", "admin"])
        with second_admin.client() as client:
            assert client.get("/api/identity/users").status_code == 200
        with admin.client() as client:
            demoted = client.put(
                f"/api/identity/users/{second_admin.user['id']}/roles",
                json={"system_roles": ["user"], "company_roles": ["user"]},
            )
            assert demoted.status_code == 200, demoted.text
        assert self._until_refused(second_admin).status_code == 401
        relogged = login(system, second_admin.email)
        assert relogged.status_code == 200
        with system.client(relogged.json()["access_token"]) as client:
            assert client.get("/api/identity/me").status_code == 200
            assert client.get("/api/identity/users").status_code == 403
        with admin.client() as client:
            assert client.get("/api/identity/me").status_code == 200

    def test_a_deactivated_users_access_token_stops_working(self, system: RunningSystem) -> None:
        admin = sign_up_company(system, "Leaver")
        member = add_member(admin, ["user"])
        with admin.client() as client:
            assert client.post(f"/api/identity/users/{member.user['id']}/deactivate").status_code == 200
        assert self._until_refused(member).status_code == 401


class TestIsolation:
    def test_company_b_gets_404_for_company_a_records(self, company_a: Member, company_b: Member) -> None:
        member_a = add_member(company_a, ["user"])
        with company_a.client() as client:
            role = client.post("/api/identity/company-roles", json={"name": "finance"}).json()
        with company_b.client() as client:
            for user_id in (company_a.user["id"], member_a.user["id"]):
                responses = [
                    client.get(f"/api/identity/users/{user_id}"),
                    client.patch(f"/api/identity/users/{user_id}", json={"first_name": "Hacked"}),
                    client.post(f"/api/identity/users/{user_id}/deactivate"),
                    client.put(
                        f"/api/identity/users/{user_id}/roles",
                        json={"system_roles": ["admin"], "company_roles": []},
                    ),
                ]
                assert [r.status_code for r in responses] == [404, 404, 404, 404]
            role_calls = [
                client.get(f"/api/identity/company-roles/{role['id']}"),
                client.patch(f"/api/identity/company-roles/{role['id']}", json={"name": "stolen"}),
                client.delete(f"/api/identity/company-roles/{role['id']}"),
            ]
            assert [r.status_code for r in role_calls] == [404, 404, 404]
            listed = client.get("/api/identity/users").json()
            assert {u["company_id"] for u in listed["items"]} == {company_b.company_id}
        with company_a.client() as client:
            assert client.get(f"/api/identity/users/{member_a.user['id']}").json()["first_name"] == "Max"


class TestGatewayDoor:
    def test_a_forged_token_and_forged_claims_get_nothing(
        self, system: RunningSystem, company_a: Member
    ) -> None:
        header, payload, _signature = company_a.token.split(".")
        with system.client() as client:
            no_token = client.get(
                "/api/identity/me", headers={"x-tf-claims": "x", "x-tf-claims-signature": "y"}
            )
            unsigned = client.get(
                "/api/identity/me", headers={"authorization": f"Bearer {header}.{payload}."}
            )
        assert no_token.status_code == 401
        assert unsigned.status_code == 401

    def test_a_service_port_reached_directly_refuses_the_call(
        self, system: RunningSystem, company_a: Member
    ) -> None:
        port = system.stack.ports["identity"]
        response = httpx.get(
            f"http://127.0.0.1:{port}/api/identity/me", headers={"authorization": f"Bearer {company_a.token}"}
        )
        assert response.status_code == 401

    def test_jwks_is_public(self, system: RunningSystem) -> None:
        with system.client() as client:
            keys = client.get("/api/identity/.well-known/jwks.json").json()["keys"]
        assert keys
        assert all(k["alg"] == "EdDSA" and "d" not in k for k in keys)
