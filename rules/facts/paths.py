"""What a path says about a file: test code, migrations, development-only tooling."""

from __future__ import annotations

import re

TEST_DIRS = {"tests", "test", "__tests__", "bdd", "testing"}
NON_PROJECT_DIRS = TEST_DIRS | {"migrations"}
# Folders that hold development-only tooling: local images, dev containers, fixtures for dev.
DEV_DIRS = {".devcontainer", "local", "dev", "development", "devtools"}
_DEV_NAME = re.compile(r"(^|[._-])(dev|devel|development|local)([._-]|$)", re.I)


def is_test_path(path: str) -> bool:
    """tests/, test/, __tests__/, bdd/ and test_*/ folders (``test_utils/``, ``test_project/``),
    test_*.py, *_test.py and conftest.py."""
    parts = path.split("/")
    name = parts[-1]
    if any(p in TEST_DIRS or p.startswith("test_") for p in parts[:-1]):
        return True
    return name == "conftest.py" or name.startswith("test_") or name.endswith(("_test.py", "_tests.py"))


def is_tooling_path(path: str) -> bool:
    """Under a hidden top-level folder (``.github/``, ``.circleci/``, ``.devcontainer/``…):
    CI and editor tooling, never a component of the project, whatever it holds (a Django
    project CI builds to test upgrades, requirements for the CI's own tools)."""
    return path.startswith(".") and "/" in path


def is_project_code(path: str) -> bool:
    """Code a project ships: not tests, not migrations."""
    return not is_test_path(path) and not any(p == "migrations" for p in path.split("/")[:-1])


def is_dev_path(path: str) -> bool:
    """Development-only tooling by its place or name: ``compose/local/``, ``.devcontainer/``,
    ``docker/development/``, ``Dockerfile.dev``, ``docker-compose.local.yml``."""
    parts = path.split("/")
    if any(p.lower().lstrip(".") in DEV_DIRS or p.lower() in DEV_DIRS for p in parts[:-1]):
        return True
    return bool(_DEV_NAME.search(parts[-1]))


def normalise(path: str) -> str:
    """A repository-relative path with ``./``, empty parts and ``..`` folded, never above the
    root (``api/../front/./Dockerfile`` is ``front/Dockerfile``)."""
    parts: list[str] = []
    for part in path.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]
