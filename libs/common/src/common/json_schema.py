"""JSON Schema validation of user data against user-written schemas, with RE2 for every regex.

jsonschema matches `pattern`, `patternProperties` (and the `additionalProperties` that
depends on it) and the `regex` format with Python's backtracking `re`, so a designer's
`^(a+)+$` and a long enough field value would hold a worker for hours. The validator here
runs those keywords through RE2, which matches in linear time.
"""

import copy
import functools
from collections.abc import Iterator
from typing import Any

import re2
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend

MAX_PATTERN_LENGTH = 1000


class PatternError(ValueError):
    """A pattern RE2 cannot compile (too long, bad syntax, or a feature it has no linear
    algorithm for, such as back-references or look-around)."""


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> Any:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"longer than {MAX_PATTERN_LENGTH} characters")
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason) or "not a supported regular expression") from exc


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be used in a schema, or None when it can."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def _search(pattern: str, text: str) -> bool:
    try:
        return compile_pattern(pattern).search(text) is not None
    except PatternError:
        # A schema that slipped past the publish-time check: a value cannot be shown to
        # match it, which is what jsonschema reports for a failed match.
        return False


def _pattern(validator: Any, patrn: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _search(patrn, instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(
    validator: Any, pattern_properties: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: Any, schema: Any) -> Iterator[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    for key in instance:
        if key in properties:
            continue
        if any(_search(pattern, key) for pattern in patterns):
            continue
        yield key


def _additional_properties(validator: Any, ap: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    extras = set(_additional(instance, schema))
    if validator.is_type(ap, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], ap, path=extra)
    elif not ap and extras:
        listed = ", ".join(repr(each) for each in sorted(extras))
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {patterns}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _is_regex(instance: object) -> bool:
    if isinstance(instance, str):
        compile_pattern(instance)
    return True


def _format_checker() -> FormatChecker:
    checker: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    checker.checks("regex", raises=PatternError)(_is_regex)
    return checker


SafeValidator: type[Validator] = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    },
)
FORMAT_CHECKER = _format_checker()


def validator_for(schema: dict[str, Any], *, check_formats: bool = False) -> Validator:
    """A JSON Schema 2020-12 validator for `schema` whose regexes run in RE2."""
    return SafeValidator(schema, format_checker=FORMAT_CHECKER if check_formats else None)
