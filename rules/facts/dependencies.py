"""Declared dependencies: the back-end's pyproject.toml (Poetry or PEP 621) and requirements
files, the fronts' package.json, and what the lock files beside them resolve (poetry.lock,
uv.lock, package-lock.json, pnpm-lock.yaml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .components import Component, DjangoProject
from .paths import is_project_code, name_of
from .registry import fact
from .text import key_line, table  # noqa: F401  (re-exported for the rules)


@dataclass
class Dependency:
    name: str  # normalised (PEP 503)
    spec: str
    extras: tuple[str, ...]
    path: str
    line: int
    group: str = "main"


@dataclass
class FrontDependency:
    name: str
    version: str  # the range package.json declares
    path: str
    line: int
    dev: bool
    locked: str = ""  # the version the lock file beside it resolves ("" without a lock)
    lock: str = ""  # that lock file


@dataclass
class FrontLock:
    """What a front's lock file resolves: {package: version} for its direct dependencies."""

    path: str
    versions: dict[str, str]


FRONT_LOCKS = ("pnpm-lock.yaml", "package-lock.json")  # pnpm from 2026.10, npm before


def front_lock(project: Any, package_json: str) -> FrontLock | None:
    """The lock file beside a front's package.json (pnpm's first: a front on pnpm may still
    carry an old package-lock.json), read for the versions of its direct dependencies."""
    folder = package_json.rsplit("/", 1)[0] + "/" if "/" in package_json else ""
    for name in FRONT_LOCKS:
        file = project.file(folder + name)
        if file is None or file.text is None:
            continue
        if name == "pnpm-lock.yaml":
            return FrontLock(file.path, pnpm_direct_versions(file.text))
        data = file.parsed
        if not isinstance(data, dict):
            continue
        versions: dict[str, str] = {}
        packages = data.get("packages")
        for key, package in packages.items() if isinstance(packages, dict) else []:
            if key.startswith("node_modules/") and "/node_modules/" not in key[13:] and isinstance(package, dict) \
                    and isinstance(package.get("version"), str):
                versions[key[len("node_modules/"):]] = package["version"]
        old = data.get("dependencies")  # lockfileVersion 1
        for dep, package in old.items() if isinstance(old, dict) else []:
            if isinstance(package, dict) and isinstance(package.get("version"), str):
                versions.setdefault(dep, package["version"])
        return FrontLock(file.path, versions)
    return None


def _yaml_key_line(line: str) -> tuple[int, str, str] | None:
    """(indent, key, value) of a block-mapping line ``  key: value`` (quoted keys too), None
    for other lines; string operations only, linear in the line."""
    stripped = line.lstrip(" ")
    if not stripped or stripped[0] in "#-" or stripped.startswith(("{", "[")):
        return None
    if stripped[0] in "'\"":
        close = stripped.find(stripped[0], 1)
        if close < 0:
            return None
        key, rest = stripped[1:close], stripped[close + 1:]
    else:
        colon = stripped.find(":")
        if colon < 0:
            return None
        key, rest = stripped[:colon].rstrip(), stripped[colon:]
    if not rest.startswith(":") or (len(rest) > 1 and rest[1] not in " \t\r"):
        return None
    return len(line) - len(stripped), key, rest[1:].strip()


def pnpm_direct_versions(text: str) -> dict[str, str]:
    """The versions ``pnpm-lock.yaml`` resolves for the root project's direct dependencies,
    read line by line (a lock file is large; only the root importer matters): lockfile v6/v9
    ``importers: {.: {dependencies: {name: {specifier, version}}}}``, v6 without workspace
    ``dependencies: {name: {specifier, version}}``, v5 ``dependencies: {name: version}``. Peer
    suffixes are dropped (``2026.10.1(svelte@5.57.1)`` is 2026.10.1); links are skipped."""
    sections = ("dependencies", "devDependencies", "optionalDependencies")
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in text.split("\n"):
        parsed = _yaml_key_line(line)
        if parsed is None:
            continue
        indent, key, value = parsed
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = [k for _i, k in stack]
        name = None
        if len(path) == 2 and path[0] in sections and key == "version":  # v6: dependencies > name > version
            name = path[1]
        elif len(path) == 4 and path[:2] == ["importers", "."] and path[2] in sections and key == "version":
            name = path[3]
        elif len(path) == 1 and path[0] in sections and value and not value.startswith(("{", "|", ">")):  # v5
            name, value = key, value
        if name is not None:
            version = value.strip("'\"").split("(", 1)[0].split("_", 1)[0]
            if version and not version.startswith(("link:", "file:", "workspace:")):
                out.setdefault(name, version)
        if not value:
            stack.append((indent, key))
    return out


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")


def _requirement(line: str) -> tuple[str, tuple[str, ...], str] | None:
    m = _REQ.match(line)
    if not m or line.lstrip().startswith(("-", "#")):
        return None
    extras = tuple(e.strip() for e in (m.group(2) or "[]")[1:-1].split(",") if e.strip())
    return m.group(1), extras, m.group(3).strip()


