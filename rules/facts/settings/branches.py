"""Which statements of a settings module production runs: ``if`` conditions classified
(development, tests, production, or a condition), and every statement with where it sits
(before, in or after the preset block) and the branch it is on."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Iterator, Protocol

from modelw_lint.lang.pyast import dotted, literal, string_value
from modelw_lint.lang.pyindex import ModuleInfo


# -- branches: which statements production runs ------------------------------------------------

_DEV_WORDS = {"local", "dev", "development", "develop", "devel", "debug"}
_TEST_WORDS = {"test", "tests", "testing", "ci"}
_PROD_WORDS = {"prod", "production", "live", "staging", "preprod"}
_DEV_FLAGS = {"DEBUG", "LOCAL", "IS_LOCAL", "DEV", "IS_DEV", "DEVELOPMENT", "IS_DEVELOPMENT", "LOCAL_DEV", "DEBUG_TOOLBAR"}
_TEST_FLAGS = {"TESTING", "IS_TESTING", "TEST", "RUNNING_TESTS", "IN_TEST"}


def classify_condition(test: ast.expr, bindings: dict[str, ast.expr] | None = None, depth: int = 0) -> str | None:
    """What an ``if`` condition selects: "dev" (``if DEBUG:``, ``if settings.DEBUG:``,
    ``if env.get("ENVIRONMENT") == "local":``, ``if LOCAL:`` where ``LOCAL`` is such a test),
    "test" (``if "test" in sys.argv:``), "prod" (``if not DEBUG:``, ``== "production"``), or
    None when it cannot be told."""
    bindings = bindings or {}
    if depth > 5:
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = classify_condition(test.operand, bindings, depth + 1)
        return {"dev": "prod", "prod": "dev"}.get(inner or "", None)
    if isinstance(test, ast.BoolOp):
        kinds = {classify_condition(v, bindings, depth + 1) for v in test.values}
        if isinstance(test.op, ast.And):
            kinds.discard(None)
            return kinds.pop() if len(kinds) == 1 else None
        return kinds.pop() if len(kinds) == 1 else None
    name = dotted(test)
    if name is not None:
        last = name.rsplit(".", 1)[-1]
        if last in _DEV_FLAGS:
            return "dev"
        if last in _TEST_FLAGS:
            return "test"
        if name in bindings and "." not in name:
            return classify_condition(bindings[name], bindings, depth + 1)
        return None
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr in ("bool", "get") and test.args:
        key = string_value(test.args[0]) or ""
        if key.upper().endswith("DEBUG") or key.upper() in _DEV_FLAGS:
            return "dev"
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            word = string_value(left)
            if word is not None and word.lower() in _TEST_WORDS and "argv" in (dotted(right) or ""):
                return "test" if isinstance(op, ast.In) else "prod"
            values = literal(right)
            if isinstance(values, (list, tuple, set)) and values and all(isinstance(v, str) for v in values):
                kind = _word_kind(values)
                if kind is not None:
                    return kind if isinstance(op, ast.In) else {"dev": "prod", "prod": "dev"}.get(kind)
            return None
        value = string_value(right) if string_value(right) is not None else string_value(left)
        if value is None:
            flag = dotted(left)
            if flag and flag.rsplit(".", 1)[-1] in _DEV_FLAGS and literal(right) is True:
                return "dev" if isinstance(op, (ast.Eq, ast.Is)) else "prod"
            return None
        kind = _word_kind([value])
        if kind is None:
            return None
        if isinstance(op, (ast.Eq, ast.Is)):
            return kind
        if isinstance(op, (ast.NotEq, ast.IsNot)):
            return {"dev": "prod", "prod": "dev", "test": None}.get(kind)
    return None


def _word_kind(values) -> str | None:
    words = {str(v).lower() for v in values}
    for kind, group in (("dev", _DEV_WORDS), ("test", _TEST_WORDS), ("prod", _PROD_WORDS)):
        if words <= group:
            return kind
    return None


def module_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Top-level ``NAME = value`` of a module (the last one), for conditions like ``if LOCAL:``."""
    out = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = stmt.value
    return out


def _branch_of_node(info: ModuleInfo | None, node: ast.stmt) -> str:
    """The branch a top-level statement sits in (for star imports met outside statements())."""
    if info is None:
        return "always"
    for st in statements(info.tree):
        if st.stmt is node:
            return st.branch
    return "always"


