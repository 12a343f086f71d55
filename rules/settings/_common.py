"""What the settings rules share: where assignments sit relative to the preset block, how
environment reads look, and the signatures the preset uses for ``env.get``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator


from modelw_lint.lazy import cst
from modelw_lint.pysyntax import NOT_LITERAL, ImportMap, call_args, delete_statement_edit, literal, walk

from ..facts import ENV_MANAGER, PresetBlock


@dataclass
class Statement:
    """A simple statement of a settings module, with where it sits."""

    line: cst.SimpleStatementLine
    small: cst.BaseSmallStatement
    where: str  # "module" (no preset block), "before", "block" or "after" (the preset block)
    direct: bool  # directly in the module or block body (not inside an if/for/try)
    only_in_block: bool  # the block's only statement (deleting it needs a `pass`)


def deletion_fix(rule: Any, file: Any, st: Statement, description: str) -> Any:
    """A fix deleting the statement, offered only for one that sits directly in the preset
    block (where deleting an override lets the preset's own value apply); else None."""
    if st.where != "block" or not st.direct:
        return None
    edit = delete_statement_edit(file, st.line, only_in_block=st.only_in_block)
    return rule.make_fix(description, [edit]) if edit else None


def statements(module: cst.Module, block: PresetBlock | None) -> Iterator[Statement]:
    """Every simple statement of the module outside functions and classes."""
    seen_block = False
    for stmt in module.body:
        if block is not None and stmt is block.with_node:
            seen_block = True
            body = block.body
            for inner in body:
                yield from _walk(inner, "block", True, len(body) == 1)
            continue
        where = "module" if block is None else ("after" if seen_block else "before")
        yield from _walk(stmt, where, True, False)


def _walk(stmt: cst.CSTNode, where: str, direct: bool, only: bool) -> Iterator[Statement]:
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            yield Statement(stmt, small, where, direct, only)
        return
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return
    for body in _child_bodies(stmt):
        for inner in body:
            yield from _walk(inner, where, False, False)


def _child_bodies(stmt: cst.CSTNode) -> Iterator[Any]:
    """The statement lists nested in an if/for/while/try/with statement."""
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.IndentedBlock):
        yield body.body
    orelse = getattr(stmt, "orelse", None)
    if isinstance(orelse, cst.If):
        yield [orelse]
    elif orelse is not None and isinstance(getattr(orelse, "body", None), cst.IndentedBlock):
        yield orelse.body.body
    final = getattr(stmt, "finalbody", None)
    if final is not None and isinstance(final.body, cst.IndentedBlock):
        yield final.body.body
    for handler in getattr(stmt, "handlers", ()) or ():
        if isinstance(handler.body, cst.IndentedBlock):
            yield handler.body.body


def env_manager_names(module: cst.Module, imports: ImportMap) -> set[str]:
    """Names bound by ``with EnvManager(...) as NAME`` anywhere at the module's top level."""
    names = set()
    for stmt in module.body:
        if isinstance(stmt, cst.With):
            for item in stmt.items:
                call = item.item
                if isinstance(call, cst.Call) and imports.resolve(call.func) == ENV_MANAGER and item.asname is not None:
                    if isinstance(item.asname.name, cst.Name):
                        names.add(item.asname.name.value)
    return names


class CallIndex:
    """The calls of a tree, and which of them are used as ``call.attr`` (``.lower()``)."""

    def __init__(self, node: cst.CSTNode):
        self.calls: list[cst.Call] = []
        self.receivers: set[int] = set()
        for n in walk(node):
            if isinstance(n, cst.Call):
                self.calls.append(n)
            elif isinstance(n, cst.Attribute) and isinstance(n.value, cst.Call):
                self.receivers.add(id(n.value))


def all_calls(node: cst.CSTNode) -> CallIndex:
    return CallIndex(node)


# -- env.get signatures -------------------------------------------------------------------------

MISSING = object()  # EnvManager's no_default
ANY = object()  # depends on the machine or the preset's arguments: not compared


@dataclass(frozen=True)
class Signature:
    default: Any = MISSING
    build_default: Any = MISSING
    is_yaml: Any = None

    def describe(self) -> str:
        parts = []
        if self.default is not MISSING:
            parts.append("default=…" if self.default is ANY else f"default={py_literal(self.default)}")
        if self.build_default is not MISSING:
            parts.append("build_default=…" if self.build_default is ANY else f"build_default={py_literal(self.build_default)}")
        if self.is_yaml is not None:
            parts.append(f"is_yaml={py_literal(self.is_yaml)}")
        return ", ".join(parts) if parts else "no default"

    @property
    def concrete(self) -> bool:
        return ANY not in (self.default, self.build_default, self.is_yaml)


