"""Checking a custom layout: React component source (TSX or JSX) a designer wrote.

A layout is either declarative (`{"sections": [...]}`) or a component
(`{"source": "...", "language": "tsx" | "jsx"}`). A component is parsed here with tree-sitter's
TypeScript/TSX and JavaScript grammars (maintained, the parsers editors use), which is enough
to refuse what cannot compile, with its line and column: a syntax error, a missing default
export, or an import of anything but the two modules the sandbox provides. The browser
compiles the very same source with sucrase when it shows the layout, so no compiled artefact is
stored or trusted.
"""

from dataclasses import dataclass
from typing import Any

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

LANGUAGES = ("tsx", "jsx")
# What a layout may import: React itself and the component kit; the sandbox has nothing else.
ALLOWED_IMPORTS = frozenset({"react", "@ticketflower/layout"})
COMPONENT_KEYS = frozenset({"source", "language"})
MAX_SOURCE_BYTES = 48 * 1024

_GRAMMARS = {
    "tsx": Language(tree_sitter_typescript.language_tsx()),
    "jsx": Language(tree_sitter_javascript.language()),
}


@dataclass(frozen=True)
class SourceProblem:
    msg: str
    kind: str
    line: int | None = None
    column: int | None = None


def is_component(layout: dict[str, Any]) -> bool:
    return "source" in layout


def check_component(layout: dict[str, Any]) -> list[SourceProblem]:
    """Every problem that would stop the component from compiling or loading."""
    unknown = sorted(set(layout) - COMPONENT_KEYS)
    if unknown:
        return [
            SourceProblem(
                f"unknown key(s) {', '.join(unknown)}; a component layout has source and language",
                "unknown_key",
            )
        ]
    source = layout.get("source")
    language = layout.get("language", "tsx")
    if language not in LANGUAGES:
        return [SourceProblem("language must be tsx or jsx", "invalid_language")]
    if not isinstance(source, str) or not source.strip():
        return [SourceProblem("source must be the component's code", "invalid_source")]
    encoded = source.encode("utf-8")
    if len(encoded) > MAX_SOURCE_BYTES:
        return [SourceProblem(f"source is larger than {MAX_SOURCE_BYTES} bytes", "too_large")]
    root = Parser(_GRAMMARS[language]).parse(encoded).root_node
    problems = _syntax_problems(root, encoded)
    if problems:
        return problems
    problems.extend(_import_problems(root, encoded))
    if not any(_is_default_export(node) for node in root.children):
        problems.append(
            SourceProblem(
                "no default export: the layout must `export default` its component", "no_default_export"
            )
        )
    return problems


def _position(node: Node, source: bytes) -> tuple[int, int]:
    """1-based line and column, the column counted in characters as an editor shows it."""
    row, byte_column = node.start_point
    line_start = node.start_byte - byte_column
    column = len(source[line_start : node.start_byte].decode("utf-8", errors="replace"))
    return row + 1, column + 1


def _syntax_problems(root: Node, source: bytes) -> list[SourceProblem]:
    if not root.has_error:
        return []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            line, column = _position(node, source)
            return [
                SourceProblem(
                    f"syntax error at line {line}, column {column}: expected {node.type!r}",
                    "syntax_error",
                    line,
                    column,
                )
            ]
        if node.is_error:
            line, column = _position(node, source)
            # tree-sitter marks the construct it could not complete, which starts at or before
            # the offending token: the message names where that construct starts.
            near = source[node.start_byte : node.start_byte + 40].decode("utf-8", errors="replace")
            near = near.strip().splitlines()[0] if near.strip() else near
            return [
                SourceProblem(
                    f"syntax error in the code starting at line {line}, column {column} ({near!r})",
                    "syntax_error",
                    line,
                    column,
                )
            ]
        # Depth first, left to right: the first error in the text is the one reported.
        stack.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
    line, column = _position(root, source)
    return [SourceProblem("syntax error", "syntax_error", line, column)]


def _import_problems(root: Node, source: bytes) -> list[SourceProblem]:
    problems = []
    for node in root.children:
        if node.type not in ("import_statement", "export_statement"):
            continue
        target = node.child_by_field_name("source")
        if target is None:
            continue
        name = source[target.start_byte + 1 : target.end_byte - 1].decode("utf-8", errors="replace")
        if name not in ALLOWED_IMPORTS:
            line, column = _position(target, source)
            allowed = " or ".join(sorted(ALLOWED_IMPORTS))
            problems.append(
                SourceProblem(
                    f"line {line}, column {column}: cannot import {name!r}; a layout may import {allowed}",
                    "forbidden_import",
                    line,
                    column,
                )
            )
    return problems


def _is_default_export(node: Node) -> bool:
    if node.type != "export_statement":
        return False
    if any(child.type == "default" for child in node.children):
        return True
    # `export { Layout as default }`
    clause = next((child for child in node.children if child.type == "export_clause"), None)
    if clause is None:
        return False
    for specifier in clause.children:
        alias = specifier.child_by_field_name("alias") if specifier.type == "export_specifier" else None
        if alias is not None and alias.text == b"default":
            return True
    return False
