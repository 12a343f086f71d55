"""The Model W preset block of a settings module (``with EnvManager(<preset>) as env:``),
found through subclasses and variables; whether each settings module uses the preset; what
the preset sets itself."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Iterator

from modelw_lint.lang.pyast import dotted, literal
from modelw_lint.lang.pyindex import ModuleInfo, PythonIndex

from ..environment import ENV_MANAGER
from ..registry import fact
from .discovery import PRESET_CLASSES, SettingsModule


@dataclass
class PresetBlock:
    """``with EnvManager(<preset>) as env:`` at the top level of a settings module, where the
    preset is a Model W preset: ``ModelWDjango(...)``, a subclass of it (``CustomPreset(...)``,
    defined anywhere in the project), or a variable holding one (``model_w_django``)."""

    path: str
    with_node: ast.With
    env_name: str | None  # the ``as`` name (``env``)
    preset_call: ast.Call | None  # the call creating the preset, when it can be found
    kwargs: dict[str, ast.expr]  # its keyword arguments
    preset_class: str  # the qualified name of the preset's class
    exact: bool  # ModelWDjango's defaults apply to unset arguments (itself, or a subclass without __init__)
    in_this_module: bool = True  # the preset call is written in the settings module itself

    @property
    def body(self) -> list[ast.stmt]:
        return list(self.with_node.body)

    def kwarg(self, name: str) -> Any:
        """The literal value of a keyword argument of the preset; :data:`UNKNOWN` when it is
        not a literal or the preset is a subclass that may set it, None when unset on
        ModelWDjango itself (its default)."""
        if name in self.kwargs:
            value = literal(self.kwargs[name])
            from modelw_lint.lang.pyast import NOT_LITERAL

            return UNKNOWN if value is NOT_LITERAL else value
        return None if self.exact else UNKNOWN


UNKNOWN = object()  # a value modelw-lint cannot tell statically

PRESET = object()  # the value the preset itself sets (from the environment)

# What ModelWDjango's ``pre_*`` hooks set when the block is entered (model-w-reference §2.2):
# a value of the same name before the block (``base.py``) never reaches production.
PRESET_SETS = (
    "BASE_DIR", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST",
    "DEFAULT_AUTO_FIELD", "LOGGING_CONFIG", "DATABASES", "PASSWORD_HASHERS", "USE_I18N", "USE_L10N", "TIME_ZONE",
    "USE_TZ", "STATIC_URL", "STATIC_ROOT", "MIDDLEWARE", "TEMPLATES", "WAILER_EMAIL_TYPES", "WAILER_SMS_TYPES", "BASE_URL",
)

def _env_manager_items(info: ModuleInfo, index: PythonIndex) -> Iterator[tuple[ast.With, ast.withitem, ast.Call]]:
    for stmt in info.tree.body:
        if not isinstance(stmt, ast.With):
            continue
        for item in stmt.items:
            call = item.context_expr
            if not isinstance(call, ast.Call):
                continue
            name = dotted(call.func)
            if name is None:
                continue
            qual = index.resolve(info.qualify(name))
            if qual == ENV_MANAGER or index.is_subclass(qual, {ENV_MANAGER}):
                yield stmt, item, call


def _preset_value(
    expr: ast.expr | None, info: ModuleInfo, index: PythonIndex, depth: int = 0,
) -> tuple[bool | None, ast.Call | None, str, bool]:
    """(is a Model W preset: True/False/None, the call creating it, its class, written in
    ``info``'s module) for the preset argument of an EnvManager."""
    if expr is None or depth > 8:
        return False if expr is None else None, None, "", True
    if isinstance(expr, ast.Call):
        name = dotted(expr.func)
        if name is None:
            return None, None, "", True
        cls = index.resolve(info.qualify(name))
        return index.is_subclass(cls, PRESET_CLASSES), expr, cls, True
    name = dotted(expr)
    if name is None:
        return None, None, "", True
    if "." not in name and name in info.bindings and name not in info.imports.names:
        return _preset_value(info.bindings[name], info, index, depth + 1)
    found = index.definition(info.qualify(name))
    if found is None:
        return None, None, "", True
    other, value = found
    if isinstance(value, ast.ClassDef):
        return None, None, "", True
    result = _preset_value(value, other, index, depth + 1)
    return result[0], result[1], result[2], False


def _same_arguments(index: PythonIndex, cls: str) -> bool:
    """Whether a preset class takes ModelWDjango's arguments unchanged: ModelWDjango itself, or
    project subclasses that define no ``__init__`` of their own (their defaults are the
    preset's)."""
    current = cls
    for _ in range(20):
        if current in PRESET_CLASSES:
            return True
        found = index.definition(current)
        if found is None or not isinstance(found[1], ast.ClassDef):
            return False
        node = found[1]
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "__init__" for n in node.body):
            return False
        bases = index.bases(current) or []
        preset_bases = [b for b in bases if index.is_subclass(b, PRESET_CLASSES)]
        if len(preset_bases) != 1:
            return False
        current = preset_bases[0]
    return False


