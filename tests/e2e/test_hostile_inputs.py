"""Hostile inputs through the gateway, each sent by company A (or by nobody, before login) while
company B goes on with an ordinary request: regex bombs, deep YAML and JSON, NUL and lone
surrogates in bodies and query strings, control characters in paths, oversized bodies.

Each attack gets a clear answer (a 4xx problem, or for a regex bomb the right answer at once:
RE2 matches in linear time, so the bomb has nothing to explode), and B's request succeeds while
the attacks run. That is a correctness check; nothing here measures time."""

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from .conftest import Member, RunningSystem, sign_up_company

# 40 'a's and a '!': under a backtracking engine `^(a+)+$` needs about 2**40 steps to refuse it.
BOMB_TEXT = "a" * 40 + "!"
BOMB_PATTERN = "^(a+)+$"
# Attacks sent at once, so B's request runs among them.
PARALLEL_ATTACKS = 4


@dataclass
class Attack:
    """One hostile request; `check` says whether its answer is the right refusal."""

    name: str
    send: Callable[[httpx.Client], httpx.Response]
    check: Callable[[httpx.Response], None]


@pytest.fixture(scope="module")
def attacker(system: RunningSystem) -> Member:
    return sign_up_company(system, "Hostile A")


@pytest.fixture(scope="module")
def bystander(system: RunningSystem) -> Member:
    return sign_up_company(system, "Bystander B")


def ordinary_request(bystander: Member) -> None:
    """What B does meanwhile: reads that touch identity, definitions, tickets and the engine."""
    with bystander.client() as client:
        for path in (
            "/api/identity/me",
            "/api/definitions/workflows",
            "/api/tickets/tickets/mine",
            "/api/engine/tasks/mine",
        ):
            response = client.get(path)
            assert response.status_code == 200, (
                f"B's GET {path} during the attack: {response.status_code} {response.text}"
            )


def under_attack(attacker_client: Callable[[], httpx.Client], attack: Attack, bystander: Member) -> None:
    def one() -> httpx.Response:
        with attacker_client() as client:
            return attack.send(client)

    with ThreadPoolExecutor(max_workers=PARALLEL_ATTACKS + 1) as pool:
        attacks = [pool.submit(one) for _ in range(PARALLEL_ATTACKS)]
        meanwhile = pool.submit(ordinary_request, bystander)
        answers = [future.result() for future in attacks]
        meanwhile.result()
    for answer in answers:
        attack.check(answer)
    # And after it, too: nothing was left hung.
    ordinary_request(bystander)


def refused(*statuses: int) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        assert response.status_code in statuses, f"{response.status_code}: {response.text[:500]}"
        assert response.headers["content-type"].startswith("application/problem+json"), response.headers
        problem = response.json()
        assert problem["status"] == response.status_code
        assert "Traceback" not in response.text

    return check


def names_field(status: int, loc: list[Any]) -> Callable[[httpx.Response], None]:
    base = refused(status)

    def check(response: httpx.Response) -> None:
        base(response)
        locs = [e["loc"] for e in response.json().get("errors", [])]
        assert loc in locs, locs

    return check


