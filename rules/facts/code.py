"""The code a project ships: back-end Python, front sources, and the Sentry initialisations
in it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from modelw_lint.lang.pyast import ImportMap, dotted, find

from .components import Component, DjangoProject
from .paths import is_project_code, is_test_path, is_tooling_path, name_of, parent
from .python_file import UPLOAD_FIELD_NAMES
from .registry import fact
from .settings import SettingsModule

FRONT_SOURCE_EXTENSIONS = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".svelte", ".vue")
DJANGO_INTEGRATION = "sentry_sdk.integrations.django.DjangoIntegration"


@fact
def project_python(project: Any, settings_modules: dict[str, SettingsModule], python_packages_apart: set[str]) -> set[str]:
    """Python files a project ships: not tests, not migrations, not test-only settings, not
    the code of a Python package the repository holds beside the back-end (a client SDK)."""
    test_settings = {p for p, m in settings_modules.items() if m.is_test}
    apart = tuple(f + "/" for f in python_packages_apart)
    return {
        f.path for f in project.files("python")
        if is_project_code(f.path) and f.path not in test_settings and not (apart and f.path.startswith(apart))
    }


PACKAGE_MANIFESTS = ("pyproject.toml", "setup.py", "setup.cfg")


@fact
def python_packages_apart(project: Any, django_projects: list[DjangoProject], components: dict[str, Component]) -> set[str]:
    """Folders holding a Python package of their own (``pyproject.toml``, ``setup.py``)
    outside every Django project (not the folder of a ``manage.py`` nor one above it): a
    client SDK its users import, a tool. Their code is not the back-end's, unless the
    back-end's manifests name the folder (a path dependency: ``{path = "../sdk"}``, ``-e ../sdk``)."""
    if not django_projects:
        return set()
    folders = {parent(p) for p in project.paths if name_of(p) in PACKAGE_MANIFESTS and not is_test_path(p) and not is_tooling_path(p)}
    manifests = []
    for comp in components.values():
        for path in [comp.pyproject, *comp.requirements]:
            file = project.file(path) if path else None
            manifests.append((file.text if file is not None else None) or "")
    out = set()
    for folder in sorted(folders):
        if not folder or any(dj.folder == folder or dj.folder.startswith(folder + "/") for dj in django_projects):
            continue  # the back-end's own package, or one above it
        if any(dj.folder and folder.startswith(dj.folder + "/") for dj in django_projects):
            continue  # inside a back-end's folder: its code, as far as modelw-lint can tell
        if any(_names_folder(text, folder) for text in manifests):
            continue  # the back-end installs it
        out.add(folder)
    return out


def _names_folder(text: str, folder: str) -> bool:
    """Whether a manifest names ``folder`` as a path (``path = "../sdk"``, ``-e ./sdk``,
    ``file:../clients/python``)."""
    pattern = rf"""(?:^|[\s"'=:/])(?:\.\.?/)*{re.escape(folder)}/?(?=[\s"',\]}}#]|$)"""
    return bool(re.search(pattern, text, re.M))


# Folders and names of front code that never runs in the deployed front: built output,
# tests, Storybook stories, mocks and fixtures.
NOT_SHIPPED_FOLDERS = {
    "static", "public", "dist", "build", "__mocks__", "mocks", "mock", "__fixtures__", "fixtures", "stories", ".storybook",
    "storybook", "e2e", "cypress", "playwright", "__snapshots__",
}
NOT_SHIPPED_NAME = re.compile(r"\.(?:stories|story|spec|test|mock|mocks|fixture|fixtures|e2e)\.[cm]?[jt]sx?$|^mockServiceWorker\.js$")


@fact
def front_sources(project: Any, components: dict[str, Component]) -> set[str]:
    """JS/TS/Svelte/Vue sources and config of the JS components: not tests (``*.spec.ts``,
    ``*.test.ts``, ``e2e/``), Storybook stories, mocks, fixtures or built output."""
    folders = [c.name for c in components.values() if c.package_json and c.name]
    return {
        p for p in project.paths
        if p.endswith(FRONT_SOURCE_EXTENSIONS) and p.split("/")[0] in folders and not is_test_path(p)
        and not any(part in NOT_SHIPPED_FOLDERS for part in p.split("/")[1:-1]) and not NOT_SHIPPED_NAME.search(name_of(p))
    }


@fact
def code_files(project_python: set[str], front_sources: set[str]) -> set[str]:
    """The code a project ships: back-end Python and front sources."""
    return project_python | front_sources


@fact
def config_and_settings(config_files: set[str], project_settings: set[str]) -> set[str]:
    """Configuration files and the settings modules the settings rules check."""
    return config_files | project_settings


_UPLOAD_FIELD = re.compile(r"\b(FileField|ImageField)\b")


@fact
def upload_fields(project: Any, project_python: set[str]) -> tuple[str, int] | None:
    """Where the back-end first declares an upload (a Django ``FileField`` or ``ImageField``,
    resolved through imports; migrations are not code): (path, line), or None."""
    for path in sorted(project_python):
        file = project.file(path)
        if file is None or not file.contains_any(UPLOAD_FIELD_NAMES) or not _UPLOAD_FIELD.search(file.text or ""):
            continue
        for field in project.file_fact("upload_field_calls", file):
            if field.qualified.startswith("django."):
                return path, field.call.lineno
    return None


@dataclass
class SentryInit:
    path: str
    call: ast.Call
    line: int
    django_integration: bool


@fact
def sentry_unread(project: Any, project_python: set[str]) -> list[str]:
    """Project files that mention ``sentry_sdk`` but could not be parsed: a
    ``sentry_sdk.init()`` in them cannot be seen, so its absence cannot be concluded."""
    return sorted(
        path for path in project_python
        if (file := project.file(path)) is not None and file.contains("sentry_sdk") and file.tree is None
    )


@fact
def sentry_inits(project: Any, project_python: set[str]) -> list[SentryInit]:
    """Every ``sentry_sdk.init(...)`` call in project code (names resolved through imports),
    and whether it integrates Django (``DjangoIntegration()`` in its arguments, or in a list
    the module builds: ``integrations=integrations``)."""
    out = []
    for path in sorted(project_python):
        file = project.file(path)
        if file is None or not file.contains("sentry_sdk") or file.tree is None:
            continue
        imports = project.file_fact("imports", file)
        bindings = {
            t.id: stmt.value for stmt in ast.walk(file.tree) if isinstance(stmt, ast.Assign) for t in stmt.targets if isinstance(
                t,
                ast.Name,
            )
        }
        for call in find(file.tree, ast.Call):
            if imports.resolve(call.func) != "sentry_sdk.init":
                continue
            out.append(SentryInit(path, call, call.lineno, _mentions(call, DJANGO_INTEGRATION, imports, bindings)))
    return out


def _mentions(node: ast.AST, qualname: str, imports: ImportMap, bindings: dict[str, ast.expr], depth: int = 0) -> bool:
    """Whether ``qualname`` is used in ``node``, or in a value a name in it is bound to."""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)) and imports.resolve(sub) == qualname:
            return True
        if isinstance(sub, ast.Name) and sub.id in bindings and depth < 4 and bindings[sub.id] is not node:
            if _mentions(bindings[sub.id], qualname, imports, bindings, depth + 1):
                return True
    return False


__all__ = ["dotted"]
