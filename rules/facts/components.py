"""The components of a repository: Django projects, JS fronts, where their manifests are, and
the package roots their Python is imported from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from modelw_lint.lang.pyindex import PythonIndex

from .paths import is_test_path, is_tooling_path, join, name_of, parent
from .registry import fact
from .text import key_line

if TYPE_CHECKING:
    from .spec_formats import Spec

# Top-level components Model W allows beside api/ and front/ (bot, docs, sdk…): never the front.
OTHER_COMPONENTS = {"bot", "doc", "docs", "sdk", "e2e", "tools", "scripts", "infra", "deploy"}
# Packages that make a package.json an application (a front), not a library of components.
APP_FRAMEWORKS = (
    "nuxt", "@sveltejs/kit", "next", "react-scripts", "@angular/core", "vite", "gatsby", "@remix-run/react",
    "@vue/cli-service", "astro",
)
# UI libraries: a front when the package does not merely declare them as peer dependencies.
UI_LIBRARIES = ("svelte", "vue", "react", "react-dom")
FRONT_FRAMEWORKS = APP_FRAMEWORKS + UI_LIBRARIES
MAX_MANIFEST_DEPTH = 4  # folders below the root where manage.py or package.json may sit
_REQUIREMENTS = re.compile(r"requirements[\w.-]*\.(txt|in)$")


@dataclass
class Component:
    name: str  # the top-level folder ("" for the root itself)
    manage_py: str | None = None
    package_json: str | None = None  # the JS front's package.json (or the shallowest one)
    package_jsons: list[str] = field(default_factory=list)
    pyproject: str | None = None
    requirements: list[str] = field(default_factory=list)
    declared: str = ""  # where a deploy spec declares it as an image ("snow.yml, image web")

    def is_front(self, project: Any) -> bool:
        """A JS front: front/ with a package.json, a folder a deploy spec builds as an image
        with a package.json, or a package.json that names a front framework (not docs, bot…)."""
        if not self.package_json or self.name in OTHER_COMPONENTS:
            return False
        return self.name == "front" or bool(self.declared) or is_js_front(project, self.package_json)


@dataclass
class DjangoProject:
    folder: str  # where manage.py lives ("" = root)
    manage_py: str

    @property
    def component(self) -> str:
        return self.folder.split("/")[0] if self.folder else ""


def _depth(path: str) -> int:
    return path.count("/")


@fact
def django_projects(project: Any) -> list[DjangoProject]:
    """Every manage.py of the repository (a few levels deep at most, outside tests and CI or
    editor tooling folders)."""
    return [
        DjangoProject(parent(p), p)
        for p in project.paths
        if name_of(p) == "manage.py" and _depth(p) <= MAX_MANIFEST_DEPTH - 1 and not is_test_path(p) and not is_tooling_path(p)
    ]


def is_js_front(project: Any, package_json: str) -> bool:
    """A package.json of a front-end application: its dependencies name an application
    framework (SvelteKit, Nuxt, Next.js, Vite…) or a Model W preset, or a UI library it does
    not just declare as a peer dependency. A package of a JavaScript workspace published as a
    library (``packages/ui``, ``packages/hooks``: entry points such as ``exports``, ``module``
    or ``types``, peer dependencies, ``svelte-package``) is not a front, even built with Vite."""
    names = set(_package_deps(project, package_json))
    if any(n.startswith("@model-w/preset-") for n in names):
        return True
    file = project.file(package_json)
    data = file.parsed if file is not None else None
    library = is_js_library(data, names)
    if any(n in names for n in APP_FRAMEWORKS if n not in LIBRARY_BUILDERS) and not library:
        return True
    if library:
        return False
    if any(n in names for n in LIBRARY_BUILDERS):
        return True
    peers = data.get("peerDependencies") if isinstance(data, dict) else None
    peers = set(peers) if isinstance(peers, dict) else set()
    return any(n in names and n not in peers for n in UI_LIBRARIES)


# Build tools that make applications and libraries alike: an application only without the
# marks of a library.
LIBRARY_BUILDERS = ("vite",)
LIBRARY_FIELDS = ("exports", "module", "types", "typings", "svelte")


def is_js_library(data: Any, names: set[str]) -> bool:
    """Whether a package.json describes a library other packages import: entry points
    (``exports``, ``module``, ``types``, ``svelte``, a ``main`` into ``dist/``), peer
    dependencies, or a library packager (``@sveltejs/package``)."""
    if not isinstance(data, dict):
        return False
    if "@sveltejs/package" in names or any(key in data for key in LIBRARY_FIELDS):
        return True
    peers = data.get("peerDependencies")
    if isinstance(peers, dict) and peers:
        return True
    main = data.get("main")
    return isinstance(main, str) and main.lstrip("./").startswith(("dist/", "lib/", "build/"))


def _package_deps(project: Any, package_json: str) -> dict[str, str]:
    file = project.file(package_json)
    data = file.parsed if file is not None else None
    deps: dict[str, str] = {}
    if isinstance(data, dict):
        for key in ("dependencies", "devDependencies"):
            if isinstance(data.get(key), dict):
                deps.update({str(k): str(v) for k, v in data[key].items()})
    return deps


@fact
def components(project: Any, django_projects: list[DjangoProject], spec_models: dict[str, list[Spec]]) -> dict[str, Component]:
    """Top-level folders holding a Django project or a package.json (plus api/ and front/ if
    present, and the folders a snow.yml builds as images, whatever their name), with their
    manifests: the pyproject.toml and requirements files of the back-end (in the folder, next
    to manage.py or in a ``requirements/`` folder) and the front's package.json (up to three
    folders deep: ``apps/web/package.json``)."""
    found: dict[str, Component] = {}
    for dj in django_projects:
        comp = found.setdefault(dj.component, Component(dj.component))
        comp.manage_py = comp.manage_py or dj.manage_py
    for path in project.paths:
        if name_of(path) == "package.json" and _depth(path) <= MAX_MANIFEST_DEPTH - 1 and not is_test_path(path) \
                and not is_tooling_path(path):
            top = path.split("/")[0] if "/" in path else ""
            found.setdefault(top, Component(top)).package_jsons.append(path)
    for folder in ("api", "front"):
        if project.dir_exists(folder):
            found.setdefault(folder, Component(folder))
    for path, specs in spec_models.items():
        for image in (i for spec in specs for i in spec.images):
            top = image.folder.split("/")[0]
            if top and not top.startswith(".") and project.dir_exists(top):
                found.setdefault(top, Component(top)).declared = f"{path}, image {image.id}"
    for comp in found.values():
        comp.package_jsons.sort(key=lambda p: (_depth(p), p))
        fronts = [p for p in comp.package_jsons if is_js_front(project, p)]
        comp.package_json = (fronts or comp.package_jsons or [None])[0]  # type: ignore[list-item]  # None: no package.json
        folders = _backend_folders(comp, django_projects)
        comp.pyproject = next((join(f, "pyproject.toml") for f in folders if project.exists(join(f, "pyproject.toml"))), None)
        comp.requirements = sorted(
            p for p in project.paths
            if (_REQUIREMENTS.search(name_of(p)) and parent(p) in folders)
            or (name_of(parent(p)) == "requirements" and parent(parent(p)) in folders and p.endswith((".txt", ".in")))
        )
    return dict(sorted(found.items()))


def _backend_folders(comp: Component, django_projects: list[DjangoProject]) -> list[str]:
    """Where a component's back-end manifests may be, nearest to manage.py first: the
    manage.py folder and each folder up to the component's own."""
    out: list[str] = []
    for dj in django_projects:
        if dj.component != comp.name:
            continue
        folder = dj.folder
        while True:
            if folder not in out:
                out.append(folder)
            if folder == comp.name or not folder:
                break
            folder = parent(folder)
    if comp.name not in out:
        out.append(comp.name)
    return out


