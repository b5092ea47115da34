"""Outcomes a bundle names reach the engine on the published event, are kept with the
version, and come back unchanged in the export."""

import copy
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select

from common.db import Database
from common.testing.infra import claims_headers
from contracts.definitions import WorkflowDefinitionPublished
from contracts.envelope import Envelope


def designer(company: UUID) -> dict[str, str]:
    return claims_headers(company, roles=["user", "workflow_creator"])


async def published_workflows(db: Database) -> list[WorkflowDefinitionPublished]:
    table = db.tables.outbox
    async with db.unit_of_work() as uow:
        rows = (await uow.session.execute(select(table.c.payload).order_by(table.c.position))).scalars().all()
    envelopes = [Envelope.model_validate(row) for row in rows]
    return [
        WorkflowDefinitionPublished.model_validate(e.data)
        for e in envelopes
        if e.type == WorkflowDefinitionPublished.event_type
    ]


class TestPublishedOutcomes:
    async def test_the_event_carries_the_end_tasks_and_the_transitions_outcomes(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        response = await client.post(
            "/api/definitions/bundles", json=sample_bundle, headers=designer(company_a)
        )
        assert response.status_code == 201, response.text

        [workflow] = await published_workflows(db)

        welcome = next(t for t in workflow.tasks if t.key == "send_welcome")
        assert welcome.outcome is not None
        assert (welcome.outcome.key, welcome.outcome.label) == ("approved", "Approved")
        rejected = next(t for t in workflow.transitions if t.to_task == "notify_rejection")
        assert rejected.outcome is not None
        assert (rejected.outcome.key, rejected.outcome.label) == ("rejected", "Rejected")
        assert rejected.outcome.message is not None
        assert "comment" in rejected.outcome.message
        assert all(t.outcome is None for t in workflow.tasks if t.key != "send_welcome")

    async def test_the_export_gives_the_outcomes_back_and_an_unchanged_upload_adds_no_version(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await client.post("/api/definitions/bundles", json=sample_bundle, headers=designer(company_a))

        exported = await client.get(
            "/api/definitions/workflows/it_onboarding/export",
            params={"format": "json"},
            headers=designer(company_a),
        )
        assert exported.status_code == 200, exported.text
        document = exported.json()
        again = await client.post("/api/definitions/bundles", json=document, headers=designer(company_a))

        tasks = {t["key"]: t for t in document["workflow"]["tasks"]}
        assert tasks["send_welcome"]["outcome"] == sample_bundle["workflow"]["tasks"][3]["outcome"]
        assert (
            document["workflow"]["transitions"][1]["outcome"]
            == sample_bundle["workflow"]["transitions"][1]["outcome"]
        )
        assert again.json()["workflow"] == {"key": "it_onboarding", "version": 1, "created": False}

    async def test_an_outcome_in_the_wrong_place_is_a_problem_and_nothing_is_published(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        bundle = copy.deepcopy(sample_bundle)
        bundle["workflow"]["tasks"][0]["outcome"] = {"key": "reviewed", "label": "Reviewed"}

        response = await client.post("/api/definitions/bundles", json=bundle, headers=designer(company_a))

        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [(e["path"], e["type"]) for e in response.json()["errors"]] == [
            ("workflow.tasks[0].outcome", "outcome_not_at_end")
        ]
        assert await published_workflows(db) == []

    async def test_the_graph_marks_the_ends_outcomes(
        self, client: httpx.AsyncClient, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await client.post("/api/definitions/bundles", json=sample_bundle, headers=designer(company_a))

        graph = (
            await client.get("/api/definitions/workflows/it_onboarding/graph", headers=designer(company_a))
        ).json()

        nodes = {n["id"]: n["outcome_label"] for n in graph["nodes"]}
        edges = {(e["from"], e["to"]): e["outcome_label"] for e in graph["edges"]}
        assert nodes["send_welcome"] == "Approved"
        assert nodes["review_request"] is None
        assert edges[("review_request", "notify_rejection")] == "Rejected"
        assert edges[("review_request", "create_account")] is None
