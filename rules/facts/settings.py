"""Django settings as the project runs them: which modules are settings (named by
``DJANGO_SETTINGS_MODULE`` wherever a project sets it), which of them production uses, where
the Model W preset block is (through subclasses and variables), and what production finally
assigns to a setting (through ``from .base import *`` chains, past development-only branches).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from modelw_lint.lang.pyast import dotted, literal, string_value, subscript_path
from modelw_lint.lang.pyindex import ModuleInfo, PythonIndex

from .components import DjangoProject
from .environment import ENV_MANAGER, UNSET, EnvReads, condition, settle, unless_text
from .paths import is_dev_path, is_test_path, join, name_of, parent
from .registry import fact

if TYPE_CHECKING:
    from .dependencies import Dependency

MODELW_DJANGO = "model_w.preset.django.ModelWDjango"
PRESET_CLASSES = frozenset({MODELW_DJANGO, "model_w.preset.django.ModelWDjangoPreset"})

TEST_SETTINGS_NAMES = {"test", "tests", "testing", "test_settings", "settings_test", "settings_tests", "ci", "pytest", "unittest"}
DEV_SETTINGS_NAMES = {
    "local", "dev", "development", "develop", "devel", "local_settings", "settings_local", "settings_dev",
    "dev_settings", "docker_local",
}
DJANGO_MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "ModelWDjango", "DATABASES", "django")

# ``DJANGO_SETTINGS_MODULE=x``, ``"DJANGO_SETTINGS_MODULE", "x"``, ``DJANGO_SETTINGS_MODULE: x``,
# ``ENV DJANGO_SETTINGS_MODULE x``, ``"DJANGO_SETTINGS_MODULE": {"value": "x"}`` (app.json),
# ``--settings=x``, ``--ds=x``.
_DSM = re.compile(
    # Possessive whitespace: a separator between blanks, or blanks alone, never re-split.
    r"""(?:DJANGO_SETTINGS_MODULE['"]?(?:\s*+[,=:]\s*+|\s++)(?:\{\s*+"value"\s*+:\s*+)?['"]?|--(?:settings|ds)[= ]['"]?)"""
    r"""([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]\w*)"""
)
CI_FILES = (".gitlab-ci.yml", ".circleci/config.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml", ".travis.yml")
DEPLOY_FILES = (
    "Dogefile",
    "Fluxfile",
    "snow.yml",
    "snow.yaml",
    "app.json",
    "render.yaml",
    "fly.toml",
    "app.yaml",
    ".do/app.yaml",
    ".do/app.yml",
    "Procfile",
)
PYTEST_FILES = ("pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml")


@dataclass
class SettingsModule:
    path: str
    dotted: str
    sources: list[str]  # where it was named (manage.py, Procfile, .env…) or "fallback"/"import"
    role: str = "production"  # production, dev (local development only) or test
    star_imports: list[str] = field(default_factory=list)  # settings files it imports with *
    production: bool = False  # production runs it (itself, or through a module that imports it)

    @property
    def is_test(self) -> bool:
        return self.role == "test"

    @property
    def is_dev(self) -> bool:
        return self.role == "dev"


def source_role(path: str) -> str:
    """What naming a settings module in this file says about it: "production" (wsgi/asgi,
    Procfile, deploy specs, production images and compose files), "dev", "test" or "" (a
    manage.py, a celery app or a CI file names the module everything uses)."""
    name = name_of(path)
    if name in ("wsgi.py", "asgi.py") or path in DEPLOY_FILES or name in ("Procfile", "Dogefile", "Fluxfile"):
        return "production"
    if name == "conftest.py" or (name in PYTEST_FILES and not name.startswith("setup.py")) or is_test_path(path):
        return "test"
    if path.startswith(".github/") or path in CI_FILES or name in ("manage.py",) or name.startswith("celery"):
        return ""
    lowered = path.lower()
    if "prod" in lowered or "staging" in lowered:
        return "production"
    if name.startswith(".env") and name not in (".env.production", ".env.prod"):
        return "test" if "test" in name else "dev"
    if is_dev_path(path) or "override" in name:
        return "dev"
    if name.lower().startswith("dockerfile") or "compose" in name:
        return "production"
    return ""


def _candidate_sources(project: Any, dj: DjangoProject) -> list[str]:
    """Files that may name the settings module of one Django project."""
    prefix = dj.folder + "/" if dj.folder else ""
    out = [dj.manage_py]
    for path in project.paths:
        name = name_of(path)
        inside = path.startswith(prefix) and path.count("/") - prefix.count("/") <= 3
        if inside and path.endswith(".py") and (name in ("wsgi.py", "asgi.py", "conftest.py") or name.startswith("celery")):
            out.append(path)
        elif inside and parent(path) == dj.folder and name in PYTEST_FILES:
            out.append(path)
        elif path.count("/") <= 3 and (
            name.startswith(".env") or path.startswith(".envs/") or "/.envs/" in path
            or name.lower().startswith("dockerfile") or name == "Procfile" or "compose" in name and name.endswith((".yml", ".yaml"))
            or path in CI_FILES or path in DEPLOY_FILES or path.startswith(".github/workflows/")
        ):
            out.append(path)
    return out


def _named_settings(project: Any, dj: DjangoProject) -> list[tuple[str, str]]:
    """(dotted settings module, file naming it) pairs for one Django project."""
    named = []
    for path in _candidate_sources(project, dj):
        file = project.file(path)
        text = file.text if file is not None else None
        if not text or ("DJANGO_SETTINGS_MODULE" not in text and "--settings" not in text and "--ds" not in text):
            continue
        for m in _DSM.finditer(text):
            named.append((m.group(1), path))
    return named


_PROD_NAME = re.compile(r"prod|live|staging", re.I)


def _role(dotted_name: str, path: str, sources: list[str]) -> str:
    """production, dev or test, from the module's name first, then from what names it."""
    last = dotted_name.rsplit(".", 1)[-1]
    if last in TEST_SETTINGS_NAMES or is_test_path(path):
        return "test"
    if last in DEV_SETTINGS_NAMES:
        return "dev"
    roles = {source_role(s) for s in sources if s not in ("fallback", "import")}
    if "production" in roles:
        return "production"
    if roles and roles <= {"test"}:
        return "test" if "test" in dotted_name else "production"
    if roles and roles <= {"dev", "test"} and not _PROD_NAME.search(dotted_name):
        return "dev"
    return "production"


