"""Where the repository starts and which files it holds."""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass

import pathspec

CONFIG_FILES = ("modelw-lint.toml", ".modelw-lint.toml")

# Never part of a project's own code, whatever the ignore files say.
SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".modelw-lint-cache", ".cache",
        "build", "dist", "site-packages", ".eggs", ".next", ".nuxt", ".output", ".svelte-kit",
        "htmlcov", ".idea", ".vscode",
    }
)


def find_root(start: str) -> str:
    """The nearest ancestor of ``start`` holding ``.git`` or a modelw-lint config, else ``start``."""
    start = os.path.abspath(start)
    if os.path.isfile(start):
        start = os.path.dirname(start)
    current = start
    while True:
        if os.path.exists(os.path.join(current, ".git")) or any(
            os.path.isfile(os.path.join(current, name)) for name in CONFIG_FILES
        ):
            return current
        if _has_pyproject_config(current):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return start
        current = parent


def _has_pyproject_config(folder: str) -> bool:
    path = os.path.join(folder, "pyproject.toml")
    try:
        with open(path, "rb") as fh:
            return b"[tool.modelw-lint" in fh.read(1_000_000)
    except OSError:
        return False


@dataclass
class Inventory:
    files: dict[str, bool | None]  # relative POSIX path -> tracked by git (None: not a git tree)
    git: bool


def _skipped(parts: list[str]) -> bool:
    return any(p in SKIP_DIRS or p.endswith(".egg-info") for p in parts)


def list_files(root: str) -> Inventory:
    """Files of the repository at ``root``: git's view when inside a work tree, else a walk."""
    files = _git_files(root)
    if files is not None:
        return Inventory(files, True)
    return Inventory({path: None for path in _walk(root)}, False)


def _git_files(root: str) -> dict[str, bool] | None:
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    files: dict[str, bool] = {}
    entries = [e for e in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if len(e) >= 3]
    # A virtualenv with an unusual name is recognised by its pyvenv.cfg (listed by git when
    # untracked and not ignored).
    venvs = {e[2:].rsplit("/", 1)[0] + "/" for e in entries if e.endswith("/pyvenv.cfg")}
    for entry in entries:
        tag, path = entry[0], entry[2:]
        parts = path.split("/")
        if _skipped(parts[:-1]) or (venvs and any(path.startswith(v) for v in venvs)):
            continue
        full = root + "/" + path
        try:
            st = os.lstat(full)
        except OSError:
            continue  # deleted in the work tree, still in the index
        if stat.S_ISLNK(st.st_mode) and not _link_inside(root, full):
            continue
        files[path] = files.get(path, False) or tag != "?"
    return files


def _link_inside(root: str, path: str) -> bool:
    """A symlink is followed only when it resolves inside the root (loops resolve nowhere)."""
    try:
        target = os.path.realpath(path, strict=False)
    except (OSError, RuntimeError):
        return True  # a loop: keep it, reading it reports the problem
    real_root = os.path.realpath(root)
    if not os.path.lexists(target) or os.path.islink(target):
        return True  # dangling or looping: reported when read
    return target == real_root or target.startswith(real_root + os.sep)


def _walk(root: str):
    """A walk that honours every ``.gitignore`` on the way down and never follows dir symlinks."""
    specs: list[tuple[str, pathspec.PathSpec]] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        for base, spec in specs:
            if base and not rel.startswith(base + "/"):
                continue
            sub = rel[len(base) + 1 :] if base else rel
            if spec.match_file(sub + ("/" if is_dir else "")):
                return True
        return False

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        specs[:] = [(b, s) for b, s in specs if not b or rel_dir == b or rel_dir.startswith(b + "/")]
        if ".gitignore" in filenames:
            try:
                with open(os.path.join(dirpath, ".gitignore"), encoding="utf-8", errors="replace") as fh:
                    specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(fh)))
            except OSError:
                pass
        keep = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            full = os.path.join(dirpath, d)
            if d in SKIP_DIRS or d.endswith(".egg-info") or os.path.islink(full):
                continue
            if os.path.isfile(os.path.join(full, "pyvenv.cfg")) or ignored(rel, True):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            full = os.path.join(dirpath, name)
            if ignored(rel, False):
                continue
            if os.path.islink(full) and not _link_inside(root, full):
                continue
            yield rel
