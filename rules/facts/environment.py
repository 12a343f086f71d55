"""Environment reads in Python: Model W's ``env.get``, ``os.environ``, django-environ,
environs and python-decouple, with the default each falls back to when the variable is not
set (what a project does out of the box)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Iterator

from modelw_lint.lang.pyast import NOT_LITERAL, ImportMap, call_args, literal, string_value, walk

ENV_MANAGER = "model_w.env_manager.EnvManager"

# -- environment reads -------------------------------------------------------------------------

ENVIRON_HELPERS = {"environ.Env", "environ.FileAwareEnv", "environs.Env"}
DECOUPLE = {"decouple.config", "decouple.AutoConfig", "decouple.Config"}
TRUTHY = {"true", "yes", "on", "1", "y", "t"}


@dataclass
class EnvRead:
    """One read of an environment variable."""

    node: ast.expr  # the call or subscript
    name: str | None  # the variable, when it is a literal
    default: ast.expr | None  # the fallback value node, if any
    helper: str  # "modelw" (env.get), "os", "django-environ", "python-decouple"
    method: str = ""  # django-environ's ``bool``, ``db``…; ``getenv`` / ``get`` / ``[]`` for os

    @property
    def default_value(self) -> Any:
        return literal(self.default) if self.default is not None else NOT_LITERAL


class EnvReads:
    """Finds environment reads in a module: ``env.get`` on an EnvManager, ``os.environ[...]``,
    ``os.environ.get``, ``os.getenv``, django-environ (``env("X", default=…)``,
    ``env.bool(…)``, an ``env`` imported from another settings module) and python-decouple
    (``config("X", default=…, cast=bool)``). Writes (``os.environ["X"] = …``,
    ``del os.environ[…]``) are not reads."""

    def __init__(self, tree: ast.Module, imports: ImportMap, index: Any = None, path: str | None = None):
        self.imports = imports
        self.env_managers = env_manager_names(tree, imports)
        self.environ_names: set[str] = set()
        self.decouple_names: set[str] = set()
        for stmt in ast.walk(tree):
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                called = imports.resolve(stmt.value.func)
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and called in ENVIRON_HELPERS:
                        self.environ_names.add(target.id)
                    elif isinstance(target, ast.Name) and called in DECOUPLE:
                        self.decouple_names.add(target.id)
        for local, qualified in imports.names.items():
            if qualified == "decouple.config":
                self.decouple_names.add(local)
            elif local == "env" and index is not None and _bound_to_environ(index, qualified):
                self.environ_names.add(local)
        self.written: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = node.targets
            else:
                targets = [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Subscript):
                    self.written.add(id(target))

    def read(self, node: ast.AST) -> EnvRead | None:
        """The read ``node`` is, or None."""
        if isinstance(node, ast.Subscript) and id(node) not in self.written and self.imports.resolve(node.value) == "os.environ":
            return EnvRead(node, string_value(node.slice), None, "os", "[]")
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        called = self.imports.resolve(func)
        if called in ("os.getenv", "os.environ.get"):
            args = call_args(node, "key", "default")
            return EnvRead(node, string_value(args.get("key")), args.get("default"), "os", called.rsplit(".", 1)[-1])
        if isinstance(func, ast.Attribute) and func.attr == "get" and isinstance(func.value, ast.Name) \
                and func.value.id in self.env_managers:
            args = call_args(node, "name", "default")
            return EnvRead(node, string_value(args.get("name")), args.get("default"), "modelw", "get")
        if isinstance(func, ast.Name) and func.id in self.environ_names:
            args = call_args(node, "var", "default")
            return EnvRead(node, string_value(args.get("var")), args.get("default"), "django-environ", "")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in self.environ_names:
            if func.attr in ("read_env", "smart_cast", "parse_value", "escape_proxy"):
                return None
            args = call_args(node, "var", "default")
            return EnvRead(node, string_value(args.get("var")), args.get("default"), "django-environ", func.attr)
        if (isinstance(func, ast.Name) and func.id in self.decouple_names) or called == "decouple.config":
            args = call_args(node, "option", "default")
            return EnvRead(node, string_value(args.get("option")), args.get("default"), "python-decouple", "")
        if called in ("dj_database_url.config", "dj_database_url.db_url"):
            args = call_args(node, "env", "default")
            return EnvRead(node, string_value(args.get("env")) or "DATABASE_URL", args.get("default"), "dj-database-url", "config")
        return None

    def reads(self, node: ast.AST) -> Iterator[EnvRead]:
        """Every read under ``node``, in source order."""
        for sub in walk(node):
            found = self.read(sub)
            if found is not None:
                yield found


def _bound_to_environ(index: Any, qualified: str) -> bool:
    """Whether an imported ``env`` is a django-environ ``Env()`` (``from .base import env``)."""
    found = index.definition(qualified)
    if found is None:
        return False
    info, value = found
    return isinstance(value, ast.Call) and info.imports.resolve(value.func) in ENVIRON_HELPERS


def truthy_default(read: EnvRead) -> bool:
    """Whether a read falls back to a true value (``env.bool("DEBUG", default=True)``,
    ``os.getenv("DEBUG", "True")``)."""
    value = read.default_value
    if value is True:
        return True
    return isinstance(value, str) and value.strip().lower() in TRUTHY


def env_manager_names(tree: ast.Module, imports: ImportMap) -> set[str]:
    """Names bound by ``with EnvManager(...) as NAME`` at the module's top level."""
    names = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.With):
            for item in stmt.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and imports.resolve(call.func) == ENV_MANAGER and isinstance(item.optional_vars, ast.Name):
                    names.add(item.optional_vars.id)
    return names


