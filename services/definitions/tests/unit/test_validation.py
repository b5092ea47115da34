"""Each validation rule of a bundle, on the sample bundle with one thing broken."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from definitions.bundles.validation import Findings, parse_bundle, path_of

SAMPLE = yaml.safe_load((Path(__file__).resolve().parents[2] / "samples" / "it_onboarding.yaml").read_text())


@pytest.fixture
def bundle() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def check(document: dict[str, Any]) -> Findings:
    return parse_bundle(document)[1]


def error_paths(document: dict[str, Any]) -> list[str]:
    return [p.path for p in check(document).errors]


def warning_kinds(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.type) for p in check(document).warnings]


class TestPathOf:
    def test_indexes_in_brackets(self) -> None:
        assert path_of(["workflow", "tasks", 2, "output_schema"]) == "workflow.tasks[2].output_schema"
        assert path_of(["ticket_types", "0", "fields"]) == "ticket_types[0].fields"


class TestSample:
    def test_sample_is_valid_without_warnings(self, bundle: dict[str, Any]) -> None:
        findings = check(bundle)

        assert findings.errors == []
        assert findings.warnings == []


class TestShape:
    def test_unknown_keys_and_wrong_types_are_listed(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["condtion"] = "x"
        bundle["workflow"]["tasks"][1]["task_type"] = "SCRIPT"

        assert set(error_paths(bundle)) == {"workflow.tasks[0].condtion", "workflow.tasks[1].task_type"}

    def test_not_an_object(self) -> None:
        assert error_paths([1, 2]) == ["(bundle)"]  # type: ignore[arg-type]


class TestJsonSchemas:
    def test_malformed_schema_is_located_inside_the_schema(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["output_schema"]["required"] = "approved"

        assert error_paths(bundle) == ["workflow.tasks[0].output_schema.required"]

    def test_remote_ref_is_refused(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][1]["output_schema"]["properties"]["email"] = {
            "$ref": "https://evil/x.json"
        }

        assert error_paths(bundle) == ["workflow.tasks[1].output_schema.properties.email.$ref"]

    def test_local_ref_is_fine(self, bundle: dict[str, Any]) -> None:
        fields = bundle["ticket_types"][0]["fields"]
        fields["$defs"] = {"name": {"type": "string"}}
        fields["properties"]["employee_name"] = {"$ref": "#/$defs/name"}

        assert error_paths(bundle) == []

    def test_patterns_must_compile_and_be_bounded(self, bundle: dict[str, Any]) -> None:
        props = bundle["ticket_types"][0]["fields"]["properties"]
        props["employee_name"]["pattern"] = "(unclosed"
        props["department"]["pattern"] = "a" * 600

        assert set(error_paths(bundle)) == {
            "ticket_types[0].fields.properties.employee_name.pattern",
            "ticket_types[0].fields.properties.department.pattern",
        }

    def test_pattern_inside_enum_data_is_not_a_regex(self, bundle: dict[str, Any]) -> None:
        bundle["ticket_types"][0]["fields"]["properties"]["x"] = {"enum": [{"pattern": "("}]}

        assert error_paths(bundle) == []

    def test_unknown_dialect(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["input_schema"] = {"$schema": "https://example.com/mine"}

        assert error_paths(bundle) == ["workflow.tasks[0].input_schema.$schema"]

    def test_ticket_fields_must_describe_an_object(self, bundle: dict[str, Any]) -> None:
        bundle["ticket_types"][0]["fields"] = {"type": "string"}

        assert error_paths(bundle) == ["ticket_types[0].fields.type"]


class TestTaskTypes:
    def test_action_needs_url_and_timeout(self, bundle: dict[str, Any]) -> None:
        task = bundle["workflow"]["tasks"][1]
        task["action_url"] = None
        task["timeout_seconds"] = None

        assert error_paths(bundle) == ["workflow.tasks[1].action_url", "workflow.tasks[1].timeout_seconds"]

    def test_action_url_must_be_http(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][2]["action_url"] = "file:///etc/passwd"

        assert error_paths(bundle) == ["workflow.tasks[2].action_url"]

    def test_sync_timeout_is_bounded(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][1]["timeout_seconds"] = 3600

        assert error_paths(bundle) == ["workflow.tasks[1].timeout_seconds"]

    def test_form_calls_no_url(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["action_url"] = "http://x.test/"

        assert error_paths(bundle) == ["workflow.tasks[0].action_url"]

    def test_retries_are_bounded(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][1]["max_retries"] = -1

        assert error_paths(bundle) == ["workflow.tasks[1].max_retries"]


class TestExpressions:
    def test_condition_and_transforms_must_compile(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"][0]["condition"] = "approved = = true"
        bundle["workflow"]["tasks"][1]["input_transform"] = '{"a": '

        assert set(error_paths(bundle)) == {
            "workflow.transitions[0].condition",
            "workflow.tasks[1].input_transform",
        }


class TestGraph:
    def test_transition_ends_must_be_tasks_of_the_workflow(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"][0]["from"] = "ghost"
        bundle["workflow"]["transitions"][1]["to"] = "phantom"

        paths = error_paths(bundle)

        assert "workflow.transitions[0].from" in paths
        assert "workflow.transitions[1].to" in paths

    def test_start_task_must_exist(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["start_task"] = "nope"

        assert error_paths(bundle) == ["workflow.start_task"]

    def test_duplicate_task_keys(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][4]["key"] = "send_welcome"

        assert "workflow.tasks[4].key" in error_paths(bundle)

    def test_unreachable_task(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"] = [
            t for t in bundle["workflow"]["transitions"] if t["to"] != "notify_rejection"
        ]

        assert error_paths(bundle) == ["workflow.tasks[4]"]

    def test_cycle_without_exit_is_an_error(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"].append({"from": "send_welcome", "to": "order_laptop"})
        bundle["workflow"]["tasks"][3]["outcome"] = None  # no longer an end task
        bundle["workflow"]["transitions"] = [
            t
            for t in bundle["workflow"]["transitions"]
            if not (t["from"] == "create_account" and t["to"] == "send_welcome")
        ]

        findings = check(bundle)

        assert [(p.path, p.type) for p in findings.errors] == [("workflow.tasks[2]", "cycle_without_exit")]

    def test_cycle_with_a_way_out_is_fine(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"].insert(
            0,
            {
                "from": "review_request",
                "to": "review_request",
                "condition": "laptop = 'unknown'",
                "priority": 20,
            },
        )

        assert error_paths(bundle) == []


class TestLayouts:
    def test_layout_size_is_limited(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["edit_layout"] = {"blob": "x" * 70_000}

        assert error_paths(bundle) == ["workflow.tasks[0].edit_layout"]

    def test_layout_is_kept_as_given(self, bundle: dict[str, Any]) -> None:
        layout = {"anything": [1, {"goes": True}]}
        bundle["workflow"]["tasks"][0]["display_layout"] = layout

        parsed, findings = parse_bundle(bundle)

        assert findings.errors == []
        assert parsed is not None
        assert parsed.workflow.tasks[0].display_layout == layout


def component(source: str, **extra: Any) -> dict[str, Any]:
    return {"language": "tsx", "source": source, **extra}


GOOD_LAYOUT = """import { Field, Section } from '@ticketflower/layout';

