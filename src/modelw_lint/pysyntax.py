"""Small, cheap helpers over libcst trees for rule authors.

Names are resolved through the file's own imports with a single pass of our own (no libcst
QualifiedNameProvider: it costs several times the parse).
"""

from __future__ import annotations

import ast
from typing import Any, Iterator


from .lazy import cst
from .finding import Edit

_EMPTY: list = []


def code_of(node: cst.CSTNode) -> str:
    if not _EMPTY:
        _EMPTY.append(cst.Module(body=[]))
    return _EMPTY[0].code_for_node(node)


def dotted(node: cst.BaseExpression | cst.Attribute | cst.Name) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


class ImportMap:
    """Local name -> fully qualified name, from every import statement of a module."""

    def __init__(self, module: cst.Module):
        self.names: dict[str, str] = {}
        for node in _walk_imports(module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    full = dotted(alias.name)
                    if not full:
                        continue
                    if alias.asname is not None:
                        self.names[alias.asname.name.value] = full  # type: ignore[union-attr]
                    else:
                        top = full.split(".")[0]
                        self.names.setdefault(top, top)
            elif isinstance(node, cst.ImportFrom):
                if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                    continue
                base = dotted(node.module)
                for alias in node.names:
                    local = alias.asname.name.value if alias.asname is not None else alias.name.value  # type: ignore[union-attr]
                    self.names[local] = f"{base}.{dotted(alias.name)}"

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The qualified name an expression refers to (``os.getenv``), or None."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.names:
            full = self.names[head]
            return f"{full}.{rest}" if rest else full
        return name



def _walk_imports(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    # Imports sit in statement bodies; no need to look inside expressions.
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.SimpleStatementLine):
            for small in current.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield small
            continue
        body = getattr(current, "body", None)
        if isinstance(body, (list, tuple)):
            stack.extend(reversed(body))
        elif isinstance(body, cst.CSTNode):
            stack.append(body)
        for attr in ("orelse", "finalbody", "handlers"):
            extra = getattr(current, attr, None)
            if isinstance(extra, cst.CSTNode):
                stack.append(extra)
            elif isinstance(extra, (list, tuple)):
                stack.extend(extra)


_FIELDS: dict[type, tuple[str, ...]] = {}
_SKIP_NAMES = (
    "SimpleWhitespace", "ParenthesizedWhitespace", "TrailingWhitespace", "EmptyLine", "Newline",
    "Comment", "LeftParen", "RightParen", "Comma", "Dot",
)


def _field_names(t: type) -> tuple[str, ...]:
    names = _FIELDS.get(t)
    if names is None:
        import dataclasses

        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(t))
    return names


_WALKED: dict[type, bool] = {}


def _walked(t: type) -> bool:
    """Whether nodes of this type are walked (CST nodes that are not whitespace or punctuation).
    Cached per type: isinstance on libcst's ABCs is slow."""
    known = _WALKED.get(t)
    if known is None:
        skip = tuple(getattr(cst, name) for name in _SKIP_NAMES)
        known = _WALKED[t] = issubclass(t, cst.CSTNode) and not issubclass(t, skip)
    return known


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included), in source order, whitespace and
    punctuation skipped. Several times faster than a ``CSTVisitor`` for "find all X"."""
    stack = [node]
    walked = _WALKED
    while stack:
        current = stack.pop()
        yield current
        children = []
        for name in _field_names(type(current)):
            value = getattr(current, name)
            t = type(value)
            if t is list or t is tuple:
                for v in value:
                    vt = type(v)
                    if walked.get(vt) if vt in walked else _walked(vt):
                        children.append(v)
            elif walked.get(t) if t in walked else _walked(t):
                children.append(value)
        stack.extend(reversed(children))


def find(node: cst.CSTNode, *types: type) -> list:
    """The nodes of the given (concrete) types under ``node``, in source order."""
    wanted = set(types)
    return [n for n in walk(node) if type(n) in wanted]


NOT_LITERAL = object()


def literal(node: cst.BaseExpression | None) -> Any:
    """The Python value of a literal expression, or :data:`NOT_LITERAL`."""
    if node is None:
        return NOT_LITERAL
    if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)) and "{" in code_of(node):
        return NOT_LITERAL
    try:
        return ast.literal_eval(code_of(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NOT_LITERAL


def string_value(node: cst.BaseExpression | None) -> str | None:
    value = literal(node)
    return value if isinstance(value, str) else None


def call_args(call: cst.Call, *positional: str) -> dict[str, cst.Arg]:
    """The call's arguments by name: positional ones named after ``positional``."""
    out: dict[str, cst.Arg] = {}
    index = 0
    for arg in call.args:
        if arg.star:
            continue
        if arg.keyword is not None:
            out[arg.keyword.value] = arg
        else:
            if index < len(positional):
                out[positional[index]] = arg
            index += 1
    return out


def assigned_names(stmt: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression | None]]:
    """``NAME = value`` / ``NAME: T = value`` targets of a small statement, with the value."""
    if isinstance(stmt, cst.Assign):
        return [(t.target.value, stmt.value) for t in stmt.targets if isinstance(t.target, cst.Name)]
    if isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
        return [(stmt.target.value, stmt.value)]
    return []


def dict_items(node: cst.BaseExpression, path: tuple = ()) -> Iterator[tuple[list, cst.BaseExpression]]:
    """(key path, value node) of every literal key of nested dict literals:
    ``{"default": {"HOST": "x"}}`` gives (["default"], {...}) and (["default", "HOST"], "x")."""
    if not isinstance(node, cst.Dict):
        return
    for el in node.elements:
        if not isinstance(el, cst.DictElement):
            continue
        key = literal(el.key)
        if key is NOT_LITERAL:
            continue
        yield [*path, key], el.value
        yield from dict_items(el.value, (*path, key))


def subscript_path(node: cst.BaseExpression) -> tuple[str, list[Any]] | None:
    """``DATABASES["default"]["HOST"]`` -> ("DATABASES", ["default", "HOST"])."""
    keys: list[Any] = []
    while isinstance(node, cst.Subscript):
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = literal(node.slice[0].slice.value)
        if key is NOT_LITERAL:
            return None
        keys.insert(0, key)
        node = node.value
    if isinstance(node, cst.Name):
        return node.value, keys
    return None


def delete_statement_edit(file: Any, line: cst.SimpleStatementLine, *, only_in_block: bool = False) -> Edit | None:
    """An edit deleting a one-statement line; a block's only statement becomes ``pass``.

    None when the line holds several statements (``a = 1; b = 2``): that is left to a person.
    """
    if len(line.body) != 1:
        return None
    first, _, last, _ = file.range_of(line)
    start, end = file.line_span(first, last)
    if only_in_block:
        text = file.text[start:end]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        return Edit(file.path, start, end, f"{indent}pass{newline}")
    return Edit(file.path, start, end, "")


def replace_node_edit(file: Any, node: cst.CSTNode, new_node: cst.CSTNode) -> Edit:
    start, end = file.span_of(node)
    return Edit(file.path, start, end, code_of(new_node))
