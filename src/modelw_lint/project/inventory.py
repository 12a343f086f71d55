"""Where the repository starts and which files it holds."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

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
    """The repository root for ``start`` (a folder or a file), the same whatever the entry point:
    the nearest folder whose configuration says ``root = true`` (a project inside a larger
    work tree: a monorepo of projects, a bundled example); else the top of the git work tree
    holding it; outside git, the outermost folder holding a modelw-lint configuration (so a
    component's own config, like ``api/pyproject.toml``, never makes ``api/`` the root); else
    ``start`` itself. The search never goes up into a folder anyone may write to (``/tmp``, a
    shared drop folder): a configuration anyone could have put there governs nothing."""
    start = os.path.abspath(start)
    if os.path.isfile(start):
        start = os.path.dirname(start)
    current = start
    outermost = None
    while True:
        table = config_table(current)
        if table is not None and table.get("root") is True:
            return current
        if os.path.exists(os.path.join(current, ".git")):
            return current
        if table is not None:
            outermost = current
        parent = os.path.dirname(current)
        if parent == current or _shared(parent):
            return outermost or start
        current = parent


def _shared(folder: str) -> bool:
    """Whether anyone may write to ``folder`` (world-writable, like /tmp)."""
    try:
        return bool(os.stat(folder).st_mode & stat.S_IWOTH)
    except OSError:
        return True


def root_note(start: str, root: str) -> str | None:
    """What a run must say when a parent folder's configuration, outside any git work tree,
    made that folder the root (None otherwise): it governs the run, and the user should know."""
    start = os.path.abspath(start)
    if os.path.isfile(start):
        start = os.path.dirname(start)
    if start == root or _inside_git(root) or config_table(root) is None:
        return None
    path = next(os.path.join(root, n) for n in (*CONFIG_FILES, "pyproject.toml") if os.path.lexists(os.path.join(root, n)))
    return f"{path}, the configuration of a parent folder that is not a git work tree, governs this run: {root} is the root"


def _inside_git(folder: str) -> bool:
    """Whether a folder is inside a git work tree (a .git in it or above it)."""
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def config_table(folder: str) -> dict[str, Any] | None:
    """The modelw-lint configuration held by ``folder`` (its dedicated file, else the
    ``[tool.modelw-lint]`` table of its pyproject.toml), None when it holds none; a file that
    cannot be read counts as a configuration with no settings (loading it says what is wrong)."""
    import tomllib

    from modelw_lint.project.safeio import UnsafePath, read_regular

    for name in (*CONFIG_FILES, "pyproject.toml"):
        path = os.path.join(folder, name)
        if not os.path.lexists(path):
            continue
        try:
            raw = read_regular(path, 4 * 1024 * 1024)
        except UnsafePath:
            if name == "pyproject.toml":
                continue
            return {}
        if name == "pyproject.toml" and b"[tool.modelw-lint" not in raw:
            continue
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            return {}
        table: Any = data
        if name == "pyproject.toml":
            tool = data.get("tool")
            table = tool.get("modelw-lint") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else {}
    return None


# git runs commands that a repository's own config names: core.fsmonitor on every command
# that looks at the work tree. Those are switched off; the commands used here run no hook,
# pager, external diff or textconv (the flags say so explicitly where they apply).
GIT_SAFETY = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "--no-pager")
# The GIT_* variables kept from the environment: which configuration files the user reads
# (safe.directory lives there) and where git's own programs are. Every other one (GIT_DIR,
# GIT_WORK_TREE, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY… inherited from a hook or a script)
# would point git at another repository than the one being checked.
GIT_ENV_KEPT = ("GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_COUNT")


def git_environment() -> dict[str, str]:
    """The environment of modelw-lint's git commands: the caller's, without the variables that
    redirect git (see :data:`GIT_ENV_KEPT`), with prompts and optional locks off."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("GIT_") or k in GIT_ENV_KEPT or k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    return env


def git(args: list[str], cwd: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes] | None:
    """Run ``git <args>`` in ``cwd`` with the repository's command hooks disabled (see
    :data:`GIT_SAFETY`); None when git is missing, fails to start or times out."""
    return git_started(args, cwd)(timeout)


class _Started:
    """A git command started now: call it (with a timeout) for its result, or kill it."""

    def __init__(self, args: list[str], cwd: str):
        self.cmd = ["git", *GIT_SAFETY, *args]
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                self.cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                env=git_environment(),
            )
        except (OSError, subprocess.SubprocessError):
            self.proc = None
        self.timed_out = False

    def __call__(self, timeout: float = 60) -> subprocess.CompletedProcess[bytes] | None:
        if self.proc is None:
            return None
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.kill()
            return None
        except (OSError, subprocess.SubprocessError):
            return None
        return subprocess.CompletedProcess(self.cmd, self.proc.returncode, out, err)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def git_started(args: list[str], cwd: str) -> _Started:
    """Start ``git <args>`` now (as :func:`git` runs it); call the result (``timeout``
    seconds) to wait for it: two git commands then run side by side."""
    return _Started(args, cwd)


