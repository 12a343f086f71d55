"""What production finally assigns to a setting: through ``from .base import *`` chains, past
development-only branches, with the preset's own values, as written or out of the box (no
variable set); the URL configurations production uses."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from modelw_lint.lang.pyast import literal, string_value, subscript_path
from modelw_lint.lang.pyindex import PythonIndex

from ..environment import UNSET, condition, settle, unless_text
from ..registry import fact
from .branches import Statement, module_bindings, statements
from .discovery import SettingsModule, _import_target
from .preset import PRESET, PRESET_SETS, UNKNOWN, PresetBlock
from .storage import S3_DEFAULT, preset_storages

if TYPE_CHECKING:
    from ..dependencies import Dependency


# -- what production finally assigns -----------------------------------------------------------


@dataclass
class Assignment:
    """One statement of production's settings that sets (part of) a setting."""

    path: str
    statement: Statement
    name: str  # the setting: STORAGES
    keys: tuple  # the subscript path it sets: ("default", "BACKEND"), () for the whole setting
    value: ast.expr | None  # the value assigned (None for an update whose value is unknown)
    kind: str = "set"  # set, update (dict.update / |=), extend (+= / append / insert)


def _assignments(path: str, st: Statement) -> Iterator[Assignment]:
    stmt = st.stmt
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                yield Assignment(path, st, target.id, (), stmt.value)
            else:
                sub = subscript_path(target)
                if sub and sub[1]:
                    yield Assignment(path, st, sub[0], tuple(sub[1]), stmt.value)
    elif isinstance(stmt, ast.AugAssign):
        sub = subscript_path(stmt.target)
        if sub:
            kind = "update" if isinstance(stmt.op, ast.BitOr) else "extend"
            yield Assignment(path, st, sub[0], tuple(sub[1]), stmt.value, kind)
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute):
        method = stmt.value.func.attr
        sub = subscript_path(stmt.value.func.value)
        if sub and method in ("update", "append", "insert", "extend", "setdefault"):
            args = stmt.value.args
            value = args[-1] if args else None
            kind = "update" if method in ("update", "setdefault") else "extend"
            if method == "setdefault" and len(args) == 2:
                key = literal(args[0])
                yield Assignment(path, st, sub[0], (*sub[1], key), value, "setdefault")
            else:
                yield Assignment(path, st, sub[0], tuple(sub[1]), value, kind)


@dataclass
class Value:
    """What production assigns to a setting: the expression (an ast node, None when nothing
    sets it, :data:`UNKNOWN`, :data:`PRESET`), the assignment that decides it, and, read out
    of the box (:meth:`ProductionSettings.out_of_the_box`), the environment variables that
    would change it and the later assignment production skips unless one is set."""

    node: Any
    assignment: Assignment | None
    unless: tuple[str, ...] = ()
    switched: Assignment | None = None

    def unless_text(self) -> str:
        """`` unless X is set`` (or ``X or Y``), empty when no variable changes it."""
        return unless_text(self.unless)


