"""What the layout rules share: which package.json is a JS front, where to anchor findings."""

from __future__ import annotations

from typing import Any

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
