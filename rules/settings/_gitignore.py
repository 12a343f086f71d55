"""Whether a path is ignored by the repository's .gitignore files (as git would decide), and
which ``.env`` files a front commits on purpose."""

from __future__ import annotations

from typing import Any


def is_ignored(project: Any, path: str) -> bool:
    from modelw_lint.lang.globs import gitignore_spec  # imported when asked: most runs (hooks on Python files) never ask

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


# Variables a front framework bakes into the public bundle at build time: a front's .env that
# holds only these is committed on purpose (Vite, SvelteKit, Nuxt, Next.js, CRA, Vue CLI…).
PUBLIC_PREFIXES = ("VITE_", "PUBLIC_", "NUXT_PUBLIC_", "NEXT_PUBLIC_", "REACT_APP_", "VUE_APP_", "GATSBY_", "EXPO_PUBLIC_")


def public_front_env(project: Any, path: str, front_folders: set[str]) -> bool:
    """Whether the .env file ``path`` belongs to a front (its folder holds the front's
    package.json) and holds only public build-time variables: a front framework's committed
    defaults, not secrets."""
    folder = path.rpartition("/")[0]
    if folder not in front_folders:
        return False
    file = project.file(path)
    entries = file.parsed if file is not None and file.kind == "dotenv" else None
    return bool(entries) and all(e.key.upper().startswith(PUBLIC_PREFIXES) for e in entries or [])