def find_preset_block(info: ModuleInfo, index: PythonIndex) -> tuple[PresetBlock | None, bool | None]:
    """(the preset block, whether the module builds its settings with a Model W preset: True,
    False, or None when an EnvManager gets a preset whose class modelw-lint cannot see)."""
    status: bool | None = False
    for stmt, item, call in _env_manager_items(info, index):
        preset = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "preset"), None)
        is_preset, preset_call, cls, here = _preset_value(preset, info, index)
        env_name = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
        if is_preset is None:
            status = None
            continue
        if is_preset:
            kwargs = {k.arg: k.value for k in preset_call.keywords if k.arg} if preset_call is not None else {}
            block = PresetBlock(info.path, stmt, env_name, preset_call, kwargs, cls, _same_arguments(index, cls), here)
            return block, True
    return None, status


@fact
def preset_blocks(project: Any, settings_modules: dict[str, SettingsModule], python_index: PythonIndex) -> dict[str, PresetBlock]:
    """The preset block of each settings module that has one (by path)."""
    out = {}
    for path in settings_modules:
        file = project.file(path)
        if file is None or not file.contains("EnvManager"):
            continue
        info = python_index.module(path)
        if info is None:
            continue
        block, _status = find_preset_block(info, python_index)
        if block is not None:
            out[path] = block
    return out


@fact
def preset_status(project: Any, settings_modules: dict[str, SettingsModule], python_index: PythonIndex) -> dict[str, bool | None]:
    """For each settings module (by path): True when it (or a module it imports with ``*``)
    builds its settings with a Model W preset, False when it does not, None when an
    EnvManager is given a preset modelw-lint cannot see (a class from a library)."""
    direct: dict[str, bool | None] = {}
    for path in settings_modules:
        file = project.file(path)
        if file is None or not file.contains("EnvManager"):
            direct[path] = False if file is not None and file.text is not None else None
            continue
        info = python_index.module(path)
        direct[path] = find_preset_block(info, python_index)[1] if info is not None else None
    out = {}
    for path, mod in settings_modules.items():
        values = [direct.get(p) for p in [path, *_star_closure(settings_modules, path)]]
        out[path] = True if True in values else (None if None in values else False)
    return out


def _star_closure(settings_modules: dict[str, SettingsModule], path: str) -> list[str]:
    seen: list[str] = []
    queue = list(settings_modules[path].star_imports)
    while queue:
        target = queue.pop()
        if target in seen or target not in settings_modules:
            continue
        seen.append(target)
        queue.extend(settings_modules[target].star_imports)
    return seen


@fact
def preset_in_use(preset_status: dict[str, bool | None]) -> bool:
    """Whether the project builds its settings with the Model W preset (or may: an EnvManager
    with a preset from a library counts, since modelw-lint cannot tell)."""
    return any(v is not False for v in preset_status.values()) if preset_status else False


@fact
def preset_mentioned(project: Any, project_settings: set[str]) -> dict[str, str]:
    """Settings modules whose text mentions EnvManager (path -> text), without parsing: a
    cheap first look for rules that need the preset block only in some cases."""
    out = {}
    for path in sorted(project_settings):
        file = project.file(path)
        text = (file.text if file is not None else None) or ""
        if "EnvManager" in text:
            out[path] = text
    return out