# The preset's own reads (model-w-reference §2.3, modelw-preset-django 2023.3 to 2026.7).
PRESET_SIGNATURES: dict[str, Signature] = {
    "SECRET_KEY": Signature(build_default="xxx"),
    "DEBUG": Signature(default=False, is_yaml=True),
    "DATABASE_URL": Signature(build_default=ANY),  # postgresql:// or postgis:// dummy URL
    "POOL_DB_CONNECTIONS": Signature(default=False, is_yaml=True),
    "DB_CONN_HEALTH_CHECKS": Signature(default=True, is_yaml=True),
    "REDIS_URL": Signature(default="redis://localhost"),
    "ENVIRONMENT": Signature(default=ANY, build_default="_build"),
    "HOME": Signature(default=""),
    "USER": Signature(default=""),
    "SENTRY_DSN": Signature(default=None),
    "TIME_ZONE": Signature(default=ANY),  # ModelWDjango(default_time_zone=...), see signature_for
    "EMAIL_MODE": Signature(default="console"),
    "MAILJET_API_KEY_PUBLIC": Signature(),
    "MAILJET_API_KEY_PRIVATE": Signature(),
    "MANDRILL_API_KEY": Signature(),
    "SMS_MODE": Signature(default="console"),
    "MAILJET_API_TOKEN": Signature(),
    "STORAGES": Signature(default={}),
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": Signature(default=""),
    "STORAGES_MODE": Signature(default="s3"),
    "AWS_ACCESS_KEY_ID": Signature(build_default="xxx"),
    "AWS_SECRET_ACCESS_KEY": Signature(build_default="xxx"),
    "AWS_STORAGE_BUCKET_NAME": Signature(build_default="xxx"),
    "STORAGE_MAKE_FILES_PUBLIC": Signature(build_default=False, is_yaml=True),
    "AWS_S3_CUSTOM_DOMAIN": Signature(),
    "DO_REGION": Signature(default="ams3"),
    "AWS_S3_ENDPOINT_URL": Signature(default=ANY),
    "IM_SACKED_IF_I_USE_THIS_FOR_NON_PERFORMANCE_TESTING": Signature(default="https:"),
    "BASE_URL": Signature(build_default="https://example.com"),
    "NO_ENV_CHECK": Signature(default=False, is_yaml=True),
}


def signature_for(name: str, block: PresetBlock | None) -> Signature | None:
    """The preset's signature for ``name`` in this project (None: the preset does not read it)."""
    sig = PRESET_SIGNATURES.get(name)
    if sig is None or block is None:
        return sig
    if name == "TIME_ZONE":
        arg = block.kwargs.get("default_time_zone")
        value = "Europe/Madrid" if arg is None else literal(arg.value)
        return Signature(default=ANY if value is NOT_LITERAL else value)
    return sig


def call_signature(call: cst.Call) -> tuple[str | None, Signature | None]:
    """(name, signature) of an ``env.get(...)`` call; signature None when not all literal."""
    args = call_args(call, "name", "default", "build_default", "is_yaml")
    if "name" not in args:
        return None, None
    name = literal(args["name"].value)
    if not isinstance(name, str):
        return None, None
    values = {}
    for key in ("default", "build_default", "is_yaml"):
        if key in args:
            value = literal(args[key].value)
            if value is NOT_LITERAL:
                return name, None
            values[key] = value
    return name, Signature(values.get("default", MISSING), values.get("build_default", MISSING), values.get("is_yaml", None))


def matches(user: Signature, preset: Signature) -> bool:
    """Whether EnvManager would record the same (default, build_default, is_yaml)."""
    for a, b in ((user.default, preset.default), (user.build_default, preset.build_default), (user.is_yaml, preset.is_yaml)):
        if b is ANY:
            continue
        if (a is MISSING) != (b is MISSING) or (a is not MISSING and a != b):
            return False
    return True


def py_literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def env_get_calls(module: cst.Module, imports: ImportMap) -> list[cst.Call]:
    """``<env>.get(...)`` calls, where ``<env>`` is bound by ``with EnvManager(...) as <env>``."""
    names = env_manager_names(module, imports)
    if not names:
        return []
    out = []
    for call in all_calls(module).calls:
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and isinstance(func.value, cst.Name)
            and func.value.value in names
        ):
            out.append(call)
    return out
