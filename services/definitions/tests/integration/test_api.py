"""The definitions API, through the app as the gateway would call it."""

import copy
from typing import Any
from uuid import UUID

import httpx
import yaml
from sqlalchemy import func, select, text

from common.db import Database
from common.testing.infra import claims_headers
from definitions.models import TicketDefinition, WorkflowDefinition


def designer(company_id: UUID) -> dict[str, str]:
    return claims_headers(company_id, roles=["user", "workflow_creator"])


def member(company_id: UUID) -> dict[str, str]:
    return claims_headers(company_id, roles=["user"])


async def upload(client: httpx.AsyncClient, company: UUID, bundle: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/definitions/bundles", json=bundle, headers=designer(company))


async def count_rows(db: Database, company: UUID, model: Any) -> int:
    async with db.unit_of_work(company) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


class TestUploadBundle:
    async def test_valid_bundle_publishes_version_one(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 201, response.text
        body = response.json()
        assert body["workflow"] == {"key": "it_onboarding", "version": 1, "created": True}
        assert body["ticket_types"] == [{"key": "it_onboarding", "version": 1, "created": True}]
        assert body["warnings"] == []
        detail = (
            await client.get("/api/definitions/workflows/it_onboarding", headers=member(company_a))
        ).json()
        assert [t["key"] for t in detail["current"]["tasks"]] == [
            "review_request",
            "create_account",
            "order_laptop",
            "send_welcome",
            "notify_rejection",
        ]

    async def test_yaml_body_and_multipart_file_are_accepted(
        self, client: httpx.AsyncClient, company_a: UUID, sample_text: str
    ) -> None:
        as_yaml = await client.post(
            "/api/definitions/bundles",
            content=sample_text.encode(),
            headers={**designer(company_a), "content-type": "application/yaml"},
        )
        as_file = await client.post(
            "/api/definitions/bundles",
            files={"file": ("it_onboarding.yaml", sample_text.encode(), "application/octet-stream")},
            headers=designer(company_a),
        )

        assert as_yaml.status_code == 201, as_yaml.text
        assert as_file.status_code == 200, as_file.text
        assert as_file.json()["workflow"] == {"key": "it_onboarding", "version": 1, "created": False}

    async def test_invalid_bundle_lists_every_problem_and_writes_nothing(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        tasks = sample_bundle["workflow"]["tasks"]
        tasks[0]["output_schema"] = {"type": "object", "properties": {"approved": {"type": "yes-no"}}}
        tasks[1]["action_url"] = None
        tasks[2]["output_transform"] = '{"id": order_id'
        sample_bundle["workflow"]["transitions"][0]["to"] = "nowhere"
        sample_bundle["ticket_types"][0]["fields"]["properties"]["employee_name"]["pattern"] = "([a-z"

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        paths = {problem["path"] for problem in response.json()["errors"]}
        assert {
            "workflow.tasks[0].output_schema.properties.approved.type",
            "workflow.tasks[1].action_url",
            "workflow.tasks[2].output_transform",
            "workflow.transitions[0].to",
            "ticket_types[0].fields.properties.employee_name.pattern",
        } <= paths
        assert await count_rows(db, company_a, WorkflowDefinition) == 0
        assert await count_rows(db, company_a, TicketDefinition) == 0

    async def test_malformed_shape_is_a_422_with_paths(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        del sample_bundle["workflow"]["tasks"][1]["task_type"]
        sample_bundle["workflow"]["transitions"][2]["priority"] = "high"

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 422
        paths = {problem["path"] for problem in response.json()["errors"]}
        assert paths == {"workflow.tasks[1].task_type", "workflow.transitions[2].priority"}

    async def test_unparseable_yaml_is_a_400(self, client: httpx.AsyncClient, company_a: UUID) -> None:
        response = await client.post(
            "/api/definitions/bundles",
            content=b"workflow: [unclosed",
            headers={**designer(company_a), "content-type": "application/yaml"},
        )

        assert response.status_code == 400

    async def test_unknown_media_type_is_a_415(self, client: httpx.AsyncClient, company_a: UUID) -> None:
        response = await client.post(
            "/api/definitions/bundles",
            content=b"hello",
            headers={**designer(company_a), "content-type": "text/plain"},
        )

        assert response.status_code == 415

    async def test_plain_user_may_not_upload(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        response = await client.post(
            "/api/definitions/bundles", json=sample_bundle, headers=member(company_a)
        )

        assert response.status_code == 403
        assert await count_rows(db, company_a, WorkflowDefinition) == 0

    async def test_admin_may_upload(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        response = await client.post(
            "/api/definitions/bundles", json=sample_bundle, headers=claims_headers(company_a, roles=["admin"])
        )

        assert response.status_code == 201

    async def test_without_gateway_claims_is_a_401(
        self, client: httpx.AsyncClient, sample_bundle: dict[str, Any]
    ) -> None:
        response = await client.post("/api/definitions/bundles", json=sample_bundle)

        assert response.status_code == 401

    async def test_pinned_workflow_version_must_exist(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        sample_bundle["ticket_types"][0]["workflow_version"] = 3

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 422
        assert [p["path"] for p in response.json()["errors"]] == ["ticket_types[0].workflow_version"]


class TestComponentLayouts:
    async def test_broken_layout_is_a_422_with_line_and_column_beside_other_problems(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        tasks = sample_bundle["workflow"]["tasks"]
        tasks[0]["edit_layout"] = {
            "language": "tsx",
            "source": "import { Field } from '@ticketflower/layout';\n\nexport default function L() {\n"
            "  return <Field name=approved />;\n}\n",
        }
        tasks[1]["action_url"] = None

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 422
        errors = {problem["path"]: problem for problem in response.json()["errors"]}
        layout = errors["workflow.tasks[0].edit_layout.source"]
        assert (layout["type"], layout["line"], layout["column"]) == ("layout_syntax_error", 4, 21)
        assert "workflow.tasks[1].action_url" in errors
        assert "line" not in errors["workflow.tasks[1].action_url"]
        assert await count_rows(db, company_a, WorkflowDefinition) == 0

    async def test_workflow_display_layout_is_stored_shown_with_the_graph_and_exported(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        assert (await upload(client, company_a, sample_bundle)).status_code == 201

        graph = (
            await client.get("/api/definitions/workflows/it_onboarding/graph", headers=member(company_a))
        ).json()
        exported = (
            await client.get("/api/definitions/workflows/it_onboarding/export", headers=member(company_a))
        ).json()

        assert graph["display_layout"] == sample_bundle["workflow"]["display_layout"]
        assert "export default function Onboarding" in graph["display_layout"]["source"]
        assert exported["workflow"]["display_layout"] == sample_bundle["workflow"]["display_layout"]
        assert (
            exported["workflow"]["tasks"][0]["edit_layout"]
            == sample_bundle["workflow"]["tasks"][0]["edit_layout"]
        )

    async def test_changing_only_the_display_layout_publishes_a_new_version(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        sample_bundle["workflow"]["display_layout"] = {"sections": [{"title": "Data", "fields": ["laptop"]}]}

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 201
        assert response.json()["workflow"] == {"key": "it_onboarding", "version": 2, "created": True}


class TestEditWorkflow:
    async def test_edit_publishes_version_two_and_keeps_version_one(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        edited = copy.deepcopy(sample_bundle)
        edited["workflow"]["tasks"][0]["name"] = "Manager review"

        response = await upload(client, company_a, edited)

        assert response.status_code == 201
        assert response.json()["workflow"]["version"] == 2
        headers = member(company_a)
        v1 = (await client.get("/api/definitions/workflows/it_onboarding/versions/1", headers=headers)).json()
        v2 = (await client.get("/api/definitions/workflows/it_onboarding/versions/2", headers=headers)).json()
        assert v1["tasks"][0]["name"] == "Review request"
        assert v2["tasks"][0]["name"] == "Manager review"
        versions = (
            await client.get("/api/definitions/workflows/it_onboarding/versions", headers=headers)
        ).json()
        assert [v["version"] for v in versions] == [2, 1]
        detail = (await client.get("/api/definitions/workflows/it_onboarding", headers=headers)).json()
        assert detail["latest_version"] == 2
        assert detail["current"]["version"] == 2

    async def test_put_workflow_publishes_next_version(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        workflow = sample_bundle["workflow"]
        workflow["description"] = "Edited"

        response = await client.put(
            "/api/definitions/workflows/it_onboarding", json=workflow, headers=designer(company_a)
        )

        assert response.status_code == 201, response.text
        assert response.json()["workflow"]["version"] == 2

    async def test_put_workflow_reports_problems_in_the_body(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        workflow = sample_bundle["workflow"]
        workflow["start_task"] = "missing"

        response = await client.put(
            "/api/definitions/workflows/it_onboarding", json=workflow, headers=designer(company_a)
        )

        assert response.status_code == 422
        assert ["body", "start_task"] in [p["loc"] for p in response.json()["errors"]]

    async def test_same_bundle_again_creates_nothing(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 200
        assert response.json()["workflow"] == {"key": "it_onboarding", "version": 1, "created": False}


class TestExport:
    async def test_round_trip_into_another_company_is_identical(
        self, client: httpx.AsyncClient, company_a: UUID, company_b: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        exported = await client.get(
            "/api/definitions/workflows/it_onboarding/export", headers=member(company_a)
        )
        assert exported.status_code == 200

        imported = await upload(client, company_b, exported.json())
        again = await client.get("/api/definitions/workflows/it_onboarding/export", headers=member(company_b))

        assert imported.status_code == 201
        assert again.json() == exported.json()
        assert exported.json() == sample_bundle

    async def test_yaml_export_parses_to_the_same_bundle(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        response = await client.get(
            "/api/definitions/workflows/it_onboarding/export?format=yaml", headers=member(company_a)
        )

        assert response.headers["content-type"].startswith("application/yaml")
        assert yaml.safe_load(response.text) == sample_bundle


class TestTenancy:
    async def test_other_company_gets_404(
        self, client: httpx.AsyncClient, company_a: UUID, company_b: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        headers = member(company_b)

        for path in (
            "/api/definitions/workflows/it_onboarding",
            "/api/definitions/workflows/it_onboarding/versions/1",
            "/api/definitions/workflows/it_onboarding/graph",
            "/api/definitions/workflows/it_onboarding/export",
            "/api/definitions/ticket-types/it_onboarding",
        ):
            response = await client.get(path, headers=headers)
            assert response.status_code == 404, path
        listed = await client.get("/api/definitions/workflows", headers=headers)
        assert listed.json()["total"] == 0

    async def test_row_level_security_hides_rows_even_without_a_filter(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company_a: UUID,
        company_b: UUID,
        sample_bundle: dict[str, Any],
    ) -> None:
        await upload(client, company_a, sample_bundle)

        async with db.unit_of_work(company_b) as uow:
            seen = await uow.session.scalar(text("SELECT count(*) FROM definitions.workflow_definitions"))

        assert seen == 0


class TestDryRun:
    async def test_two_inputs_take_different_paths(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        ticket = {"employee_name": "Ada", "start_date": "2030-01-02", "department": "Engineering"}

        approved = await client.post(
            "/api/definitions/dry-run",
            json={
                "workflow_key": "it_onboarding",
                "ticket_data": ticket,
                "task_outputs": {
                    "review_request": {"approved": True, "laptop": "developer"},
                    "create_account": {"account_id": "a-1"},
                },
            },
            headers=member(company_a),
        )
        refused = await client.post(
            "/api/definitions/dry-run",
            json={
                "bundle": sample_bundle,
                "ticket_data": ticket,
                "task_outputs": {"review_request": {"approved": False, "laptop": "none"}},
            },
            headers=member(company_a),
        )

        assert approved.status_code == 200, approved.text
        assert approved.json()["path"] == ["review_request", "create_account", "order_laptop", "send_welcome"]
        assert approved.json()["outcome"] == "COMPLETED"
        first = approved.json()["steps"][0]["conditions"][0]
        assert first == {
            "to": "create_account",
            "condition": "approved = true",
            "priority": 10,
            "value": True,
            "holds": True,
            "error": None,
        }
        assert refused.json()["path"] == ["review_request", "notify_rejection"]
        assert refused.json()["steps"][0]["conditions"][0]["value"] is False

    async def test_unknown_workflow_is_404(self, client: httpx.AsyncClient, company_a: UUID) -> None:
        response = await client.post(
            "/api/definitions/dry-run", json={"workflow_key": "nope"}, headers=member(company_a)
        )

        assert response.status_code == 404

    async def test_invalid_bundle_problems_are_located_under_bundle(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        sample_bundle["workflow"]["start_task"] = "missing"

        response = await client.post(
            "/api/definitions/dry-run", json={"bundle": sample_bundle}, headers=member(company_a)
        )

        assert response.status_code == 422
        assert "bundle.workflow.start_task" in [p["path"] for p in response.json()["errors"]]


class TestGraph:
    async def test_nodes_and_edges_in_trial_order(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        graph = (
            await client.get("/api/definitions/workflows/it_onboarding/graph", headers=member(company_a))
        ).json()

        assert [n["id"] for n in graph["nodes"] if n["is_start"]] == ["review_request"]
        assert {n["id"] for n in graph["nodes"] if n["is_end"]} == {"send_welcome", "notify_rejection"}
        out_of_review = [e for e in graph["edges"] if e["from"] == "review_request"]
        assert [(e["to"], e["order"], e["condition"]) for e in out_of_review] == [
            ("create_account", 0, "approved = true"),
            ("notify_rejection", 1, None),
        ]


class TestLists:
    async def test_search_filters_and_pagination(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        other = copy.deepcopy(sample_bundle)
        other["workflow"]["key"] = "laptop_swap"
        other["workflow"]["name"] = "Laptop swap"
        other["ticket_types"] = []
        await upload(client, company_a, other)
        headers = member(company_a)

        everything = (await client.get("/api/definitions/workflows?page_size=1", headers=headers)).json()
        found = (await client.get("/api/definitions/workflows?q=swap", headers=headers)).json()
        actions = (
            await client.get(
                "/api/definitions/tasks?task_type=ASYNC_ACTION&workflow_key=it_onboarding", headers=headers
            )
        ).json()
        types = (await client.get("/api/definitions/ticket-types?q=onboard", headers=headers)).json()

        assert everything["total"] == 2
        assert len(everything["items"]) == 1
        assert [w["key"] for w in found["items"]] == ["laptop_swap"]
        assert [t["key"] for t in actions["items"]] == ["order_laptop"]
        assert [t["key"] for t in types["items"]] == ["it_onboarding"]
        assert types["items"][0]["prefix"] == "IT"


class TestArchive:
    async def test_workflow_used_by_a_ticket_type_cannot_be_archived(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        response = await client.post(
            "/api/definitions/workflows/it_onboarding/archive", headers=designer(company_a)
        )

        assert response.status_code == 409

    async def test_archived_definitions_leave_lists_but_stay_readable(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        headers = designer(company_a)

        ticket_type = await client.post(
            "/api/definitions/ticket-types/it_onboarding/archive", headers=headers
        )
        workflow = await client.post("/api/definitions/workflows/it_onboarding/archive", headers=headers)

        assert ticket_type.json()["archived"] is True
        assert workflow.json()["archived"] is True
        assert (await client.get("/api/definitions/workflows", headers=headers)).json()["total"] == 0
        archived = (await client.get("/api/definitions/workflows?archived=true", headers=headers)).json()
        assert [w["key"] for w in archived["items"]] == ["it_onboarding"]
        assert (
            await client.get("/api/definitions/workflows/it_onboarding/versions/1", headers=headers)
        ).status_code == 200

    async def test_plain_user_may_not_archive(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        response = await client.post(
            "/api/definitions/ticket-types/it_onboarding/archive", headers=member(company_a)
        )

        assert response.status_code == 403


class TestPublishTicketType:
    async def test_new_ticket_type_for_an_existing_workflow(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        ticket_type = {
            **sample_bundle["ticket_types"][0],
            "key": "contractor",
            "name": "Contractor",
            "prefix": "CO",
        }

        response = await client.put(
            "/api/definitions/ticket-types/contractor",
            json={**ticket_type, "workflow_key": "it_onboarding", "workflow_version": 1},
            headers=designer(company_a),
        )

        assert response.status_code == 201, response.text
        detail = (
            await client.get("/api/definitions/ticket-types/contractor", headers=member(company_a))
        ).json()
        assert detail["workflow_version"] == 1

    async def test_prefix_taken_by_another_ticket_type_is_refused(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        ticket_type = {**sample_bundle["ticket_types"][0], "key": "contractor"}

        response = await client.put(
            "/api/definitions/ticket-types/contractor",
            json={**ticket_type, "workflow_key": "it_onboarding"},
            headers=designer(company_a),
        )

        assert response.status_code == 422
        assert [p["loc"] for p in response.json()["errors"]] == [["body", "prefix"]]


class TestIdempotentUpload:
    async def test_a_repeat_answers_the_first_response_and_another_bundle_is_422(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        headers = {**designer(company_a), "Idempotency-Key": "bundle-1"}
        first = await client.post("/api/definitions/bundles", json=sample_bundle, headers=headers)
        again = await client.post("/api/definitions/bundles", json=sample_bundle, headers=headers)
        assert first.status_code == 201, first.text
        assert (again.status_code, again.json()) == (201, first.json())
        changed = copy.deepcopy(sample_bundle)
        changed["workflow"]["name"] = "Renamed"
        other = await client.post("/api/definitions/bundles", json=changed, headers=headers)
        assert other.status_code == 422
        assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
        versions = (
            await client.get("/api/definitions/workflows/it_onboarding", headers=member(company_a))
        ).json()
        assert versions["current"]["version"] == 1


class TestTaskAssignmentRule:
    async def test_is_published_in_the_event_and_exported(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        rule = {"strategy": "company_role", "company_role": "IT staff", "pick": "round_robin"}
        sample_bundle["workflow"]["tasks"][0]["assignment"] = rule

        response = await upload(client, company_a, sample_bundle)
        exported = await client.get(
            "/api/definitions/workflows/it_onboarding/export", headers=member(company_a)
        )

        assert response.status_code == 201, response.text
        assert exported.json()["workflow"]["tasks"][0]["assignment"] == rule
        async with db.new_session() as session:
            rows = await session.execute(select(db.tables.outbox.c.payload))
            published = [
                r.payload["data"]
                for r in rows
                if r.payload["type"] == "workflow_definition.published"
                and r.payload["company_id"] == str(company_a)
            ]
        assert [t["assignment"] for t in published[0]["tasks"]] == [rule, None, None, None, None]