def bundle_with(condition: str | None = None, pattern: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": "object", "properties": {"code": {"type": "string"}}}
    if pattern is not None:
        fields["properties"]["code"]["pattern"] = pattern
    return {
        "workflow": {
            "key": "bomb",
            "name": "Bomb",
            "start_task": "first",
            "tasks": [
                {"key": "first", "name": "First", "task_type": "FORM"},
                {"key": "matched", "name": "Matched", "task_type": "FORM"},
                {"key": "other", "name": "Other", "task_type": "FORM"},
            ],
            "transitions": [
                {"from": "first", "to": "matched", "condition": condition, "priority": 1},
                {"from": "first", "to": "other", "condition": None, "priority": 0},
            ],
        },
        "ticket_types": [
            {
                "key": "bomb",
                "name": "Bomb",
                "prefix": "BOMB",
                "fields": fields,
                "company_role_access": ["user"],
            }
        ],
    }


def _dry_run_walks_past_the_bomb(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    result = response.json()
    # The match fails (the text ends in '!'), so the walk takes the unconditional transition.
    assert result["path"] == ["first", "other"], result
    assert result["steps"][0]["conditions"][0]["holds"] is False


def _validate_reports(valid: bool, code: str | None = None) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["valid"] is valid, report
        if code is not None:
            assert code in {e["type"] for e in report["errors"]}, report

    return check


def deep_yaml() -> bytes:
    return b"[" * 10_000 + b"]" * 10_000


def deep_json(levels: int = 10_000) -> bytes:
    return (
        b'{"ticket_type_key": "x", "title": "t", "ticket_data": {"a": '
        + b"[" * levels
        + b"]" * levels
        + b"}}"
    )


def dry_run_of(condition: str) -> Callable[[httpx.Client], httpx.Response]:
    """A dry run of a bundle whose transition has `condition`, on the bomb's text."""

    def send(client: httpx.Client) -> httpx.Response:
        return client.post(
            "/api/definitions/dry-run",
            json={"bundle": bundle_with(condition), "ticket_data": {"text": BOMB_TEXT}},
        )

    return send


def attacks() -> Iterator[Attack]:
    yield Attack(
        "a regex bomb in a dry-run condition",
        lambda c: c.post(
            "/api/definitions/dry-run",
            json={
                "bundle": bundle_with(f"$match(text, /{BOMB_PATTERN}/)"),
                "ticket_data": {"text": BOMB_TEXT},
            },
        ),
        _dry_run_walks_past_the_bomb,
    )
    for function in (
        "$replace(text, /{p}/, 'x') = 'x'",
        "$count($split(text, /{p}/)) = 0",
        "$contains(text, /{p}/)",
    ):
        condition = function.format(p=BOMB_PATTERN)
        yield Attack(
            f"a regex bomb in {function.split('(')[0]}", dry_run_of(condition), _dry_run_walks_past_the_bomb
        )
    yield Attack(
        "a back-reference bomb in a dry-run condition (a pattern only backtracking can run)",
        lambda c: c.post(
            "/api/definitions/dry-run",
            json={"bundle": bundle_with("$match(text, /^(a*)*\\1$/)"), "ticket_data": {"text": BOMB_TEXT}},
        ),
        refused(422),
    )
    yield Attack(
        "a regex bomb as a JSON Schema pattern in bundle validate",
        lambda c: c.post("/api/definitions/bundles/validate", json=bundle_with(pattern=BOMB_PATTERN)),
        _validate_reports(True),
    )
    yield Attack(
        "a back-reference pattern in bundle validate",
        lambda c: c.post("/api/definitions/bundles/validate", json=bundle_with(pattern="^(a*)*\\1$")),
        _validate_reports(False, "invalid_pattern"),
    )
    yield Attack(
        "a regex bomb condition in bundle validate",
        lambda c: c.post(
            "/api/definitions/bundles/validate", json=bundle_with(f"$match(text, /{BOMB_PATTERN}/)")
        ),
        _validate_reports(True),
    )
    yield Attack(
        "10,000 nested [ as a YAML bundle",
        lambda c: c.post(
            "/api/definitions/bundles/validate",
            content=deep_yaml(),
            headers={"content-type": "application/yaml"},
        ),
        refused(400),
    )
    yield Attack(
        "10,000 nested [ as a YAML bundle upload",
        lambda c: c.post(
            "/api/definitions/bundles", content=deep_yaml(), headers={"content-type": "application/yaml"}
        ),
        refused(400),
    )
    yield Attack(
        "10,000 nested [ as a JSON bundle",
        lambda c: c.post(
            "/api/definitions/bundles/validate",
            content=b"[" * 10_000 + b"]" * 10_000,
            headers={"content-type": "application/json"},
        ),
        refused(400, 422),
    )
    yield Attack(
        "deeply nested JSON ticket data",
        lambda c: c.post(
            "/api/tickets/tickets", content=deep_json(), headers={"content-type": "application/json"}
        ),
        refused(422),
    )
    yield Attack(
        "a NUL in a ticket title",
        lambda c: c.post(
            "/api/tickets/tickets", json={"ticket_type_key": "x", "title": "a\u0000b", "ticket_data": {}}
        ),
        names_field(422, ["body", "title"]),
    )
    yield Attack(
        "a lone surrogate in a ticket title",
        lambda c: c.post(
            "/api/tickets/tickets",
            content=b'{"ticket_type_key": "x", "title": "\\ud800", "ticket_data": {}}',
            headers={"content-type": "application/json"},
        ),
        names_field(422, ["body", "title"]),
    )
    yield Attack(
        "a NUL deep in ticket data",
        lambda c: c.post(
            "/api/tickets/tickets",
            json={"ticket_type_key": "x", "title": "t", "ticket_data": {"a": [{"b": "\u0000"}]}},
        ),
        names_field(422, ["body", "ticket_data", "a", 0, "b"]),
    )
    yield Attack(
        "a NUL in the ticket search query",
        lambda c: c.get("/api/tickets/tickets", params={"q": "a\u0000b"}),
        names_field(422, ["query", "q"]),
    )
    yield Attack(
        "a NUL in the user search query",
        lambda c: c.get("/api/identity/users?q=%00"),
        names_field(422, ["query", "q"]),
    )
    yield Attack(
        "a NUL in a workflow key in the path",
        lambda c: c.get("/api/definitions/workflows/ab%00cd"),
        refused(400, 404, 422),
    )
    yield Attack(
        "a control character in a user id in the path",
        lambda c: c.get("/api/identity/users/%00"),
        refused(400, 404, 422),
    )
    yield Attack(
        "an oversized JSON body",
        lambda c: c.post(
            "/api/tickets/tickets",
            content=json.dumps(
                {"ticket_type_key": "x", "title": "t", "ticket_data": {"blob": "x" * (3 << 20)}}
            ),
            headers={"content-type": "application/json"},
        ),
        refused(413),
    )
    yield Attack(
        "an oversized attachment",
        lambda c: c.post(
            "/api/tickets/tickets/00000000-0000-7000-8000-000000000000/attachments",
            files={"file": ("big.pdf", b"x" * (26 << 20), "application/pdf")},
        ),
        refused(413),
    )


def public_attacks() -> Iterator[Attack]:
    """Before any login: nobody's token needed."""
    yield Attack(
        "a NUL in the login email",
        lambda c: c.post(
            "/api/identity/login", json={"email": "a\u0000@example.com", "password": "whatever-1"}
        ),
        names_field(422, ["body", "email"]),
    )
    yield Attack(
        "a lone surrogate in the login password",
        lambda c: c.post(
            "/api/identity/login",
            content=b'{"email": "a@example.com", "password": "\\udfff-password"}',
            headers={"content-type": "application/json"},
        ),
        names_field(422, ["body", "password"]),
    )
    yield Attack(
        "a NUL in a sign-up company name",
        lambda c: c.post(
            "/api/identity/signup",
            json={
                "company_name": "Evil\u0000Corp",
                "email": "evil@example.com",
                "password": "Correct-Horse-Battery-9",
                "first_name": "E",
                "last_name": "Vil",
            },
        ),
        names_field(422, ["body", "company_name"]),
    )
    yield Attack(
        "control characters in a callback path",
        lambda c: c.post("/api/callbacks/%1AM%04", json={}),
        refused(400, 404),
    )


AUTHENTICATED = list(attacks())
PUBLIC = list(public_attacks())


@pytest.mark.slow
@pytest.mark.parametrize("attack", AUTHENTICATED, ids=[a.name for a in AUTHENTICATED])
def test_an_attack_by_a_company_is_refused_and_others_are_served(
    attack: Attack, attacker: Member, bystander: Member
) -> None:
    under_attack(attacker.client, attack, bystander)


@pytest.mark.slow
@pytest.mark.parametrize("attack", PUBLIC, ids=[a.name for a in PUBLIC])
def test_an_attack_before_login_is_refused_and_others_are_served(
    attack: Attack, system: RunningSystem, bystander: Member
) -> None:
    under_attack(system.client, attack, bystander)
