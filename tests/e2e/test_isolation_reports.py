"""The aggregates and searches have no id to guess, so the id matrix cannot reach them: here
company B's every-role user calls each one through the gateway while company A has records,
and reads none of A's numbers or hits (A's own calls show the records are there to leak)."""

from typing import Any

import pytest

from .conftest import Member, RunningSystem, add_member, sign_up_company
from .tenant_records import ALL_SYSTEM_ROLES, CompanyRecords, build_company_records, eventually


@pytest.fixture(scope="module")
def records_of_a(system: RunningSystem) -> CompanyRecords:
    return build_company_records(sign_up_company(system, "Reports A"))


@pytest.fixture(scope="module")
def everyone_of_b(system: RunningSystem) -> Member:
    return add_member(sign_up_company(system, "Reports B"), ALL_SYSTEM_ROLES)


def get(member: Member, path: str, **params: str) -> Any:
    with member.client() as client:
        response = client.get(path, params=params)
    assert response.status_code == 200, f"{path}: {response.text}"
    return response.json()


@pytest.mark.slow
def test_another_company_reads_none_of_the_aggregates(
    records_of_a: CompanyRecords, everyone_of_b: Member
) -> None:
    a, b = records_of_a.admin, everyone_of_b
    own = get(a, "/api/tickets/reports")
    assert sum(row["created"] for row in own["per_day"]) >= 1
    assert get(b, "/api/tickets/reports")["per_day"] == []

    assert get(a, "/api/tickets/reports/overview")["total"] >= 1
    assert get(b, "/api/tickets/reports/overview")["total"] == 0

    assert get(a, "/api/tickets/reports/mine")["total"] >= 1
    assert get(b, "/api/tickets/reports/mine")["total"] == 0

    assert get(a, "/api/engine/metrics/overview")["workflows_by_status"] != {}
    b_engine = get(b, "/api/engine/metrics/overview")
    assert b_engine["workflows_by_status"] == {}
    # B's queue lists B's own task worker (this caller) with nothing to do, and no one of A's.
    assert [(w["user_id"], w["open_tasks"]) for w in b_engine["queue_by_worker"]] == [(b.user["id"], 0)]

    assert get(records_of_a.member, "/api/engine/metrics/me")["open_total"] == 1
    assert get(b, "/api/engine/metrics/me")["open_total"] == 0

    assert get(b, "/api/engine/metrics/report")["time_per_task_definition"] == []
    assert get(b, "/api/actions/reports")["hosts"] == []
    assert get(b, "/api/engine/metrics/sla")["per_task_definition"] == []
    assert get(b, "/api/tickets/reports/sla")["per_type"] == []


@pytest.mark.slow
def test_another_company_finds_none_of_the_tickets_or_tasks(
    records_of_a: CompanyRecords, everyone_of_b: Member
) -> None:
    a, b = records_of_a.admin, everyone_of_b
    # The task's search vector is written with its instance; the ticket's with the ticket.
    eventually(lambda: get(a, "/api/engine/tasks", q="isolated")["total"] or None, "A's task in search")
    assert get(a, "/api/tickets/tickets", q="isolated")["total"] >= 1
    assert get(a, "/api/tickets/tickets/mine", q="isolated")["total"] >= 1
    assert get(records_of_a.member, "/api/engine/tasks/mine", q="isolated")["total"] == 1
    for path in (
        "/api/tickets/tickets",
        "/api/tickets/tickets/mine",
        "/api/engine/tasks",
        "/api/engine/tasks/mine",
    ):
        assert get(b, path, q="isolated")["total"] == 0, path
