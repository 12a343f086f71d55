"""Reading and writing so that a hostile repository cannot abuse either.

A repository checked by modelw-lint may have been written to attack it: a file named like a
config may be a FIFO (a read would hang), a symlink to ``/dev/zero`` (a read would never end),
or a symlink out of the repository (a write would replace someone else's file). Everything the
engine reads because the repository *names* it (config files, a configured baseline, the cache)
goes through :func:`read_regular`, and everything it writes inside the repository goes through
:func:`write_target`, which refuses any path that resolves outside the root. Paths the user
named on the command line (``--output``, ``--cache-dir``, ``--baseline``) are theirs to choose.
"""

from __future__ import annotations

import os
import stat
import tempfile


class UnsafePath(OSError):
    """A read or write that modelw-lint refuses; ``str()`` says why, with the path."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_inside(root: str, path: str) -> bool:
    """Whether ``path`` resolves (symlinks followed, even dangling ones) inside ``root``."""
    real_root = os.path.realpath(root)
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def describe_mode(mode: int) -> str:
    """A person's name for what is not a regular file."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_regular(path: str, limit: int, what: str = "file", *, user_named: bool = False) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    Raises :class:`UnsafePath` (with a message naming ``what`` and the path) for anything else:
    a FIFO or device (a read could hang or never end), a file over the limit, or one that grows
    past it while being read. Symlinks are followed; callers that must stay inside the root
    check :func:`is_inside` first. A path the user named (``--config /dev/null``) may be a
    device; the size limit still holds.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnsafePath(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    regular = stat.S_ISREG(st.st_mode)
    if not regular and not (user_named and not stat.S_ISDIR(st.st_mode)):
        raise UnsafePath(f"cannot read {what} {path}: it is {describe_mode(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise UnsafePath(f"cannot read {what} {path}: {st.st_size:,} bytes, over the {limit:,}-byte limit")
    # Never blocks on what the repository names (a FIFO swapped in); a pipe the user named
    # (``--config <(…)``) is read as they meant it: to its end.
    nonblocking = getattr(os, "O_NONBLOCK", 0) if regular else 0
    try:
        fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UnsafePath(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    try:
        if regular and not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the stat and the open
            raise UnsafePath(f"cannot read {what} {path}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1) or b""
    except OSError as exc:
        raise UnsafePath(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafePath(f"cannot read {what} {path}: over the {limit:,}-byte limit")
    return data


def write_target(root: str, path: str) -> str:
    """The real path to write for ``path`` (relative to ``root``, POSIX separators), or
    :class:`UnsafePath` when it resolves outside the root: through a symlinked folder, a
    symlink (dangling or not) pointing out, or ``..``. A symlink inside the root is written
    through (the link is kept). Nothing is created on the way."""
    full = os.path.join(root, *path.split("/"))
    if not is_inside(root, full):
        target = os.path.realpath(full)
        raise UnsafePath(f"refusing to write {path}: it resolves to {target}, outside the repository")
    real = os.path.realpath(full)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise UnsafePath(f"refusing to write {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePath(f"refusing to write {path}: it is {describe_mode(st.st_mode)}, not a regular file")
    return real


class ChangedMeanwhile(UnsafePath):
    """The file changed on disk since it was read: it is not overwritten."""


def _temp_folder(root: str, target_folder: str) -> str:
    """Where a temporary file is written before it replaces its target: inside the
    repository's ``.git`` folder when there is one on the same filesystem (a run killed
    mid-write then leaves nothing in the work tree), else beside the target."""
    git_dir = os.path.join(root, ".git")
    try:
        if os.path.isdir(git_dir) and not os.path.islink(git_dir) and os.stat(git_dir).st_dev == os.stat(target_folder).st_dev:
            folder = os.path.join(git_dir, "modelw-lint-tmp")
            os.makedirs(folder, mode=0o700, exist_ok=True)
            if not os.path.islink(folder) and os.path.isdir(folder):
                return folder
    except OSError:
        pass
    return target_folder


def write_atomic(root: str, path: str, text: str, expected: str | None = None) -> None:
    """Write ``text`` to ``root/path`` through a temporary file and a rename, keeping the
    file's mode and owner. A symlink inside the root is written through (the link is kept);
    a path that resolves outside the root is refused with :class:`~modelw_lint.project.safeio.UnsafePath`
    before anything, even a folder, is created. With ``expected`` (the text the fix was
    computed from), the file is read again just before the rename and left alone, with
    :class:`ChangedMeanwhile`, when someone changed it in the meantime."""
    target = write_target(root, path)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    try:
        st = os.stat(target)
        mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode, owner = 0o666 & ~umask, None
    fd, tmp = tempfile.mkstemp(dir=_temp_folder(root, folder), prefix=".modelw-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", errors="surrogateescape") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if owner is not None and hasattr(os, "chown"):
            try:
                os.chown(tmp, *owner)
            except OSError:
                pass  # not ours to give away (not root): the file keeps its mode at least
        os.chmod(tmp, mode)
        if expected is not None and _current(target) != expected:
            raise ChangedMeanwhile(f"{path} changed while the fixes were computed: not written (run --fix again)")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _current(target: str) -> str | None:
    """The text a file holds now (None when it is gone or unreadable)."""
    try:
        with open(target, "rb") as fh:
            return fh.read().decode("utf-8", "surrogateescape")
    except OSError:
        return None


def write_user_file(path: str, text: str) -> None:
    """Write a file the user named on the command line (``--output``, a ``--baseline`` they
    passed): wherever they chose (their symlinks followed, missing folders created);
    atomically when it is a regular file, directly when it is a device such as /dev/stdout."""
    real = os.path.realpath(path)
    if os.path.exists(real) and not os.path.isfile(real):
        with open(real, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)
        return
    os.makedirs(os.path.dirname(real), exist_ok=True)
    write_atomic(os.path.dirname(real), os.path.basename(real), text)
