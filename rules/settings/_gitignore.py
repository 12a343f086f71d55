"""Whether a path is ignored by the repository's .gitignore files (as git would decide)."""

from __future__ import annotations

from typing import Any


def is_ignored(project: Any, path: str) -> bool:
    from modelw_lint.globs import gitignore_spec  # imported when asked: most runs (hooks on Python files) never ask

    parts = path.split("/")
    ignored = False
    for depth in range(len(parts)):
        folder = "/".join(parts[:depth])
        gitignore = f"{folder}/.gitignore" if folder else ".gitignore"
        file = project.file(gitignore)
        if file is None or file.text is None:
            continue
        spec = gitignore_spec(file.text.splitlines())
        rel = "/".join(parts[depth:])
        result = spec.check_file(rel)
        if result.include is not None:
            ignored = bool(result.include)
    return ignored
