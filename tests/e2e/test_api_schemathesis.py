"""Schemathesis over the gateway's merged OpenAPI document, as a real admin of a real company:
every operation gets generated requests (a bounded number, from a fixed seed), and every
answer must be free of server errors and conform to the document (status code, media type,
body schema)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import checks as st_checks

from .conftest import Member, RunningSystem
from .tenant_records import merged_openapi

# Per operation; 66 operations at this bound keep the run to a couple of minutes on 2 cores.
EXAMPLES_PER_OPERATION = 8
SEED = 20261201

CHECKS: list[Callable[..., Any]] = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]

# Operations whose generated calls would end the run's own session: the admin's password and
# email stay as they are so every later call is still made as that admin.
KEEP_THE_SESSION = {("POST", "/api/identity/me/password"), ("PATCH", "/api/identity/me")}


@dataclass
class Finding:
    operation: str
    problem: str


def load_schema(base_url: str) -> Any:
    return schemathesis.openapi.from_dict(merged_openapi(base_url))


def fuzz_operation(operation: Any, base_url: str, token: str) -> Finding | None:
    label = f"{operation.method.upper()} {operation.path}"
    # The callbacks route is public and token-authenticated; the rest are called as the admin.
    headers = {"authorization": f"Bearer {token}"}

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports failures as a group
        return Finding(label, f"{type(exc).__name__}: {str(exc)[:1500]}")
    return None


def fuzz_everything(base_url: str, token: str, *, skip: set[tuple[str, str]]) -> tuple[int, list[Finding]]:
    schema = load_schema(base_url)
    findings: list[Finding] = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue
        count += 1
        finding = fuzz_operation(operation, base_url, token)
        if finding is not None:
            findings.append(finding)
    return count, findings


@pytest.mark.slow
def test_every_operation_answers_without_server_errors_and_as_documented(
    system: RunningSystem, company_a: Member
) -> None:
    count, findings = fuzz_everything(system.base_url, company_a.token, skip=KEEP_THE_SESSION)
    assert count >= 60, f"only {count} operations in the document"
    report = "\n\n".join(f"{f.operation}\n{f.problem}" for f in findings)
    assert not findings, f"{len(findings)} of {count} operations failed:\n\n{report}"