def _pyproject_deps(path: str, data: dict, text: str) -> list[Dependency]:
    out = []
    poetry = table(data, "tool", "poetry")
    groups = [("main", poetry.get("dependencies", {})), ("dev", poetry.get("dev-dependencies", {}))]
    for gname, group in table(poetry, "group").items():
        if isinstance(group, dict):
            groups.append((gname, group.get("dependencies", {})))
    for gname, deps in groups:
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if name.lower() == "python":
                continue
            extras: tuple[str, ...] = ()
            if isinstance(spec, dict):
                extras = tuple(str(e) for e in spec.get("extras", ()) or () if isinstance(e, str))
                version = str(spec.get("version", ""))
            elif isinstance(spec, list):
                version = ",".join(str(s.get("version", "")) for s in spec if isinstance(s, dict))
            else:
                version = str(spec)
            out.append(Dependency(normalise(name), version, extras, path, key_line(text, name), gname))
    pep621 = table(data, "project")
    lists = [("main", pep621.get("dependencies", []))]
    lists += list(table(pep621, "optional-dependencies").items())
    lists += list(table(data, "dependency-groups").items())
    for gname, deps in lists:
        if not isinstance(deps, list):
            continue
        for entry in deps:
            if not isinstance(entry, str):
                continue
            req = _requirement(entry)
            if req:
                name, extras, spec = req
                out.append(Dependency(normalise(name), spec, extras, path, key_line(text, name), gname))
    return out


@fact
def python_dependencies(project: Any, components: dict[str, Component], django_projects: list[DjangoProject]) -> list[Dependency]:
    """Direct dependencies declared by the back-end: its pyproject.toml (Poetry or PEP 621)
    and its requirements files (``requirements.txt``, ``requirements/*.txt``)."""
    folders = {dj.component for dj in django_projects}
    if "api" in components:
        folders.add("api")
    out: list[Dependency] = []
    for folder in sorted(folders):
        comp = components.get(folder)
        if comp is None:
            continue
        if comp.pyproject:
            file = project.file(comp.pyproject)
            if file is not None and isinstance(file.parsed, dict):
                out.extend(_pyproject_deps(file.path, file.parsed, file.text))
        for req in comp.requirements:
            file = project.file(req)
            if file is None or file.text is None:
                continue
            group = "dev" if re.search(r"dev|test|local", name_of(req)) else "main"
            for number, line in enumerate(file.lines(), 1):
                parsed = _requirement(line)
                if parsed:
                    name, extras, spec = parsed
                    out.append(Dependency(normalise(name), spec, extras, req, number, group))
    return out


@fact
def front_dependencies(project: Any, components: dict[str, Component]) -> list[FrontDependency]:
    """dependencies and devDependencies of every component's package.json, with the version
    the lock file beside it resolves (pnpm-lock.yaml or package-lock.json)."""
    out = []
    for comp in components.values():
        if not comp.package_json:
            continue
        file = project.file(comp.package_json)
        data = file.parsed if file is not None else None
        if not isinstance(data, dict):
            continue
        lock = front_lock(project, comp.package_json)
        for key, dev in (("dependencies", False), ("devDependencies", True)):
            deps = data.get(key)
            if isinstance(deps, dict):
                for name, version in deps.items():
                    dep = FrontDependency(str(name), str(version), file.path, key_line(file.text, str(name)), dev)
                    if lock is not None and str(name) in lock.versions:
                        dep.locked, dep.lock = lock.versions[str(name)], lock.path
                    out.append(dep)
    return out


PRESET = "modelw-preset-django"
# Where dependencies are declared: what rules about dependencies read (hook mode runs them
# when one of these changes).
DEPENDENCY_FILES = ("pyproject.toml", "**/pyproject.toml", "**/requirements*.txt", "**/requirements/*.txt", "**/requirements/*.in")


def preset_dependency(python_dependencies: list[Dependency]) -> Dependency | None:
    return next((d for d in python_dependencies if d.name == PRESET), None)


@fact
def preset_extras(python_dependencies: list[Dependency]) -> set[str]:
    """The extras of the modelw-preset-django dependency (``storages``, ``celery``…)."""
    return {e for d in python_dependencies if d.name == PRESET for e in d.extras}


@fact
def celery_in_use(project: Any, python_dependencies: list[Dependency], preset_extras: set[str]) -> bool:
    """Celery is a dependency (directly or through the preset's extra), or a celery app exists."""
    if "celery" in preset_extras or any(d.name == "celery" for d in python_dependencies):
        return True
    for path in project.paths:
        if name_of(path) in ("celery.py", "celery_app.py") and is_project_code(path):
            file = project.file(path)
            if file is not None and file.contains("Celery("):
                return True
    return False


@dataclass
class Locked:
    """Versions a lock file pins: {normalised name: version} for the back-end and the front."""

    python: dict[str, str]
    front: dict[str, str]
    files: list[str]


@fact
def locked_versions(project: Any, components: dict[str, Component]) -> Locked:
    """What the lock files pin (poetry.lock, uv.lock beside the back-end's pyproject.toml;
    pnpm-lock.yaml or package-lock.json beside the front's package.json), for fixes that must
    accept the version a project really runs."""
    python: dict[str, str] = {}
    front: dict[str, str] = {}
    files: list[str] = []
    for comp in components.values():
        if comp.pyproject:
            folder = comp.pyproject.rsplit("/", 1)[0] if "/" in comp.pyproject else ""
            for name in ("poetry.lock", "uv.lock"):
                path = f"{folder}/{name}" if folder else name
                file = project.file(path)
                if file is None or file.kind != "other":
                    continue
                try:
                    data = tomllib.loads(file.text or "")
                except (tomllib.TOMLDecodeError, RecursionError):
                    continue
                files.append(path)
                for package in data.get("package", []) if isinstance(data.get("package"), list) else []:
                    if isinstance(package, dict) and isinstance(package.get("name"), str) and isinstance(package.get("version"), str):
                        python[normalise(package["name"])] = package["version"]
        if comp.package_json:
            lock = front_lock(project, comp.package_json)
            if lock is not None:
                files.append(lock.path)
                front.update(lock.versions)
    return Locked(python, front, files)