def _star_imports(index: PythonIndex, path: str) -> list[tuple[str, ast.ImportFrom]]:
    """Files a module imports with ``*`` (anywhere at its top level, branches included)."""
    info = index.module(path)
    if info is None:
        return []
    out = []
    for node in _top_level_statements(info.tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            target = _import_target(index, info, node)
            if target:
                out.append((target, node))
    return out


def _import_target(index: PythonIndex, info: ModuleInfo, node: ast.ImportFrom) -> str | None:
    from modelw_lint.lang.pyast import absolute_module, module_package

    if node.level:
        if info.name is not None:
            module = absolute_module(module_package(info.name, info.path.endswith("__init__.py")), node.level, node.module)
            found = index.module_file(module) if module else None
            if found:
                return found
        folder = parent(info.path)
        for _ in range(node.level - 1):
            folder = parent(folder)
        rel = (node.module or "").replace(".", "/")
        for candidate in (join(folder, rel + ".py"), join(folder, rel + "/__init__.py")):
            if rel and candidate in index._paths:
                return candidate
        return None
    return index.module_file(node.module) if node.module else None


def _top_level_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Statements outside functions and classes (inside if/try/with blocks too)."""
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        nested: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            nested.extend(getattr(stmt, name, []) or [])
        for handler in getattr(stmt, "handlers", []) or []:
            nested.extend(handler.body)
        stack.extend(reversed(nested))


@fact
def settings_modules(project: Any, django_projects: list[DjangoProject], python_index: PythonIndex) -> dict[str, SettingsModule]:
    """Django settings modules: named by ``DJANGO_SETTINGS_MODULE`` or ``--settings`` (in
    manage.py, wsgi.py, asgi.py, the pytest config, ``.env`` files, Dockerfiles, compose files,
    Procfiles, CI files and deploy specs), else ``settings.py`` files and ``settings/`` packages
    inside a Django project, plus the modules they import with ``*``. Each has a role
    (production, dev, test) and says whether production runs it."""
    found: dict[str, SettingsModule] = {}
    for dj in django_projects:
        named = _named_settings(project, dj)
        for dotted_name, source in named:
            path = python_index.module_file(dotted_name)
            if path is None or not path.startswith(dj.folder):
                continue
            mod = found.setdefault(path, SettingsModule(path, dotted_name, []))
            if source not in mod.sources:
                mod.sources.append(source)
        if not any(m.path.startswith(dj.folder) for m in found.values()):
            prefix = dj.folder + "/" if dj.folder else ""
            for path in project.paths:
                if not path.startswith(prefix) or not path.endswith(".py") or is_test_path(path):
                    continue
                parts = path.split("/")
                if parts[-1] == "settings.py" or (len(parts) > 1 and parts[-2] == "settings" and parts[-1] == "__init__.py"):
                    file = project.file(path)
                    if file is not None and file.contains_any(DJANGO_MARKERS):
                        fallback = path[len(prefix):].removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
                        dotted_name = python_index.module_name(path) or fallback
                        found.setdefault(path, SettingsModule(path, dotted_name, ["fallback"]))
    for mod in found.values():
        mod.role = _role(mod.dotted, mod.path, mod.sources)
    # Modules pulled in with `from .base import *`.
    queue = list(found.values())
    while queue:
        mod = queue.pop()
        for target, _node in _star_imports(python_index, mod.path):
            if target not in mod.star_imports:
                mod.star_imports.append(target)
            if target not in found:
                dotted_name = python_index.module_name(target) or target.removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
                new = SettingsModule(target, dotted_name, ["import"])
                new.role = _role(dotted_name, target, [])
                found[target] = new
                queue.append(new)
    # What production runs: its modules and what they import outside development branches.
    queue = [m for m in found.values() if m.role == "production" and m.sources != ["import"]]
    if not queue:
        queue = [m for m in found.values() if m.role == "production"]
    while queue:
        mod = queue.pop()
        if mod.production:
            continue
        mod.production = True
        for target, node in _star_imports(python_index, mod.path):
            if _branch_of_node(python_index.module(mod.path), node) in ("dev", "test"):
                continue
            imported = found.get(target)
            if imported is not None and imported.role != "test":
                queue.append(imported)
    return dict(sorted(found.items()))


@fact
def project_settings(settings_modules: dict[str, SettingsModule]) -> set[str]:
    """Paths of the settings modules production runs: the ones the settings rules check
    (test-only and local-development modules excluded)."""
    return {p for p, m in settings_modules.items() if m.production}


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


def statements(tree: ast.Module, block: "PresetBlock | None" = None) -> Iterator[Statement]:
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

UPLOAD_EXTRAS = {"storages", "wagtail"}
PRESET = object()  # the value the preset itself sets (from the environment)

# What ModelWDjango's ``pre_*`` hooks set when the block is entered (model-w-reference §2.2):
# a value of the same name before the block (``base.py``) never reaches production.
PRESET_SETS = (
    "BASE_DIR", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST",
    "DEFAULT_AUTO_FIELD", "LOGGING_CONFIG", "DATABASES", "PASSWORD_HASHERS", "USE_I18N", "USE_L10N", "TIME_ZONE",
    "USE_TZ", "STATIC_URL", "STATIC_ROOT", "MIDDLEWARE", "TEMPLATES", "WAILER_EMAIL_TYPES", "WAILER_SMS_TYPES", "BASE_URL",
)
S3_DEFAULT = "storages.backends.s3boto3.S3Boto3Storage"


def preset_storages(block: PresetBlock, preset_extras: set[str], python_dependencies: list) -> tuple[Any, str]:
    """Whether the preset turns its S3 storages on (True, False or :data:`UNKNOWN`), and why:
    ``enable_storages=`` when given, else ModelWDjango's default (on when django-storages is
    installed: the ``storages`` or ``wagtail`` extra, or a direct dependency)."""
    value = block.kwarg("enable_storages")
    if value is True:
        return True, "enable_storages=True"
    if value is False:
        return False, "enable_storages=False"
    if value is UNKNOWN:
        return UNKNOWN, "enable_storages is not a literal, or a preset subclass decides"
    if UPLOAD_EXTRAS & preset_extras or any(d.name == "django-storages" for d in python_dependencies):
        return True, "the storages (or wagtail) extra of modelw-preset-django"
    return False, "neither the storages nor the wagtail extra of modelw-preset-django, nor enable_storages=True"


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


def deletion_fix(rule: Any, file: Any, st: Statement, description: str) -> Any:
    """A fix deleting the statement, offered only for one that sits directly in the preset
    block (where deleting an override lets the preset's own value apply); else None."""
    from modelw_lint.lang.pyast import delete_statement_edit

    if st.where != "block" or not st.direct:
        return None
    edit = delete_statement_edit(file, st.stmt, st.siblings)
    return rule.make_fix(description, [edit]) if edit else None


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
            self._reads[path] = (None, {}) if info is None else (EnvReads(info.tree, info.imports, self.index, path),
                                                                  module_bindings(info.tree))
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
    storages = preset_storages(block, preset_extras, python_dependencies)[0]
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