export default function Review(): JSX.Element {
  return <Section title="Decision"><Field name="approved" /></Section>;
}
"""


class TestComponentLayouts:
    def test_the_samples_components_are_valid(self, bundle: dict[str, Any]) -> None:
        assert layouts_in(bundle) == ["workflow.display_layout", "workflow.tasks[0].edit_layout"]
        assert check(bundle).errors == []

    def test_tsx_with_types_and_an_aliased_default_export_is_valid(self, bundle: dict[str, Any]) -> None:
        source = (
            "type P = { value: Record<string, unknown> };\nconst L = (p: P) => <b>{String(p.value.a)}</b>;\n"
        )
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(source + "export { L as default };\n")
        bundle["ticket_types"][0]["display_layout"] = component(GOOD_LAYOUT)

        assert check(bundle).errors == []

    def test_syntax_error_is_a_problem_with_its_line_and_column(self, bundle: dict[str, Any]) -> None:
        source = "export default function L() {\n  const x = ;\n  return <div/>;\n}\n"
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(source)
        bundle["workflow"]["tasks"][1]["timeout_seconds"] = 0  # listed with the bundle's other problems

        errors = check(bundle).errors

        assert [(e.path, e.type) for e in errors] == [
            ("workflow.tasks[0].edit_layout.source", "layout_syntax_error"),
            ("workflow.tasks[1].timeout_seconds", "out_of_range"),
        ]
        assert (errors[0].line, errors[0].column) == (2, 11)
        assert "line 2, column 11" in errors[0].msg

    def test_unclosed_jsx_element_is_a_syntax_error(self, bundle: dict[str, Any]) -> None:
        bundle["ticket_types"][0]["edit_layout"] = component(
            "export default function L() {\n  return <div><span></div>;\n}\n"
        )

        (error,) = check(bundle).errors
        assert (error.path, error.type, error.line) == (
            "ticket_types[0].edit_layout.source",
            "layout_syntax_error",
            2,
        )

    def test_type_annotations_are_refused_in_jsx(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["display_layout"] = component(
            "export default function L(p: { a: string }) {\n  return <b/>;\n}\n", language="jsx"
        )

        (error,) = check(bundle).errors
        assert (error.type, error.line) == ("layout_syntax_error", 1)

    def test_default_export_is_required(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["display_layout"] = component("export function L() { return <b/>; }\n")

        (error,) = check(bundle).errors
        assert (error.path, error.type) == (
            "workflow.tasks[0].display_layout.source",
            "layout_no_default_export",
        )

    def test_only_react_and_the_kit_may_be_imported(self, bundle: dict[str, Any]) -> None:
        source = "import React from 'react';\nimport axios from 'axios';\nexport default () => <b/>;\n"
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(source)

        (error,) = check(bundle).errors
        assert (error.type, error.line, error.column) == ("layout_forbidden_import", 2, 19)
        assert "'axios'" in error.msg

    def test_re_export_from_elsewhere_is_refused(self, bundle: dict[str, Any]) -> None:
        source = "export { x } from 'https://evil.example/x.js';\nexport default () => <b/>;\n"
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(source)

        assert [e.type for e in check(bundle).errors] == ["layout_forbidden_import"]

    def test_source_size_is_bounded(self, bundle: dict[str, Any]) -> None:
        padding = "// " + "x" * 60 + "\n"
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(GOOD_LAYOUT + padding * 800)

        (error,) = check(bundle).errors
        assert error.type in ("too_large", "layout_too_large")

    def test_unknown_keys_and_languages_are_refused(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(GOOD_LAYOUT, compiled="var x")
        bundle["workflow"]["tasks"][0]["display_layout"] = component(GOOD_LAYOUT, language="vue")
        bundle["ticket_types"][0]["edit_layout"] = {"source": 42}

        assert [(e.path, e.type) for e in check(bundle).errors] == [
            ("workflow.tasks[0].edit_layout", "layout_unknown_key"),
            ("workflow.tasks[0].display_layout", "layout_invalid_language"),
            ("ticket_types[0].edit_layout", "layout_invalid_source"),
        ]

    def test_line_and_column_count_characters_not_bytes(self, bundle: dict[str, Any]) -> None:
        source = "const é = 'ü';\nexport default () => <b>{é}</b>;\nimport x from 'ü-lib';\n"
        bundle["workflow"]["tasks"][0]["edit_layout"] = component(source)

        (error,) = check(bundle).errors
        assert (error.line, error.column) == (3, 15)


def layouts_in(bundle: dict[str, Any]) -> list[str]:
    found = []
    if (bundle["workflow"].get("display_layout") or {}).get("source"):
        found.append("workflow.display_layout")
    for index, task in enumerate(bundle["workflow"]["tasks"]):
        for name in ("edit_layout", "display_layout"):
            if (task.get(name) or {}).get("source"):
                found.append(f"workflow.tasks[{index}].{name}")
    return found


class TestTicketTypes:
    def test_prefix_format_and_duplicates(self, bundle: dict[str, Any]) -> None:
        second = copy.deepcopy(bundle["ticket_types"][0])
        second["key"] = "it_onboarding_2"
        bundle["ticket_types"].append(second)
        third = copy.deepcopy(second)
        third["key"] = "it_onboarding_3"
        third["prefix"] = "it-1"
        bundle["ticket_types"].append(third)

        assert error_paths(bundle) == ["ticket_types[1].prefix", "ticket_types[2].prefix"]

    def test_key_format(self, bundle: dict[str, Any]) -> None:
        bundle["ticket_types"][0]["key"] = "IT Onboarding"

        assert error_paths(bundle) == ["ticket_types[0].key"]


class TestWarnings:
    def test_condition_reading_an_undeclared_field(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"][2]["condition"] = 'laptop_kind != "none"'

        assert warning_kinds(bundle) == [("workflow.transitions[2].condition", "undeclared_field")]
        assert error_paths(bundle) == []

    def test_field_declared_only_by_a_later_task_is_undeclared(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["tasks"][1]["input_transform"] = '{"serial": laptop_serial}'

        assert warning_kinds(bundle) == [("workflow.tasks[1].input_transform", "undeclared_field")]

    def test_no_always_true_transition_out_of_a_task(self, bundle: dict[str, Any]) -> None:
        bundle["workflow"]["transitions"][1]["condition"] = "approved = false"

        assert warning_kinds(bundle) == [("workflow.tasks[0]", "possible_incident")]