# -- what a value is out of the box -------------------------------------------------------------

UNSET = object()  # a value that cannot be told without the environment (a read with no default that raises)

# django-environ's cache URL schemes (``env.cache_url("CACHE_URL", default="locmemcache://")``).
CACHE_SCHEMES = {
    "dbcache": "django.core.cache.backends.db.DatabaseCache",
    "dummycache": "django.core.cache.backends.dummy.DummyCache",
    "filecache": "django.core.cache.backends.filebased.FileBasedCache",
    "locmemcache": "django.core.cache.backends.locmem.LocMemCache",
    "memcache": "django.core.cache.backends.memcached.PyMemcacheCache",
    "pymemcache": "django.core.cache.backends.memcached.PyMemcacheCache",
    "pylibmc": "django.core.cache.backends.memcached.PyLibMCCache",
    "rediscache": "django_redis.cache.RedisCache",
    "redis": "django_redis.cache.RedisCache",
    "rediss": "django_redis.cache.RedisCache",
}
CACHE_METHODS = ("cache", "cache_url")
_BOOL_CASTS = ("bool",)


def unless_text(names: tuple[str, ...] | list[str]) -> str:
    """`` unless X is set`` (``X or Y are``), empty for no variable."""
    if not names:
        return ""
    return f" unless {' or '.join(names)} {'is' if len(names) == 1 else 'are'} set"


@dataclass
class OutOfTheBox:
    """What an expression is when the environment sets none of the variables it reads: a
    node (the literal default), :data:`UNSET` when a read without a default decides it,
    and the variables that would change it."""

    node: Any
    variables: tuple[str, ...] = ()

    def add(self, *names: str) -> "OutOfTheBox":
        return OutOfTheBox(self.node, tuple(dict.fromkeys((*names, *self.variables))))


def settle(node: ast.expr | None, reads: EnvReads, bindings: dict[str, ast.expr] | None = None, depth: int = 0) -> OutOfTheBox:
    """``node`` with every environment read replaced by its default: ``env.str("X", "a")``
    is ``"a"`` unless X is set, ``os.environ.get("X") or "b"`` is ``"b"``, a name bound at
    the module's top level to such a read is that read. A node that reads nothing is itself."""
    if node is None or depth > 8:
        return OutOfTheBox(node)
    if isinstance(node, ast.Name) and bindings and node.id in bindings and reads.read(bindings[node.id]) is not None:
        return settle(bindings[node.id], reads, bindings, depth + 1)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        names: tuple[str, ...] = ()
        for value in node.values:
            part = settle(value, reads, bindings, depth + 1)
            names += part.variables
            truth = _truth(part.node)
            if truth is None:
                return OutOfTheBox(UNSET if part.node is UNSET else node, names)
            if truth:
                return OutOfTheBox(part.node, names)
        return OutOfTheBox(part.node, names)
    read = reads.read(node)
    if read is None:
        return OutOfTheBox(node)
    name = read.name
    if name is None and read.method in CACHE_METHODS:
        name = "CACHE_URL"
    if name is None:
        return OutOfTheBox(UNSET)
    if read.default is None:
        if read.helper == "os" and read.method in ("get", "getenv"):
            return OutOfTheBox(ast.Constant(None), (name,))
        return OutOfTheBox(UNSET, (name,))
    found = settle(read.default, reads, bindings, depth + 1).add(name)
    if read.method in CACHE_METHODS:
        url = string_value(found.node) if isinstance(found.node, ast.AST) else None
        backend = CACHE_SCHEMES.get(url.split("://", 1)[0].lower()) if url and "://" in url else None
        if backend is None:
            return OutOfTheBox(UNSET, found.variables)
        return OutOfTheBox(ast.Dict([ast.Constant("BACKEND")], [ast.Constant(backend)]), found.variables)
    if _casts_to_bool(read) and isinstance(found.node, ast.Constant) and isinstance(found.node.value, str):
        return OutOfTheBox(ast.Constant(found.node.value.strip().lower() in TRUTHY), found.variables)
    return found


