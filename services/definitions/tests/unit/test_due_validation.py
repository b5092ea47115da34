"""The due-date rules of a bundle: `due_in`, `escalation` and a ticket type's `resolution_target`."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from definitions.bundles.validation import parse_bundle

SAMPLE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "samples" / "it_onboarding.yaml").read_text()
)


@pytest.fixture
def bundle() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def errors(document: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.type for p in parse_bundle(document)[1].errors}


def form_task(bundle: dict[str, Any]) -> dict[str, Any]:
    task: dict[str, Any] = bundle["workflow"]["tasks"][0]
    assert task["task_type"] == "FORM"
    return task


def action_task(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in bundle["workflow"]["tasks"] if t["task_type"] != "FORM")


class TestDueIn:
    def test_the_sample_sets_a_due_time_an_escalation_and_a_resolution_target(
        self, bundle: dict[str, Any]
    ) -> None:
        assert form_task(bundle)["due_in"] == "P1D"
        assert bundle["ticket_types"][0]["resolution_target"] == "P5D"
        assert errors(bundle) == {}

    @pytest.mark.parametrize(
        "due_in", ["PT4H", "P2D", "P1W", "P1DT12H", 'priority = "high" ? "PT4H" : "P2D"']
    )
    def test_durations_and_expressions_pass(self, bundle: dict[str, Any], due_in: str) -> None:
        form_task(bundle)["due_in"] = due_in
        assert errors(bundle) == {}

    @pytest.mark.parametrize(
        ("due_in", "kind"),
        [
            ("P1M", "invalid_duration"),
            ("PT0S", "invalid_duration"),
            ("P1DT", "invalid_duration"),
            ("(", "invalid_expression"),
        ],
    )
    def test_a_bad_duration_or_expression_is_located(
        self, bundle: dict[str, Any], due_in: str, kind: str
    ) -> None:
        form_task(bundle)["due_in"] = due_in
        assert errors(bundle) == {"workflow.tasks[0].due_in": kind}

    def test_an_action_task_has_no_due_time(self, bundle: dict[str, Any]) -> None:
        task = action_task(bundle)
        task["due_in"] = "PT1H"
        index = bundle["workflow"]["tasks"].index(task)
        assert errors(bundle) == {f"workflow.tasks[{index}].due_in": "not_allowed"}


class TestEscalation:
    def test_an_escalation_needs_a_due_time(self, bundle: dict[str, Any]) -> None:
        del form_task(bundle)["due_in"]
        assert errors(bundle) == {"workflow.tasks[0].escalation": "missing"}

    def test_reassign_and_a_group_together_are_refused(self, bundle: dict[str, Any]) -> None:
        form_task(bundle)["escalation"] = {"reassign": True, "to_group": "seniors"}
        assert errors(bundle) == {"workflow.tasks[0].escalation.reassign": "conflict"}

    def test_a_blank_group_and_unknown_keys_are_refused(self, bundle: dict[str, Any]) -> None:
        form_task(bundle)["escalation"] = {"to_group": " "}
        assert errors(bundle) == {"workflow.tasks[0].escalation.to_group": "invalid"}
        form_task(bundle)["escalation"] = {"notfy": True}
        assert "workflow.tasks[0].escalation.notfy" in errors(bundle)


class TestResolutionTarget:
    @pytest.mark.parametrize("target", ["P1Y", "three days", "-P1D"])
    def test_a_bad_target_is_located(self, bundle: dict[str, Any], target: str) -> None:
        bundle["ticket_types"][0]["resolution_target"] = target
        assert errors(bundle) == {"ticket_types[0].resolution_target": "invalid_duration"}