def staged_deletions(root: str) -> set[str]:
    """Paths whose removal is staged: deleted files and the old names of renamed ones
    (pre-commit passes neither). ``--no-renames`` turns a rename into a deletion and an
    addition, so ``git mv api backend`` counts every file of ``api/`` as gone."""
    return set(staged_deletions_started(root)())


def staged_deletions_started(root: str) -> Callable[[], set[str]]:
    """:func:`staged_deletions`, started now and read when the returned function is called
    (the hook starts it before loading the rules, which it then runs beside)."""
    finish = git_started(["diff", "--cached", "--name-only", "--diff-filter=D", "--no-renames", "--no-ext-diff",
                          "--no-textconv", "--relative", "-z"], root)

    found: list[set[str]] = []

    def result() -> set[str]:
        if not found:
            proc = finish(30)
            if proc is not None and proc.returncode == 0:
                found.append({p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p})
            else:
                found.append(set())
        return set(found[0])

    return result


@dataclass
class Inventory:
    files: dict[str, bool | None]  # relative POSIX path -> tracked by git (None: not a git tree)
    git: bool
    # Folders that could not be listed, paths refused (relative path -> why): reported as MW001.
    problems: dict[str, str] = field(default_factory=dict)
    # Why the listing may miss files (git refused the repository, untracked files not listed):
    # the run says so and exits 2, never 0.
    blind: list[str] = field(default_factory=list)
    # Tracked files git found unchanged in the work tree and the index (``git status`` lists
    # nothing for them; no skip-worktree or assume-unchanged flag, no conflict) -> the index's
    # object id of their content. The cache takes a file whose id is the one it recorded as
    # unchanged without a stat of its own (git has just compared them).
    clean: dict[str, str] = field(default_factory=dict)


def _in_skipped_folder(path: str) -> bool:
    """Whether a folder of ``path`` is one never checked (:data:`SKIP_DIRS`, ``*.egg-info``),
    in string operations only: a listing of thousands of paths asks this of each."""
    folders, slash, _name = path.rpartition("/")
    if not slash:
        return False
    return ".egg-info/" in path or not SKIP_DIRS.isdisjoint(folders.split("/"))


def list_files(root: str) -> Inventory:
    """Files of the repository at ``root``: git's view when inside a work tree, else a walk.
    When git refuses a folder that holds a ``.git`` (another user's repository in a CI
    container: "dubious ownership"), the walk lists what it can and the run is blind: it may
    miss what only git knew (files added despite .gitignore, deletions)."""
    listed = _git_files(root)
    if isinstance(listed, Inventory):
        return listed
    problems: dict[str, str] = {}
    inventory = Inventory({path: None for path in _walk(root, problems)}, False, problems)
    if listed is not None:  # git's reason for refusing a repository
        inventory.blind.append(listed)
    return inventory


# git's warning for a folder it cannot list; a path longer than the system allows comes
# truncated, without its reason.
_GIT_UNREADABLE = re.compile(r"could not open directory '([^']*)(?:/?': (.+))?")
UNTRACKED_TIMEOUT = 30  # seconds for git to list untracked files (a .gitignore git would block on)