# -- the statements of a settings module, and the preset block ---------------------------------


@dataclass
class Statement:
    """A simple statement of a settings module, with where it sits."""

    stmt: ast.stmt
    where: str  # "module" (no preset block), "before", "block" or "after" (the preset block)
    direct: bool  # directly in the module or block body (not inside an if/for/try)
    siblings: list  # the statement list it belongs to
    branch: str = "always"  # always, dev, test, prod or conditional (an if it cannot tell)
    # The ``if`` tests around it that tell neither development nor production, each with
    # whether the statement sits in the body (True) or the ``else`` (False).
    conditions: tuple[tuple[ast.expr, bool], ...] = ()

    @property
    def production(self) -> bool:
        """Whether production may run it (it is not in a development or test branch)."""
        return self.branch not in ("dev", "test")


_SIMPLE = (
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Expr,
    ast.Import,
    ast.ImportFrom,
    ast.Delete,
    ast.Pass,
    ast.Raise,
    ast.Assert,
    ast.Global,
)


class _Block(Protocol):
    """What :func:`statements` needs of a preset block (:class:`.preset.PresetBlock`)."""

    @property
    def with_node(self) -> ast.With: ...


def statements(tree: ast.Module, block: _Block | None = None) -> Iterator[Statement]:
    """Every simple statement of the module outside functions and classes, with its place
    relative to the preset block and the branch it sits in."""
    bindings = module_bindings(tree)
    seen_block = False
    for stmt in tree.body:
        if block is not None and stmt is block.with_node:
            seen_block = True
            for inner in stmt.body:
                yield from _walk(inner, "block", True, stmt.body, "always", bindings, ())
            continue
        where = "module" if block is None else ("after" if seen_block else "before")
        yield from _walk(stmt, where, True, tree.body, "always", bindings, ())


def _walk(stmt: ast.stmt, where: str, direct: bool, siblings: list, branch: str, bindings: dict, conditions: tuple) -> Iterator[Statement]:
    if isinstance(stmt, _SIMPLE):
        yield Statement(stmt, where, direct, siblings, branch, conditions)
        return
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    if isinstance(stmt, ast.If):
        kind = classify_condition(stmt.test, bindings)
        then = _combine(branch, kind or "conditional")
        other = _combine(branch, {"dev": "prod", "prod": "dev", "test": "prod"}.get(kind or "", "conditional"))
        inside, outside = conditions, conditions
        if kind is None:  # a condition on the environment, maybe: kept for out-of-the-box reads
            inside, outside = conditions + ((stmt.test, True),), conditions + ((stmt.test, False),)
        for inner in stmt.body:
            yield from _walk(inner, where, False, stmt.body, then, bindings, inside)
        for inner in stmt.orelse:
            yield from _walk(inner, where, False, stmt.orelse, other, bindings, outside)
        return
    loops_and_blocks = (ast.For, ast.While, ast.Try, ast.With, ast.AsyncWith, ast.AsyncFor)
    inner_branch = _combine(branch, "conditional") if isinstance(stmt, loops_and_blocks) else branch
    for name in ("body", "orelse", "finalbody"):
        body = getattr(stmt, name, None) or []
        for inner in body:
            yield from _walk(
                inner,
                where,
                False,
                body,
                inner_branch if name != "body" or not isinstance(stmt, (ast.With, ast.AsyncWith)) else branch,
                bindings,
                conditions,
            )
    for handler in getattr(stmt, "handlers", None) or []:
        for inner in handler.body:
            yield from _walk(inner, where, False, handler.body, inner_branch, bindings, conditions)


def _combine(outer: str, inner: str) -> str:
    """The branch of a statement nested in another branch (dev inside prod is dev…)."""
    if outer in ("dev", "test"):
        return outer
    if inner in ("dev", "test", "prod"):
        return inner
    if outer == "prod":
        return "prod"
    return "conditional" if inner == "conditional" or outer == "conditional" else "always"


def deletion_fix(rule: Any, file: Any, st: Statement, description: str) -> Any:
    """A fix deleting the statement, offered only for one that sits directly in the preset
    block (where deleting an override lets the preset's own value apply); else None."""
    from modelw_lint.lang.pyast import delete_statement_edit

    if st.where != "block" or not st.direct:
        return None
    edit = delete_statement_edit(file, st.stmt, st.siblings)
    return rule.make_fix(description, [edit]) if edit else None
