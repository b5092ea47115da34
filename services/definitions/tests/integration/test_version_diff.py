"""What changed between two versions of a workflow or a ticket type, as a designer reads it:
tasks, transitions and fields added, removed or changed with each differing value; a reordered
list is no change; bad versions are 404/422; another company sees nothing."""

import copy
from typing import Any
from uuid import UUID

import httpx
import pytest

from common.testing.infra import claims_headers


def designer(company_id: UUID) -> dict[str, str]:
    return claims_headers(company_id, roles=["user", "workflow_creator"])


async def publish(client: httpx.AsyncClient, company: UUID, bundle: dict[str, Any]) -> None:
    response = await client.post("/api/definitions/bundles", json=bundle, headers=designer(company))
    assert response.status_code == 201, response.text


def second_version(bundle: dict[str, Any]) -> dict[str, Any]:
    """v2 of the sample: a task added, one removed, one changed, a transition re-pointed, a
    field added, one removed, one changed, and the field order shuffled."""
    changed = copy.deepcopy(bundle)
    workflow = changed["workflow"]
    workflow["name"] = "IT onboarding (2026)"
    review = next(t for t in workflow["tasks"] if t["key"] == "review_request")
    review["output_schema"]["properties"]["laptop"]["enum"] = ["standard", "developer"]
    workflow["tasks"] = [t for t in workflow["tasks"] if t["key"] != "notify_rejection"]
    workflow["tasks"].append(
        {"key": "archive_request", "name": "Archive request", "task_type": "FORM", "output_schema": {}}
    )
    workflow["transitions"] = [t for t in workflow["transitions"] if t["to"] != "notify_rejection"]
    workflow["transitions"].append({"from": "review_request", "to": "archive_request", "priority": 0})
    workflow["transitions"].reverse()
    fields = changed["ticket_types"][0]["fields"]
    properties = fields["properties"]
    properties["employee_name"]["maxLength"] = 80
    properties.pop("department")
    fields["required"] = [r for r in fields["required"] if r != "department"]
    properties["cost_centre"] = {"type": "string", "title": "Cost centre"}
    fields["properties"] = dict(reversed(list(properties.items())))
    return changed


@pytest.fixture
async def two_versions(client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]) -> None:
    await publish(client, company_a, sample_bundle)
    await publish(client, company_a, second_version(sample_bundle))


class TestWorkflowDiff:
    async def test_tasks_and_transitions_added_removed_changed(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None
    ) -> None:
        response = await client.get(
            "/api/definitions/workflows/it_onboarding/diff",
            params={"from": 1, "to": 2},
            headers=designer(company_a),
        )
        assert response.status_code == 200, response.text
        diff = response.json()
        assert diff["identical"] is False
        assert diff["properties"] == [
            {"path": "name", "change": "changed", "before": "IT onboarding", "after": "IT onboarding (2026)"}
        ]
        assert [t["key"] for t in diff["tasks"]["added"]] == ["archive_request"]
        assert [t["key"] for t in diff["tasks"]["removed"]] == ["notify_rejection"]
        [review] = diff["tasks"]["changed"]
        assert review["key"] == "review_request"
        assert review["changes"] == [
            {
                "path": "output_schema.properties.laptop.enum.2",
                "change": "removed",
                "before": "none",
                "after": None,
            }
        ]
        assert [t["key"] for t in diff["transitions"]["added"]] == ["review_request → archive_request"]
        assert [t["key"] for t in diff["transitions"]["removed"]] == ["review_request → notify_rejection"]
        # The list was reversed: order alone is no change.
        assert diff["transitions"]["changed"] == []

    async def test_the_other_way_round_swaps_added_and_removed(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None
    ) -> None:
        diff = (
            await client.get(
                "/api/definitions/workflows/it_onboarding/diff",
                params={"from": 2, "to": 1},
                headers=designer(company_a),
            )
        ).json()
        assert [t["key"] for t in diff["tasks"]["added"]] == ["notify_rejection"]
        assert [t["key"] for t in diff["tasks"]["removed"]] == ["archive_request"]

    async def test_a_transition_whose_condition_changed_is_changed(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await publish(client, company_a, sample_bundle)
        edited = copy.deepcopy(sample_bundle)
        edited["workflow"]["transitions"][0]["condition"] = "approved = true and laptop != 'none'"
        await publish(client, company_a, edited)
        diff = (
            await client.get(
                "/api/definitions/workflows/it_onboarding/diff",
                params={"from": 1, "to": 2},
                headers=designer(company_a),
            )
        ).json()
        [changed] = diff["transitions"]["changed"]
        assert changed["key"] == "review_request → create_account"
        assert changed["changes"][0]["path"] == "condition"
        assert changed["changes"][0]["before"] == "approved = true"


class TestTicketTypeDiff:
    async def test_fields_added_removed_changed_and_required(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None
    ) -> None:
        response = await client.get(
            "/api/definitions/ticket-types/it_onboarding/diff",
            params={"from": 1, "to": 2},
            headers=designer(company_a),
        )
        assert response.status_code == 200, response.text
        diff = response.json()
        assert [f["key"] for f in diff["fields"]["added"]] == ["cost_centre"]
        assert diff["fields"]["added"][0]["label"] == "Cost centre (cost_centre)"
        assert [f["key"] for f in diff["fields"]["removed"]] == ["department"]
        [name] = diff["fields"]["changed"]
        assert name["key"] == "employee_name"
        assert name["changes"] == [{"path": "maxLength", "change": "changed", "before": 200, "after": 80}]
        assert [p["path"] for p in diff["properties"]] == ["fields.required.2"]


class TestBadRequests:
    async def test_the_same_version_twice_is_422(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None
    ) -> None:
        response = await client.get(
            "/api/definitions/workflows/it_onboarding/diff",
            params={"from": 2, "to": 2},
            headers=designer(company_a),
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")

    @pytest.mark.parametrize("params", [{"from": 1}, {"from": 0, "to": 2}, {"from": "one", "to": 2}])
    async def test_missing_or_malformed_versions_are_422(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None, params: dict[str, Any]
    ) -> None:
        response = await client.get(
            "/api/definitions/workflows/it_onboarding/diff", params=params, headers=designer(company_a)
        )
        assert response.status_code == 422

    async def test_a_version_that_does_not_exist_is_404(
        self, client: httpx.AsyncClient, company_a: UUID, two_versions: None
    ) -> None:
        response = await client.get(
            "/api/definitions/ticket-types/it_onboarding/diff",
            params={"from": 1, "to": 9},
            headers=designer(company_a),
        )
        assert response.status_code == 404

    async def test_another_company_gets_404(
        self, client: httpx.AsyncClient, company_a: UUID, company_b: UUID, two_versions: None
    ) -> None:
        for path in ("workflows", "ticket-types"):
            response = await client.get(
                f"/api/definitions/{path}/it_onboarding/diff",
                params={"from": 1, "to": 2},
                headers=designer(company_b),
            )
            assert response.status_code == 404, path
            assert "add" not in response.text