@dataclass
class ProductionSettings:
    """The statements production runs for one settings module, star imports inlined in order,
    development and test branches left out."""

    path: str  # the settings module production names
    statements: list[tuple[str, Statement]]  # (file, statement)
    assignments: list[Assignment]
    files: list[str]  # the module and every module it pulls in
    index: Any = field(default=None, repr=False, compare=False)
    _reads: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def unread(self) -> list[str]:
        """Files of the chain that could not be parsed: what they set is unknown."""
        return [f for f in self.files if self.index is not None and self.index.module(f) is None]

    def of(self, name: str) -> list[Assignment]:
        return [a for a in self.assignments if a.name == name]

    def final(self, name: str, keys: tuple = ()) -> tuple[Any, Assignment | None]:
        """The expression production finally assigns to ``name[keys…]``: (ast node, the
        assignment), (None, None) when nothing sets it, (UNKNOWN, assignment) when the last
        statement touching it cannot be read statically (``STORAGES.update(other)``), and
        (:data:`PRESET`, assignment) when the preset's own value is the last one."""
        value = self._resolve(name, keys, False)
        return value.node, value.assignment

    def out_of_the_box(self, name: str, keys: tuple = ()) -> Value:
        """What production assigns to ``name[keys…]`` when the environment sets none of the
        variables the settings read: an environment read with a literal default is that
        default (``env.str("STATIC_URL", "/static/")``), a branch run only when a variable is
        set (``if env.bool("USE_S3", False):``) is skipped; :attr:`Value.unless` names the
        variables that would change the result."""
        return self._resolve(name, keys, True)

    def _resolve(self, name: str, keys: tuple, settled: bool) -> Value:
        result = Value(None, None)
        for a in self.assignments:
            if a.name != name:
                continue
            gate: tuple[str, ...] = ()
            if settled and a.kind != "preset":
                runs, gate = self._runs(a)
                if runs is False:
                    result = Value(result.node, result.assignment, _unique(result.unless + gate), a)
                    continue
            if a.kind == "preset":
                result = Value(PRESET, a)
            elif a.keys == keys[: len(a.keys)] and a.kind == "set":
                node, names = self._lookup(a, a.value, keys[len(a.keys):], settled)
                top = self._lookup(a, a.value, (), settled)[0] if settled else a.value
                if node is None and isinstance(top, ast.Dict):
                    result = Value(None, None, _unique(gate + names))
                else:
                    result = Value(UNKNOWN if node is None else node, a, _unique(gate + names))
            elif a.keys[: len(keys)] == keys and len(a.keys) > len(keys) and a.kind == "set":
                if result.node is not None:  # part of it changes
                    result = Value(UNKNOWN, a, _unique(result.unless + gate))
            elif a.keys == keys[: len(a.keys)] and a.kind == "update":
                if not isinstance(a.value, ast.Dict):
                    result = Value(UNKNOWN, a, _unique(gate))
                    continue
                node, names = self._lookup(a, a.value, keys[len(a.keys):], settled)
                if node is not None:
                    result = Value(node, a, _unique(gate + names))
        return result

    def _lookup(self, a: Assignment, node: Any, keys: tuple, settled: bool) -> tuple[Any, tuple[str, ...]]:
        if not settled:
            return dict_lookup(node, keys), ()
        reads, bindings = self._reads_of(a.path)
        names: tuple[str, ...] = ()
        if reads is None:
            return dict_lookup(node, keys), ()
        for key in (None, *keys):
            if key is not None:
                if not isinstance(node, ast.Dict):
                    return UNKNOWN, names
                node = dict_lookup(node, (key,))
                if node is None or node is UNKNOWN:
                    return node, names
            found = settle(node, reads, bindings)
            names += found.variables
            node = UNKNOWN if found.node is UNSET else found.node
        return node, names

    def _runs(self, a: Assignment) -> tuple[bool | None, tuple[str, ...]]:
        """Whether the statement runs out of the box (False when it waits for a variable),
        and the variables its conditions read."""
        if not a.statement.conditions:
            return True, ()
        reads, bindings = self._reads_of(a.path)
        if reads is None:
            return None, ()
        names: tuple[str, ...] = ()
        runs: bool | None = True
        for test, body in a.statement.conditions:
            found = condition(test, reads, bindings)
            names += found.variables
            if found.node is None:
                runs = None
            elif found.node != body:
                return False, _unique(names)
        return runs, _unique(names)

    def _reads_of(self, path: str) -> tuple[Any, dict]:
        if path not in self._reads:
            info = self.index.module(path) if self.index is not None else None
            file = self.index.project.file(path) if info is not None else None
            self._reads[path] = (None, {}) if info is None or file is None else (
                self.index.project.file_fact("env_reads", file), module_bindings(info.tree),
            )
        return self._reads[path]


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def dict_lookup(node: ast.expr | None, keys: tuple) -> ast.expr | None:
    """``{"default": {"BACKEND": x}}`` looked up at ("default", "BACKEND") -> x; None when a
    dict literal lacks the key; the node itself for no keys."""
    for key in keys:
        if not isinstance(node, ast.Dict):
            return UNKNOWN  # type: ignore[return-value]
        found: Any = None
        for k, v in zip(node.keys, node.values):
            if k is None:  # ``**other``: anything could be there
                found = UNKNOWN
            elif literal(k) == key:
                found = v
        if found is None:
            return None
        node = found
    return node