def _refusal(root: str, proc: subprocess.CompletedProcess[bytes] | None, started: _Started) -> str | None:
    """Why a folder holding a ``.git`` is not read with git (None: it is no repository)."""
    if not os.path.lexists(os.path.join(root, ".git")):
        return None
    if proc is None:
        why = "git did not answer in time" if started.timed_out else "git is not installed or could not start"
    else:
        lines = [line.strip() for line in proc.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        why = f"git refused it: {lines[0] if lines else f'exit status {proc.returncode}'}"
        if "safe.directory" in proc.stderr.decode("utf-8", "replace"):
            why += f" (run `git config --global --add safe.directory {root}` if you trust it)"
    return (
        f"{root} is a git repository but {why}: its files were listed by walking the folder, which misses what only "
        "git knows (files added despite .gitignore, files deleted in the index); the result is not a clean pass"
    )


def _unsafe_path(path: str) -> str | None:
    """Why a path git lists cannot be a file of the repository (a crafted index: ``..``,
    an absolute path, empty parts), None when it is fine."""
    framed = "/" + path + "/"  # an empty, "." or ".." part shows as "//", "/./" or "/../"
    if path.startswith("/") or "\\" in path or "//" in framed or "/./" in framed or "/../" in framed:
        return "its path leaves the repository or is not a plain relative path: not read"
    return None


def _listing_started(root: str) -> tuple[_Started, _Started]:
    """git's two listing commands, started side by side: untracked files, deletions in the work
    tree and the folders git could not list (``status``), and the index (``ls-files``)."""
    status = git_started(
        ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=all", "--no-renames"], root,
    )
    return status, git_started(["ls-files", "-z", "-s", "-v", "--cached"], root)


_PREFETCHED: dict[str, tuple[_Started, _Started]] = {}


def prefetch_listing(root: str) -> None:
    """Start git listing ``root`` now, to be taken up by the next :func:`list_files` of the same
    root: the CLI calls it before loading the rule packs, which then load while git works (a
    warm run on a large repository waits for git otherwise). Nothing is read or concluded here;
    a folder outside git makes git exit at once."""
    for stale in _PREFETCHED.pop(root, ()):  # one a failed run never took up: outdated
        stale.kill()
    _PREFETCHED[root] = _listing_started(root)


def _git_files(root: str) -> Inventory | str | None:
    """git's view, or why git refused a repository (a str), or None outside git: tracked files
    (with their mode from the index: symlinks are known without a stat of every file) and
    untracked ones not ignored, less those deleted in the work tree. A symlink to outside the
    root is left out (SourceFile checks again when it reads: the work tree may differ from
    the index). git opens every ``.gitignore`` it meets to list untracked files: a tracked one
    that is not a regular file (a FIFO would block git) means untracked files are not listed,
    and the run says so."""
    prefetched = _PREFETCHED.pop(root, None)
    status_result, started = prefetched if prefetched is not None else _listing_started(root)
    proc = started(60)
    if proc is None or proc.returncode != 0:
        status_result.kill()
        return _refusal(root, proc, started)
    problems: dict[str, str] = {}
    blind: list[str] = []
    entries = [e for e in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if e]
    # An index entry is "<tag> <mode> <object> <stage>\t<path>": tag H for a plain cached
    # entry (h: assume-unchanged, S: skip-worktree, M: unmerged...).
    parsed: list[tuple[str | None, str]] = []
    index_ids: dict[str, str | None] = {}
    for entry in entries:
        head, tab, path = entry.partition("\t")
        fields = head.split(" ")
        if tab and len(fields) == 4 and fields[1][:1].isdigit():
            parsed.append((fields[1], path))
            plain = fields[0] == "H" and fields[3] == "0" and path not in index_ids
            index_ids[path] = fields[2] if plain else None
    blockers = [path for mode, path in parsed if path.rsplit("/", 1)[-1] == ".gitignore" and not _regular(root, path)]
    gone: set[str] = set()
    listed_by_status: set[str] | None = None  # None: git status did not run to the end
    if blockers:
        status_result.kill()
        for path in blockers:
            problems[path] = f"cannot read: {_mode_of(root, path)}, not a regular file"
        blind.append(
            f"{', '.join(blockers)}: not a regular file ({_mode_of(root, blockers[0])}), which git would block on while "
            "listing untracked files: untracked files were not listed"
        )
        deleted = git(["ls-files", "-z", "--deleted"], root)  # reads no .gitignore
        if deleted is not None and deleted.returncode == 0:
            gone = set(deleted.stdout.decode("utf-8", "surrogateescape").split("\0"))
    else:
        status = status_result(UNTRACKED_TIMEOUT)
        if status is None or status.returncode != 0:
            why = f"took more than {UNTRACKED_TIMEOUT} s (a .gitignore that is not a regular file?)" if status_result.timed_out \
                else "failed"
            blind.append(f"git {why} listing untracked files: they were not checked")
        else:
            for line in status.stderr.decode("utf-8", "surrogateescape").splitlines():
                m = _GIT_UNREADABLE.search(line)
                if m:
                    problems[m.group(1).rstrip("/")] = (
                        f"cannot list this folder: {m.group(2)}" if m.group(2)
                        else "cannot list this folder: its path is longer than the system allows"
                    )
            listed_by_status = set()
            for entry in status.stdout.decode("utf-8", "surrogateescape").split("\0"):
                if len(entry) > 3:
                    listed_by_status.add(entry[3:])
                if entry.startswith("?? "):
                    parsed.append((None, entry[3:]))
                elif len(entry) > 3 and entry[1] == "D":
                    gone.add(entry[3:])
    files: dict[str, bool | None] = {}
    # A virtualenv with an unusual name is recognised by its pyvenv.cfg (listed by git when
    # untracked and not ignored).
    venvs = {path.rsplit("/", 1)[0] + "/" for _mode, path in parsed if path.endswith("/pyvenv.cfg")}
    for mode, path in parsed:
        unsafe = _unsafe_path(path)
        if unsafe is not None:
            problems[path] = unsafe
            continue
        if _in_skipped_folder(path) or (venvs and any(path.startswith(v) for v in venvs)):
            continue
        if mode is None:  # untracked: the work tree is all there is
            full = root + "/" + path
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode) and not _link_inside(root, full):
                continue
            files.setdefault(path, False)
            continue
        if mode == "160000":  # a submodule
            continue
        if path in gone and not os.path.lexists(root + "/" + path):
            # Deleted in the work tree. One git calls deleted but that is there is behind a
            # folder replaced by a symlink: kept, so that reading it says why it is refused.
            continue
        if mode == "120000" and not _link_inside(root, root + "/" + path):
            continue
        files[path] = True
    clean: dict[str, str] = {}
    if listed_by_status is not None and not problems:
        clean = {p: oid for p, oid in index_ids.items() if oid is not None and p in files and p not in listed_by_status}
    return Inventory(files, True, problems, blind, clean)