# -- which front framework a JS component is on ----------------------------------------------


@dataclass
class Front:
    path: str  # the package.json
    framework: str  # sveltekit, nuxt3, nuxt2, next, react, angular, vue, unknown
    line: int  # where the framework's dependency is declared
    deps: dict[str, str]


def _major(version: str) -> int | None:
    m = re.search(r"(\d+)", version or "")
    return int(m.group(1)) if m else None


@fact
def fronts(project: Any, components: dict[str, Component]) -> list[Front]:
    """The JS fronts of the repository and their framework (``front/`` always counts, and a
    folder a deploy spec builds as an image; other components when their package.json names a
    front framework)."""
    out = []
    for comp in components.values():
        if not comp.is_front(project):
            continue
        file = project.file(comp.package_json) if comp.package_json else None
        if file is None or not isinstance(file.parsed, dict):
            continue
        deps = _package_deps(project, file.path)
        framework, key = _framework(deps)
        out.append(Front(file.path, framework, key_line(file.text, key) if key else 1, deps))
    return out


def _framework(deps: dict[str, str]) -> tuple[str, str]:
    if "@sveltejs/kit" in deps or "@model-w/preset-sveltekit" in deps:
        return "sveltekit", "@sveltejs/kit" if "@sveltejs/kit" in deps else "@model-w/preset-sveltekit"
    if "@model-w/preset-nuxt3" in deps:
        return "nuxt3", "@model-w/preset-nuxt3"
    if "nuxt" in deps:
        return ("nuxt2" if _major(deps["nuxt"]) == 2 else "nuxt3"), "nuxt"
    for name, framework in (("next", "next"), ("@angular/core", "angular"), ("react", "react"), ("vue", "vue"), ("svelte", "sveltekit")):
        if name in deps:
            return framework, name
    return "unknown", ""


