"""A ticket type is usable as soon as its bundle upload answers: a submission sent right after
the 201 is accepted, although the tickets service learns of the type from an event a moment
later (it waits briefly for it instead of answering 422 "no ticket type")."""

import os

import pytest

from .conftest import Member

pytestmark = pytest.mark.slow


def bundle(key: str, prefix: str) -> dict[str, object]:
    return {
        "workflow": {
            "key": key,
            "name": "Right away",
            "start_task": "look",
            "tasks": [
                {"key": "look", "name": "Look", "task_type": "FORM", "output_schema": {"type": "object"}}
            ],
            "transitions": [],
        },
        "ticket_types": [
            {
                "key": key,
                "name": "Right away",
                "prefix": prefix,
                "fields": {"type": "object", "properties": {"note": {"type": "string"}}},
                "company_role_access": ["user"],
            }
        ],
    }


def test_submitting_right_after_the_upload_is_accepted(company_a: Member) -> None:
    # A few times: the race is lost or won by milliseconds.
    for prefix in ("NA", "NB", "NC"):
        key = f"right_away_{os.urandom(3).hex()}"
        with company_a.client() as client:
            uploaded = client.post("/api/definitions/bundles", json=bundle(key, prefix))
            submitted = client.post(
                "/api/tickets/tickets",
                json={"ticket_type_key": key, "title": "At once", "ticket_data": {"note": "no waiting"}},
            )
        assert uploaded.status_code == 201, uploaded.text
        assert submitted.status_code == 201, submitted.text
        assert submitted.json()["ticket_type_key"] == key
        assert submitted.json()["number"] == f"{prefix}-1"