def _casts_to_bool(read: EnvRead) -> bool:
    if read.method in _BOOL_CASTS:
        return True
    cast = call_args(read.node, "var").get("cast") if isinstance(read.node, ast.Call) else None
    return isinstance(cast, ast.Name) and cast.id == "bool"


def _truth(node: Any) -> bool | None:
    """The truth of a settled literal, None when it is not one."""
    if node is UNSET or not isinstance(node, ast.AST):
        return None
    value = literal(node)
    return None if value is NOT_LITERAL else bool(value)


def condition(test: ast.expr, reads: EnvReads, bindings: dict[str, ast.expr] | None = None, depth: int = 0) -> OutOfTheBox:
    """Whether an ``if`` condition holds out of the box (``OutOfTheBox.node`` is True,
    False, or None when it cannot be told) and the variables that would change that:
    ``if env.bool("USE_S3", False):`` is False unless USE_S3 is set, ``if "AWS_BUCKET" in
    os.environ:`` is False unless AWS_BUCKET is set."""
    if depth > 8:
        return OutOfTheBox(None)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = condition(test.operand, reads, bindings, depth + 1)
        return OutOfTheBox(None if inner.node is None else not inner.node, inner.variables)
    if isinstance(test, ast.BoolOp):
        parts = [condition(v, reads, bindings, depth + 1) for v in test.values]
        names = tuple(dict.fromkeys(n for p in parts for n in p.variables))
        values = [p.node for p in parts]
        if isinstance(test.op, ast.And):
            value = False if False in values else (None if None in values else True)
        else:
            value = True if True in values else (None if None in values else False)
        return OutOfTheBox(value, names)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "bool" and len(test.args) == 1:
        return condition(test.args[0], reads, bindings, depth + 1)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)) and reads.imports.resolve(right) == "os.environ":
            name = string_value(test.left)
            if name is None:
                return OutOfTheBox(None)
            return OutOfTheBox(isinstance(op, ast.NotIn), (name,))
        left = settle(test.left, reads, bindings, depth + 1)
        other = settle(right, reads, bindings, depth + 1)
        names = tuple(dict.fromkeys((*left.variables, *other.variables)))
        if not names:
            return OutOfTheBox(None)
        a = literal(left.node) if isinstance(left.node, ast.AST) else NOT_LITERAL
        b = literal(other.node) if isinstance(other.node, ast.AST) else NOT_LITERAL
        if a is NOT_LITERAL or b is NOT_LITERAL:
            return OutOfTheBox(None, names)
        try:
            value = _compare(op, a, b)
        except TypeError:
            value = None
        return OutOfTheBox(value, names)
    found = settle(test, reads, bindings, depth + 1)
    if not found.variables:
        return OutOfTheBox(None)
    return OutOfTheBox(_truth(found.node), found.variables)


def _compare(op: ast.cmpop, a: Any, b: Any) -> bool | None:
    if isinstance(op, ast.Eq):
        return a == b
    if isinstance(op, ast.NotEq):
        return a != b
    if isinstance(op, ast.Is):
        return a is None and b is None if None in (a, b) else None
    if isinstance(op, ast.IsNot):
        return not (a is None and b is None) if None in (a, b) else None
    if isinstance(op, ast.In):
        return a in b if isinstance(b, (str, list, tuple, set, frozenset, dict)) else None
    if isinstance(op, ast.NotIn):
        return a not in b if isinstance(b, (str, list, tuple, set, frozenset, dict)) else None
    return None
