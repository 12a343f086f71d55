"""Small helpers over Python's own ``ast`` for rule authors: names resolved through imports,
literal values, call arguments, and the edits fixes are made of.

Rules read Python with ``ast`` (CPython's parser: about ten times faster than libcst, and its
nodes carry their positions); a fix is a text edit computed from those positions, so nothing
has to be re-parsed to know where a node is. Get a file's tree with ``file.tree`` and a node's
place with ``file.range_of(node)`` / ``file.span_of(node)``.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator

from modelw_lint.core.finding import Edit

NOT_LITERAL = object()


def dotted(node: ast.AST | None) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def module_package(module_name: str | None, is_package: bool) -> str | None:
    """The package relative imports start from: the module's parent, or itself for ``__init__``."""
    if module_name is None:
        return None
    return module_name if is_package else module_name.rpartition(".")[0]


def absolute_module(package: str | None, level: int, module: str | None) -> str | None:
    """The absolute name of ``from <dots><module> import …`` in ``package`` (None: unknown)."""
    if level == 0:
        return module
    if package is None:
        return None
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


class ImportMap:
    """Local name -> qualified name, from every import statement of a module (anywhere in it).

    ``package`` is the module's package, for relative imports (``from .storage import X`` in
    ``acme.django.settings`` binds ``X`` to ``acme.django.storage.X``); without it relative
    imports are skipped. ``star`` lists the modules imported with ``*``.
    """

    def __init__(self, tree: ast.AST, package: str | None = None):
        self.names: dict[str, str] = {}
        self.star: list[str] = []
        for node in walk_statements(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.names.setdefault(top, top)
            elif isinstance(node, ast.ImportFrom):
                base = absolute_module(package, node.level or 0, node.module)
                if base is None:
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        self.star.append(base)
                    else:
                        self.names[alias.asname or alias.name] = f"{base}.{alias.name}"

    def resolve(self, node: ast.AST | None) -> str | None:
        """The qualified name an expression refers to (``os.getenv``), or None."""
        name = dotted(node)
        if name is None:
            return None
        return self.qualify(name)

    def qualify(self, name: str) -> str:
        """``name`` (``storage.S3`` as written in the module) qualified through the imports."""
        head, _, rest = name.partition(".")
        if head in self.names:
            full = self.names[head]
            return f"{full}.{rest}" if rest else full
        return name


def walk_statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement, nested ones included (function and class bodies too), in source order."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        children = []
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(node, field, None)
            if isinstance(value, list):
                children.extend(value)
        stack.extend(reversed(children))


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``node`` (itself included), depth first, in source order."""
    stack = [node]
    children = ast.iter_child_nodes
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def find(node: ast.AST, *types: type) -> list[Any]:
    """The nodes of the given types under ``node``, in source order."""
    return [n for n in walk(node) if isinstance(n, types)]


def literal(node: ast.AST | None) -> Any:
    """The Python value of a literal expression, or :data:`NOT_LITERAL`."""
    if node is None:
        return NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_LITERAL


def string_value(node: ast.AST | None) -> str | None:
    value = literal(node)
    return value if isinstance(value, str) else None


def string_prefix(node: ast.AST | None) -> str | None:
    """The literal start of a string, an f-string or a concatenation (``f"amqp://{host}"``)."""
    value = string_value(node)
    if value is not None:
        return value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return string_prefix(node.left)
    return None


def call_args(call: ast.Call, *positional: str) -> dict[str, ast.expr]:
    """The call's arguments by name: positional ones named after ``positional``."""
    out: dict[str, ast.expr] = {}
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            break
        if index < len(positional):
            out[positional[index]] = arg
    for kw in call.keywords:
        if kw.arg is not None:
            out[kw.arg] = kw.value
    return out


def assigned_names(stmt: ast.stmt) -> list[tuple[str, ast.expr | None]]:
    """``NAME = value`` / ``NAME: T = value`` / ``A = B = value`` targets, with the value."""
    if isinstance(stmt, ast.Assign):
        return [(t.id, stmt.value) for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [(stmt.target.id, stmt.value)]
    return []


def dict_items(node: ast.AST, path: tuple[Any, ...] = ()) -> Iterator[tuple[list[Any], ast.expr]]:
    """(key path, value node) of every literal key of nested dict literals:
    ``{"default": {"HOST": "x"}}`` gives (["default"], {...}) and (["default", "HOST"], "x")."""
    if not isinstance(node, ast.Dict):
        return
    for key_node, value in zip(node.keys, node.values):
        key = literal(key_node)
        if key is NOT_LITERAL:
            continue
        yield [*path, key], value
        yield from dict_items(value, (*path, key))


def subscript_path(node: ast.AST) -> tuple[str, list[Any]] | None:
    """``DATABASES["default"]["HOST"]`` -> ("DATABASES", ["default", "HOST"])."""
    keys: list[Any] = []
    while isinstance(node, ast.Subscript):
        key = literal(node.slice)
        if key is NOT_LITERAL:
            return None
        keys.insert(0, key)
        node = node.value
    if isinstance(node, ast.Name):
        return node.id, keys
    return None


# -- edits -------------------------------------------------------------------------------------


def statement_lines(file: Any, stmt: ast.stmt) -> tuple[int, int]:
    """The first and last line of a statement, decorators included."""
    first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
    return first, stmt.end_lineno or stmt.lineno


def alone_on_its_lines(file: Any, stmt: ast.stmt) -> bool:
    """Whether nothing but the statement (and a comment) sits on its lines: no ``a = 1; b = 2``."""
    first, last = statement_lines(file, stmt)
    start, end = file.span_of(stmt)
    line_start, line_end = file.line_span(first, last)
    before = file.text[line_start:start]
    after = file.text[end:line_end]
    return not before.strip() and (not after.strip() or after.strip().startswith("#"))


def delete_statement_edit(file: Any, stmt: ast.stmt, siblings: list[ast.stmt] | None = None) -> Edit | None:
    """An edit deleting a statement with its whole lines; the only statement of a block becomes
    ``pass``. None when another statement shares its lines (``a = 1; b = 2``)."""
    if not alone_on_its_lines(file, stmt):
        return None
    first, last = statement_lines(file, stmt)
    start, end = file.line_span(first, last)
    if siblings is not None and len(siblings) == 1:
        text = file.text[start:end]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        newline = "\r\n" if text.endswith("\r\n") else ("\r" if text.endswith("\r") else "\n")
        return Edit(file.path, start, end, f"{indent}pass{newline}")
    return Edit(file.path, start, end, "")


def drop_argument_edit(file: Any, call: ast.Call, arg: ast.AST) -> Edit | None:
    """An edit removing one argument (a keyword, or the value of one) from a call, with the
    comma that separates it from its neighbour. None for a positional argument that another
    positional one follows (it would shift into its place)."""
    items: list[ast.expr | ast.keyword] = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    target: ast.expr | ast.keyword | None = next((k for k in call.keywords if k is arg or k.value is arg), None)
    if target is None:
        if not isinstance(arg, ast.expr):
            return None
        if arg not in call.args or call.args.index(arg) != len(call.args) - 1:
            return None
        target = arg
    index = items.index(target)
    start, end = file.span_of(target)
    if index + 1 < len(items):
        end = file.span_of(items[index + 1])[0]
    elif index > 0:
        start = file.span_of(items[index - 1])[1]
    return Edit(file.path, start, end, "")


def replace_node_edit(file: Any, node: ast.AST, replacement: str) -> Edit:
    start, end = file.span_of(node)
    return Edit(file.path, start, end, replacement)


def source_of(file: Any, node: ast.AST) -> str:
    """The exact text of a node in its file."""
    start, end = file.span_of(node)
    return str(file.text[start:end])


def py_literal(value: Any) -> str:
    """Python source for a plain value (strings with double quotes, as the template writes)."""
    import json

    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)