@fact
def production_settings(
    settings_modules: dict[str, SettingsModule], preset_blocks: dict[str, PresetBlock], python_index: PythonIndex,
    preset_extras: set[str], python_dependencies: list[Dependency],
) -> dict[str, ProductionSettings]:
    """For each settings module production names (not the ones only imported): the
    statements production runs, in order, through its ``from … import *`` chain, with what
    the preset itself sets when its block is entered."""
    out = {}
    entries = [m for m in settings_modules.values() if m.production and m.sources != ["import"]]
    if not entries:
        entries = [m for m in settings_modules.values() if m.production]
    for mod in entries:
        collected: list[tuple[str, Statement]] = []
        assignments: list[Assignment] = []
        files: list[str] = []
        _collect(python_index, preset_blocks, mod.path, collected, assignments, files, 0, (preset_extras, python_dependencies))
        out[mod.path] = ProductionSettings(mod.path, collected, assignments, files, python_index)
    return out


def _collect(index: PythonIndex, blocks: dict, path: str, out: list, assignments: list, files: list, depth: int, deps) -> None:
    if path in files or depth > 20:
        return
    files.append(path)
    info = index.module(path)
    if info is None:
        return
    block = blocks.get(path)
    entered = block is None
    for st in statements(info.tree, block):
        if block is not None and not entered and st.where in ("block", "after"):
            assignments.extend(_preset_sets(path, block, *deps))
            entered = True
        if not st.production:
            continue
        stmt = st.stmt
        if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
            target = _import_target(index, info, stmt)
            if target is not None:
                _collect(index, blocks, target, out, assignments, files, depth + 1, deps)
            continue
        out.append((path, st))
        assignments.extend(_assignments(path, st))
    if block is not None and not entered:
        assignments.extend(_preset_sets(path, block, *deps))


def _preset_sets(path: str, block: PresetBlock, preset_extras: set[str], python_dependencies: list) -> list[Assignment]:
    """What the preset sets when its block is entered, as assignments at the ``with``."""
    entry = Statement(block.with_node, "block", True, [], "always")
    names = list(PRESET_SETS)
    if block.kwarg("enable_cache") is not False:
        names.append("CACHES")
    out = [Assignment(path, entry, name, (), None, "preset") for name in names]
    storages = preset_storages(block, preset_extras, python_dependencies).on
    if storages is True:
        value = ast.parse(f'{{"default": {{"BACKEND": "{S3_DEFAULT}"}}}}', mode="eval").body
        out.append(Assignment(path, entry, "STORAGES", (), value, "set"))
    elif storages is UNKNOWN:
        out.append(Assignment(path, entry, "STORAGES", (), None, "preset"))
    return out


def final_statements(production_settings: dict[str, ProductionSettings], name: str, path: str) -> set[int] | None:
    """Ids of the statements of ``path`` that set ``name`` last in some production view: the
    values production really runs with. None when no production view includes ``path`` (then
    every statement counts)."""
    views = [v for v in production_settings.values() if path in v.files]
    if not views:
        return None
    out = set()
    for view in views:
        _node, assignment = view.final(name)
        if assignment is not None and assignment.path == path:
            out.add(id(assignment.statement.stmt))
    return out


@fact
def root_urlconfs(project: Any, production_settings: dict[str, ProductionSettings], python_index: PythonIndex) -> set[str]:
    """The URL configuration modules production's settings name in ``ROOT_URLCONF``."""
    out = set()
    for view in production_settings.values():
        node, _a = view.final("ROOT_URLCONF")
        name = string_value(node) if isinstance(node, ast.AST) else None
        path = python_index.module_file(name) if name else None
        if path:
            out.add(path)
    return out


def anchor_line(file: Any) -> int:
    """The most meaningful line of a settings module for a finding about the whole module:
    its preset block, else its first setting (an UPPER_CASE assignment), else 1."""
    tree = file.tree if file is not None else None
    for stmt in tree.body if tree is not None else []:
        if isinstance(stmt, ast.With) and "EnvManager" in ast.unparse(stmt.items[0].context_expr):
            return stmt.lineno
    for stmt in tree.body if tree is not None else []:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id.isupper() for t in stmt.targets):
            return stmt.lineno
    return 1