def anchor(project: Any, *candidates: str) -> str:
    """The first candidate that exists, else README.md, else the first file of the repo."""
    for path in (*candidates, "README.md", "README.rst", "README", ".gitignore"):
        if path and project.exists(path):
            return path
    paths = project.paths
    return paths[0] if paths else "."


# -- the Python of the back-end ----------------------------------------------------------------


@fact
def python_roots(project: Any, django_projects: list[DjangoProject], components: dict[str, Component]) -> list[str]:
    """Folders the back-end's modules are imported from, most specific first: Poetry's
    ``packages`` (``{include = "acme", from = "src"}``), ``src/`` layouts, each manage.py
    folder (Django puts it on ``sys.path``), then each back-end component and the root."""
    roots: list[str] = []

    def add(folder: str) -> None:
        if folder not in roots:
            roots.append(folder)

    for comp in components.values():
        if comp.pyproject is None or comp.manage_py is None:
            continue
        base = parent(comp.pyproject)
        for include, source in poetry_packages(project, comp.pyproject):
            add(join(base, source) if source else base)
    for dj in django_projects:
        if project.dir_exists(join(dj.folder, "src")):
            add(join(dj.folder, "src"))
        add(dj.folder)
    for comp in components.values():
        if comp.manage_py is not None:
            add(comp.name)
    add("")
    return roots


def poetry_packages(project: Any, pyproject: str) -> list[tuple[str, str]]:
    """(include, from) of ``[tool.poetry] packages = [{include = "acme", from = "src"}]``."""
    file = project.file(pyproject)
    data = file.parsed if file is not None else None
    tool = data.get("tool") if isinstance(data, dict) else None
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    packages = poetry.get("packages") if isinstance(poetry, dict) else None
    out = []
    for entry in packages if isinstance(packages, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("include"), str):
            source = entry.get("from")
            out.append((entry["include"].strip("/"), source.strip("/") if isinstance(source, str) else ""))
    return out


@fact
def python_index(project: Any, python_roots: list[str]) -> PythonIndex:
    """The static index of the back-end's Python (modules, bindings, class bases), built lazily:
    only the modules a question leads to are parsed."""
    return PythonIndex(project, python_roots)
