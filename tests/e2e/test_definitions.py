"""Definitions through the gateway: upload, validation, versions, round trip, dry run, roles
and tenancy, as a workflow designer and other users would meet them."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import Member, add_member

pytestmark = pytest.mark.slow

SAMPLE_PATH = (
    Path(__file__).resolve().parents[2] / "services" / "definitions" / "samples" / "it_onboarding.yaml"
)
TICKET = {"employee_name": "Ada Lovelace", "start_date": "2030-01-02", "department": "Engineering"}


@pytest.fixture
def sample() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(SAMPLE_PATH.read_text()))


@pytest.fixture
def designer(company_a: Member) -> Member:
    return add_member(company_a, ["user", "workflow_creator"])


def upload(member: Member, bundle: dict[str, Any]) -> Any:
    with member.client() as client:
        return client.post("/api/definitions/bundles", json=bundle)


class TestUpload:
    def test_valid_yaml_bundle_is_published(self, designer: Member) -> None:
        with designer.client() as client:
            response = client.post(
                "/api/definitions/bundles",
                content=SAMPLE_PATH.read_bytes(),
                headers={"content-type": "application/yaml"},
            )
            listed = client.get("/api/definitions/workflows").json()

        assert response.status_code == 201, response.text
        assert response.json()["workflow"] == {"key": "it_onboarding", "version": 1, "created": True}
        assert [w["key"] for w in listed["items"]] == ["it_onboarding"]

    def test_invalid_bundle_lists_every_problem_and_saves_nothing(
        self, designer: Member, sample: dict[str, Any]
    ) -> None:
        sample["workflow"]["tasks"][1]["timeout_seconds"] = None
        sample["workflow"]["tasks"][2]["output_schema"] = {"type": "object", "required": "serial"}
        sample["workflow"]["transitions"][3]["condition"] = "laptop !="

        response = upload(designer, sample)
        with designer.client() as client:
            listed = client.get("/api/definitions/workflows").json()

        assert response.status_code == 422
        assert {p["path"] for p in response.json()["errors"]} == {
            "workflow.tasks[1].timeout_seconds",
            "workflow.tasks[2].output_schema.required",
            "workflow.transitions[3].condition",
        }
        assert listed["total"] == 0


class TestVersions:
    def test_edit_makes_version_two_and_version_one_stays(
        self, designer: Member, sample: dict[str, Any]
    ) -> None:
        upload(designer, sample)
        sample["workflow"]["tasks"][0]["name"] = "Manager review"

        response = upload(designer, sample)
        with designer.client() as client:
            v1 = client.get("/api/definitions/workflows/it_onboarding/versions/1").json()
            v2 = client.get("/api/definitions/workflows/it_onboarding/versions/2").json()

        assert response.json()["workflow"]["version"] == 2
        assert v1["tasks"][0]["name"] == "Review request"
        assert v2["tasks"][0]["name"] == "Manager review"


class TestRoundTrip:
    def test_export_then_import_into_another_company_is_identical(
        self, designer: Member, company_b: Member, sample: dict[str, Any]
    ) -> None:
        upload(designer, sample)
        with designer.client() as client:
            exported = client.get("/api/definitions/workflows/it_onboarding/export").json()

        imported = upload(company_b, exported)
        with company_b.client() as client:
            again = client.get("/api/definitions/workflows/it_onboarding/export").json()

        assert imported.status_code == 201, imported.text
        assert again == exported == sample


class TestDryRun:
    def test_two_inputs_take_two_paths(self, designer: Member, sample: dict[str, Any]) -> None:
        upload(designer, sample)

        def path(outputs: dict[str, Any]) -> list[str]:
            with designer.client() as client:
                response = client.post(
                    "/api/definitions/dry-run",
                    json={"workflow_key": "it_onboarding", "ticket_data": TICKET, "task_outputs": outputs},
                )
            assert response.status_code == 200, response.text
            return list(response.json()["path"])

        assert path({"review_request": {"approved": True, "laptop": "none"}}) == [
            "review_request",
            "create_account",
            "send_welcome",
        ]
        assert path({"review_request": {"approved": False, "laptop": "none"}}) == [
            "review_request",
            "notify_rejection",
        ]


class TestAccess:
    def test_user_without_workflow_creator_cannot_write(
        self, company_a: Member, sample: dict[str, Any]
    ) -> None:
        user = add_member(company_a, ["user"])

        response = upload(user, sample)
        with user.client() as client:
            archive = client.post("/api/definitions/workflows/it_onboarding/archive")

        assert response.status_code == 403
        assert archive.status_code == 403

    def test_other_company_gets_404(
        self, designer: Member, company_b: Member, sample: dict[str, Any]
    ) -> None:
        upload(designer, sample)

        with company_b.client() as client:
            workflow = client.get("/api/definitions/workflows/it_onboarding")
            ticket_type = client.get("/api/definitions/ticket-types/it_onboarding")

        assert workflow.status_code == 404
        assert ticket_type.status_code == 404
