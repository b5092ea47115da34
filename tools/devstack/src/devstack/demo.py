"""Demo data for `make run`: a company with an admin, a task worker and a user, and the sample
IT onboarding bundle with its actions pointed at the demo partner systems."""

from pathlib import Path

import httpx
import yaml

from devstack.stack import ROOT

SAMPLE_BUNDLE = ROOT / "services" / "definitions" / "samples" / "it_onboarding.yaml"
PASSWORD = "Demo-Password-2026"
ADMIN = "admin@demo.example"
WORKER = "worker@demo.example"
MEMBER = "user@demo.example"


def seed(gateway_url: str, partner_url: str, bundle_path: Path = SAMPLE_BUNDLE) -> list[str]:
    """Create the demo company once; later starts find it and change nothing. Returns what to
    tell the person who started the stack."""
    with httpx.Client(base_url=gateway_url, timeout=30.0) as client:
        existing = client.post("/api/identity/login", json={"email": ADMIN, "password": PASSWORD})
        if existing.status_code == 200:
            return _credentials()
        signup = client.post(
            "/api/identity/signup",
            json={
                "company_name": "Demo Company",
                "email": ADMIN,
                "password": PASSWORD,
                "first_name": "Dana",
                "last_name": "Admin",
            },
        )
        signup.raise_for_status()
        auth = {"authorization": f"Bearer {signup.json()['access_token']}"}
        for email, first, roles in (
            (WORKER, "Walt", ["user", "task_worker"]),
            (MEMBER, "Uma", ["user"]),
        ):
            client.post(
                "/api/identity/users",
                headers=auth,
                json={
                    "email": email,
                    "first_name": first,
                    "last_name": "Demo",
                    "system_roles": roles,
                    "company_roles": ["user"],
                    "password": PASSWORD,
                },
            ).raise_for_status()
        client.put(
            "/api/identity/users/" + signup.json()["user"]["id"] + "/roles",
            headers=auth,
            json={
                "system_roles": ["user", "admin", "workflow_creator", "ticket_admin"],
                "company_roles": ["user"],
            },
        ).raise_for_status()
        bundle = yaml.safe_load(bundle_path.read_text())
        for task in bundle["workflow"]["tasks"]:
            if task.get("action_url"):
                task["action_url"] = task["action_url"].replace("http://127.0.0.1:9900", partner_url)
        client.post("/api/definitions/bundles", headers=auth, json=bundle).raise_for_status()
    return _credentials()


def _credentials() -> list[str]:
    return [
        f"Demo company: sign in as {ADMIN}, {WORKER} or {MEMBER} with password {PASSWORD}",
    ]
