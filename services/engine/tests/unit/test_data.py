"""Task output: validation and merge into workflow data."""

from engine.tasks.data import merge, output_problems

SCHEMA = {
    "type": "object",
    "required": ["approved", "comment"],
    "properties": {"approved": {"type": "boolean"}, "comment": {"type": "string"}},
}


class TestOutputProblems:
    def test_every_problem_is_listed_with_its_location(self) -> None:
        problems = output_problems(SCHEMA, {"approved": "yes"}, ("body", "output"))
        locs = sorted(tuple(p["loc"]) for p in problems)
        assert locs == [("body", "output"), ("body", "output", "approved")]
        assert any("comment" in p["msg"] for p in problems)

    def test_valid_output_has_no_problem(self) -> None:
        assert output_problems(SCHEMA, {"approved": True, "comment": "ok"}, ("output",)) == []

    def test_output_must_be_an_object_even_without_a_schema(self) -> None:
        assert output_problems({}, [1, 2], ("output",))[0]["msg"] == "output must be an object"


class TestMerge:
    def test_objects_merge_key_by_key_and_scalars_replace(self) -> None:
        data = {"a": 1, "nested": {"x": 1, "y": 2}, "list": [1]}
        merged = merge(data, {"a": 2, "nested": {"y": 3, "z": 4}, "list": [2]})
        assert merged == {"a": 2, "nested": {"x": 1, "y": 3, "z": 4}, "list": [2]}
        assert data == {"a": 1, "nested": {"x": 1, "y": 2}, "list": [1]}
