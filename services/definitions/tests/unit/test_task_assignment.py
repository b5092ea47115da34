"""A FORM task definition's `assignment` rule in a bundle."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from definitions.bundles.validation import parse_bundle

SAMPLE: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "samples" / "it_onboarding.yaml").read_text()
)
FORM, ACTION = 0, 1


@pytest.fixture
def bundle() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.type) for p in parse_bundle(document)[1].errors]


class TestAssignmentRule:
    @pytest.mark.parametrize(
        "rule",
        [
            {"strategy": "shortest_queue"},
            {"strategy": "round_robin"},
            {"strategy": "group", "group": "it-desk"},
            {"strategy": "group", "group": "it-desk", "pick": "round_robin"},
            {"strategy": "company_role", "company_role": "IT staff"},
        ],
    )
    def test_every_strategy_is_accepted_on_a_form_task(
        self, bundle: dict[str, Any], rule: dict[str, Any]
    ) -> None:
        bundle["workflow"]["tasks"][FORM]["assignment"] = rule

        parsed, findings = parse_bundle(bundle)

        assert findings.errors == []
        assert parsed is not None
        task = parsed.workflow.tasks[FORM]
        assert task.assignment is not None
        assert task.assignment.model_dump(mode="json", exclude_defaults=True) == {
            k: v for k, v in rule.items() if k != "pick" or v != "shortest_queue"
        }

    def test_an_action_task_has_nobody_to_assign(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][ACTION]["assignment"] = {"strategy": "round_robin"}

        assert errors(bundle) == [("workflow.tasks[1].assignment", "not_allowed")]

    def test_an_unknown_strategy_is_located(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][FORM]["assignment"] = {"strategy": "random"}

        assert errors(bundle) == [("workflow.tasks[0].assignment", "union_tag_invalid")]

    def test_a_group_rule_needs_a_group_key(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][FORM]["assignment"] = {"strategy": "group"}
        missing = errors(bundle)
        bundle["workflow"]["tasks"][FORM]["assignment"] = {"strategy": "group", "group": "Not A Key"}
        malformed = errors(bundle)

        assert missing == [("workflow.tasks[0].assignment.group.group", "missing")]
        assert malformed == [("workflow.tasks[0].assignment.group.group", "string_pattern_mismatch")]

    def test_a_misspelt_field_is_refused(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][FORM]["assignment"] = {"strategy": "company_role", "compnay_role": "x"}

        assert sorted(errors(bundle)) == [
            ("workflow.tasks[0].assignment.company_role.company_role", "missing"),
            ("workflow.tasks[0].assignment.company_role.compnay_role", "extra_forbidden"),
        ]
