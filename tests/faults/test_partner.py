"""The fault suites' partner stand-in: a call of the workflow is answered and recorded; any
other POST gets a 400 problem, is kept apart from the calls, and leaves the connection usable."""

from collections.abc import Iterator

import httpx
import pytest

from tests.faults.harness import Partner, PartnerCall


@pytest.fixture
def partner() -> Iterator[Partner]:
    with Partner() as stand_in:
        yield stand_in


@pytest.fixture
def client(partner: Partner) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{partner.port}", timeout=10) as http:
        yield http


class TestCallsOfTheWorkflow:
    def test_are_answered_and_recorded_with_their_key(self, partner: Partner, client: httpx.Client) -> None:
        response = client.post("/step/a", json={"n": 7, "step": "a"}, headers={"idempotency-key": "k-7-a"})
        assert (response.status_code, response.json()) == (200, {"ok": True})
        assert partner.calls == [PartnerCall(7, "a", "k-7-a")]
        assert partner.refused == []


class TestOtherRequests:
    @pytest.mark.parametrize(
        ("body", "detail"),
        [
            (b'{"step": "a"}', "The body has no integer n."),
            (b'{"n": "7", "step": "a"}', "The body has no integer n."),
            (b'{"n": true, "step": "a"}', "The body has no integer n."),
            (b'{"n": 7}', "The body has no string step."),
            (b"[7, 8]", "The body is not a JSON object."),
            (b"\xffnot json", "The body is not JSON."),
        ],
        ids=["no-n", "n-a-string", "n-a-boolean", "no-step", "an-array", "not-json"],
    )
    def test_get_a_400_problem_and_are_not_taken_for_calls(
        self, partner: Partner, client: httpx.Client, body: bytes, detail: str
    ) -> None:
        response = client.post("/step/a", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": detail,
        }
        assert partner.calls == []
        assert partner.refused == [detail]
        assert partner.keys_by_step() == {}

    def test_the_connection_serves_the_next_call_after_a_refusal(
        self, partner: Partner, client: httpx.Client
    ) -> None:
        assert client.post("/probe", json={"n": 0}).status_code == 400
        assert client.post("/step/b", json={"n": 1, "step": "b"}).status_code == 200
        assert partner.calls == [PartnerCall(1, "b", "")]
        assert partner.repeats() == 0
