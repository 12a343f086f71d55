"""Which modules are Django settings: named by ``DJANGO_SETTINGS_MODULE`` wherever a project sets
it (manage.py, wsgi/asgi, compose files, CI and deploy specs, pytest), what each is for
(production, development, tests), and the modules they star-import."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from modelw_lint.lang.pyindex import ModuleInfo, PythonIndex

from ..components import DjangoProject
from ..paths import is_dev_path, is_test_path, join, name_of, parent
from ..registry import fact
from .branches import _branch_of_node


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