def _regular(root: str, path: str) -> bool:
    """Whether a path is a regular file (or absent: git skips what is not there)."""
    try:
        st = os.stat(os.path.join(root, path))
    except OSError:
        return True
    return stat.S_ISREG(st.st_mode)


def _mode_of(root: str, path: str) -> str:
    from modelw_lint.project.safeio import describe_mode

    try:
        return describe_mode(os.stat(os.path.join(root, path)).st_mode)
    except OSError:
        return "unreadable"


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


def _walk(root: str, problems: dict[str, str] | None = None) -> Iterator[str]:
    """A walk that honours every ``.gitignore`` on the way down (a deeper file's patterns win,
    ``!pattern`` re-includes) and never follows folder symlinks. Folders that cannot be listed
    are recorded in ``problems``."""
    from modelw_lint.lang.globs import gitignore_spec
    from modelw_lint.project.safeio import UnsafePath, read_regular

    specs: list[tuple[str, Any]] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        for base, spec in reversed(specs):  # the deepest .gitignore decides first
            if base and not rel.startswith(base + "/"):
                continue
            sub = rel[len(base) + 1 :] if base else rel
            result = spec.check_file(sub + ("/" if is_dir else ""))
            if result.include is not None:
                return bool(result.include)
        return False

    def on_error(exc: OSError) -> None:
        if problems is not None and exc.filename:
            rel = os.path.relpath(exc.filename, root).replace(os.sep, "/")
            problems[rel] = f"cannot list this folder: {exc.strerror or exc}"

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=on_error):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        specs[:] = [(b, s) for b, s in specs if not b or rel_dir == b or rel_dir.startswith(b + "/")]
        if ".gitignore" in filenames:
            try:
                raw = read_regular(os.path.join(dirpath, ".gitignore"), 1024 * 1024, ".gitignore")
                specs.append((rel_dir, gitignore_spec(raw.decode("utf-8", "replace").splitlines())))
            except UnsafePath:
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
