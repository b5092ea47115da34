"""Reading a bundle document: JSON or YAML text into plain JSON values.

YAML is read with a loader that keeps what JSON can say and nothing more: no aliases (a few
lines of anchors can expand into gigabytes), no timestamps or other implicit types that JSON
cannot carry, and only string keys.
"""

import json
import math
from typing import Any

import yaml

from common.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from definitions.bundles.validation import path_of

MAX_BUNDLE_BYTES = 1024 * 1024
# Deep enough for any real schema or layout, shallow enough that every recursive walk over
# the document (validation, JSON Schema checks) stays far from Python's recursion limit.
MAX_DEPTH = 64

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


class _JsonCompatibleLoader(yaml.SafeLoader):
    def fetch_more_tokens(self) -> None:
        # Checked as the text is scanned, before anything is built: the scanner's work per
        # token grows with the nesting (10,000 nested `[` cost seconds of CPU), so a document
        # is refused as soon as it opens one level too many.
        if self.flow_level + len(self.indents) > MAX_DEPTH:
            raise BadRequest(f"The bundle is nested deeper than {MAX_DEPTH} levels.")
        super().fetch_more_tokens()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in a bundle", event.start_mark
            )
        return super().compose_node(parent, index)


# Drop the implicit resolvers JSON has no type for (timestamps become plain strings).
_JsonCompatibleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def media_kind(content_type: str | None, filename: str | None = None) -> str:
    """`json` or `yaml`, from the media type or, for an uploaded file, its name."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in JSON_TYPES or media.endswith("+json"):
        return "json"
    if media in YAML_TYPES or media.endswith("+yaml"):
        return "yaml"
    name = (filename or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    raise UnsupportedMediaType(
        "Send the bundle as application/json, application/yaml, or a multipart upload of a .json/.yaml file."
    )


def parse_document(raw: bytes, kind: str) -> Any:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise PayloadTooLarge(f"A bundle may be at most {MAX_BUNDLE_BYTES} bytes.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("The bundle is not UTF-8 text.") from exc
    try:
        document = json.loads(text) if kind == "json" else _load_yaml(text)
    except yaml.YAMLError as exc:
        raise BadRequest(f"The bundle is not valid YAML: {_yaml_problem(exc)}") from exc
    except ValueError as exc:
        raise BadRequest(f"The bundle is not valid {kind.upper()}: {exc}") from exc
    except RecursionError as exc:
        raise BadRequest("The bundle is nested too deeply.") from exc
    check_document(document)
    return document


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """The parser's complaint and where it is, in one line. PyYAML's own text names the input
    `"<unicode string>"` and repeats the position; a person editing the bundle wants neither."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return str(exc)
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "the text cannot be read"
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    context = f" ({exc.context})" if exc.problem and exc.context else ""
    return f"{where}{problem}{context}."


def check_document(document: Any) -> None:
    """Refuse documents nested too deeply or holding what JSON cannot represent."""
    if _deeper_than(document, MAX_DEPTH):
        raise BadRequest(f"The bundle is nested deeper than {MAX_DEPTH} levels.")
    problems = list(_non_json(document, []))
    if problems:
        raise ValidationProblem("The bundle holds values JSON cannot represent.", errors=problems)


def _load_yaml(text: str) -> Any:
    # The loader is a SafeLoader with fewer resolvers: it builds plain values only.
    return yaml.load(text, Loader=_JsonCompatibleLoader)  # noqa: S506


def _deeper_than(document: Any, limit: int) -> bool:
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


def _non_json(value: Any, loc: list[str]) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield _problem(loc, f"key {key!r} is not a string", "non_string_key")
                continue
            yield from _non_json(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_json(item, [*loc, str(index)])
    elif isinstance(value, float) and not math.isfinite(value):
        yield _problem(loc, "not a finite number", "non_finite_number")
    elif value is not None and not isinstance(value, str | int | float | bool):
        yield _problem(loc, f"a {type(value).__name__} is not a JSON value", "non_json_value")


def _problem(loc: list[str], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": loc, "path": path_of(loc), "msg": msg, "type": kind}
