"""Outcomes in a bundle: where they may be set, what they must hold, and how they round-trip."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from definitions.bundles.validation import Findings, parse_bundle

SAMPLE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "samples" / "it_onboarding.yaml").read_text()
)


@pytest.fixture
def bundle() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def check(document: dict[str, Any]) -> Findings:
    return parse_bundle(document)[1]


def errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.type) for p in check(document).errors]


def warnings(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.type) for p in check(document).warnings]


def task_index(document: dict[str, Any], key: str) -> int:
    tasks: list[dict[str, Any]] = document["workflow"]["tasks"]
    return next(i for i, t in enumerate(tasks) if t["key"] == key)


def transition_index(document: dict[str, Any], source: str, target: str) -> int:
    transitions: list[dict[str, Any]] = document["workflow"]["transitions"]
    return next(i for i, t in enumerate(transitions) if t["from"] == source and t["to"] == target)


class TestSampleOutcomes:
    def test_the_sample_ends_approved_at_a_task_and_rejected_through_a_transition(
        self, bundle: dict[str, Any]
    ) -> None:
        parsed, findings = parse_bundle(bundle)

        assert parsed is not None
        assert findings.errors == []
        assert findings.warnings == []
        welcome = next(t for t in parsed.workflow.tasks if t.key == "send_welcome")
        rejected = next(t for t in parsed.workflow.transitions if t.to_task == "notify_rejection")
        assert welcome.outcome is not None
        assert welcome.outcome.key == "approved"
        assert rejected.outcome is not None
        assert rejected.outcome.key == "rejected"
        assert rejected.outcome.message is not None
        assert "comment" in rejected.outcome.message


class TestWhereOutcomesGo:
    def test_a_task_that_transitions_leave_cannot_set_an_outcome(self, bundle: dict[str, Any]) -> None:
        index = task_index(bundle, "review_request")
        bundle["workflow"]["tasks"][index]["outcome"] = {"key": "reviewed", "label": "Reviewed"}

        assert errors(bundle) == [(f"workflow.tasks[{index}].outcome", "outcome_not_at_end")]

    def test_a_transition_into_a_task_that_is_left_cannot_set_an_outcome(
        self, bundle: dict[str, Any]
    ) -> None:
        index = transition_index(bundle, "review_request", "create_account")
        bundle["workflow"]["transitions"][index]["outcome"] = {"key": "approved", "label": "Approved"}

        assert errors(bundle) == [(f"workflow.transitions[{index}].outcome", "outcome_not_at_end")]

    def test_an_end_without_an_outcome_is_a_warning_once_others_name_one(
        self, bundle: dict[str, Any]
    ) -> None:
        index = task_index(bundle, "send_welcome")
        del bundle["workflow"]["tasks"][index]["outcome"]

        assert errors(bundle) == []
        assert warnings(bundle) == [(f"workflow.tasks[{index}]", "no_outcome")]

    def test_a_workflow_without_any_outcome_is_fine(self, bundle: dict[str, Any]) -> None:
        del bundle["workflow"]["tasks"][task_index(bundle, "send_welcome")]["outcome"]
        del bundle["workflow"]["transitions"][transition_index(bundle, "review_request", "notify_rejection")][
            "outcome"
        ]

        assert errors(bundle) == []
        assert warnings(bundle) == []


class TestWhatAnOutcomeHolds:
    def test_key_label_and_message_are_checked(self, bundle: dict[str, Any]) -> None:
        index = task_index(bundle, "send_welcome")
        bundle["workflow"]["tasks"][index]["outcome"] = {
            "key": "Not A Key",
            "label": "  ",
            "message": '"unclosed & comment',
        }

        loc = f"workflow.tasks[{index}].outcome"
        assert sorted(errors(bundle)) == [
            (f"{loc}.key", "invalid_key"),
            (f"{loc}.label", "blank"),
            (f"{loc}.message", "invalid_expression"),
        ]

    def test_missing_label_and_unknown_keys_are_refused(self, bundle: dict[str, Any]) -> None:
        index = task_index(bundle, "send_welcome")
        bundle["workflow"]["tasks"][index]["outcome"] = {"key": "approved", "colour": "green"}

        loc = f"workflow.tasks[{index}].outcome"
        assert sorted(errors(bundle)) == [(f"{loc}.colour", "extra_forbidden"), (f"{loc}.label", "missing")]

    def test_a_message_reading_an_undeclared_field_is_a_warning(self, bundle: dict[str, Any]) -> None:
        index = transition_index(bundle, "review_request", "notify_rejection")
        bundle["workflow"]["transitions"][index]["outcome"]["message"] = '"Refused: " & reason_text'

        assert errors(bundle) == []
        assert warnings(bundle) == [(f"workflow.transitions[{index}].outcome.message", "undeclared_field")]
