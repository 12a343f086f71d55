"""What the layout rules share: which package.json is a JS front, where to anchor findings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..facts import key_line

FRONT_FRAMEWORKS = (
    "nuxt", "@sveltejs/kit", "svelte", "vue", "next", "react", "react-dom", "react-scripts",
    "@angular/core", "vite", "gatsby", "@remix-run/react",
)
# Top-level components Model W allows beside api/ and front/ (bot, docs, sdk…): never a front.
OTHER_COMPONENTS = {"bot", "doc", "docs", "sdk", "e2e", "tools", "scripts"}


def is_js_front(project: Any, package_json: str) -> bool:
    """A package.json whose dependencies name a front-end framework (not just tooling)."""
    file = project.file(package_json)
    data = file.parsed if file is not None else None
    if not isinstance(data, dict):
        return False
    names = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(data.get(key), dict):
            names.update(data[key])
    return any(n in names for n in FRONT_FRAMEWORKS) or any(n.startswith("@model-w/preset-") for n in names)


def anchor(project: Any, *candidates: str) -> str:
    """The first candidate that exists, else README.md, else the first file of the repo."""
    for path in (*candidates, "README.md", "README.rst", "README", ".gitignore"):
        if path and project.exists(path):
            return path
    paths = project.paths
    return paths[0] if paths else "."


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


def fronts(project: Any, components: dict) -> list[Front]:
    out = []
    for comp in components.values():
        if not comp.package_json or comp.name in OTHER_COMPONENTS:
            continue
        if comp.name != "front" and not is_js_front(project, comp.package_json):
            continue
        file = project.file(comp.package_json)
        data = file.parsed if file is not None else None
        if not isinstance(data, dict):
            continue
        deps: dict[str, str] = {}
        for key in ("dependencies", "devDependencies"):
            if isinstance(data.get(key), dict):
                deps.update({k: str(v) for k, v in data[key].items()})
        if "@sveltejs/kit" in deps or "@model-w/preset-sveltekit" in deps:
            framework, key = "sveltekit", "@sveltejs/kit" if "@sveltejs/kit" in deps else "@model-w/preset-sveltekit"
        elif "@model-w/preset-nuxt3" in deps:
            framework, key = "nuxt3", "@model-w/preset-nuxt3"
        elif "nuxt" in deps:
            major = _major(deps["nuxt"])
            framework, key = ("nuxt2" if major == 2 else "nuxt3"), "nuxt"
        elif "next" in deps:
            framework, key = "next", "next"
        elif "@angular/core" in deps:
            framework, key = "angular", "@angular/core"
        elif "react" in deps:
            framework, key = "react", "react"
        elif "vue" in deps:
            framework, key = "vue", "vue"
        elif "svelte" in deps:
            framework, key = "sveltekit", "svelte"
        else:
            framework, key = "unknown", ""
        out.append(Front(file.path, framework, key_line(file.text, key) if key else 1, deps))
    return out
