"""Applying fixes: group edits per file, verify each result re-parses, write atomically."""

from __future__ import annotations

import difflib
import os
import tempfile
from typing import Iterable

from .files import ParseError, kind_of, parse_text
from .finding import Edit, Finding

VERIFIED_KINDS = {"python", "toml", "yaml", "json"}


def _apply(text: str, edits: Iterable[Edit]) -> str:
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one place: keep the first, the next pass does the second
    return a.start < b.end and b.start < a.end


def verify(kind: str, text: str) -> str | None:
    """None when ``text`` parses as ``kind``; otherwise the parser's message."""
    if kind not in VERIFIED_KINDS:
        return None
    try:
        parse_text(kind, text)
    except ParseError as exc:
        return exc.message
    return None


def apply_fixes(project, findings: list[Finding]) -> tuple[dict[str, str], list[Finding], list[Finding]]:
    """Apply as many fixes as fit without overlapping, each one verified.

    Returns the new texts of changed files, the findings whose fix was applied, and the findings
    whose fix produced a file that does not parse (reverted).
    """
    accepted: dict[str, list[Edit]] = {}
    originals: dict[str, str] = {}
    done: list[Finding] = []
    bad: list[Finding] = []
    for finding in findings:
        fix = finding.fix
        edits_by_path: dict[str, list[Edit]] = {}
        for e in fix.edits:
            edits_by_path.setdefault(e.path, []).append(e)
        if any(
            _overlaps(e, other) for path, es in edits_by_path.items() for e in es for other in accepted.get(path, [])
        ):
            continue  # the next pass will see it again, on the fixed text
        trial: dict[str, str] = {}
        ok = True
        for path, es in edits_by_path.items():
            if path not in originals:
                file = project.file(path)
                originals[path] = (file.text if file is not None else "") or ""
            new = _apply(originals[path], accepted.get(path, []) + es)
            if verify(kind_of(path, project.file_kinds), new) is not None:
                ok = False
                break
            trial[path] = new
        if not ok:
            bad.append(finding)
            continue
        if all(trial[p] == _apply(originals[p], accepted.get(p, [])) for p in trial):
            continue  # the fix changes nothing
        for path, es in edits_by_path.items():
            accepted.setdefault(path, []).extend(es)
        done.append(finding)
    changes = {}
    for path, es in accepted.items():
        new = _apply(originals[path], es)
        if new != originals[path]:
            changes[path] = new
    return changes, done, bad


def write_atomic(root: str, path: str, text: str) -> None:
    """Write ``text`` to ``root/path`` through a temporary file and a rename, keeping the mode."""
    full = os.path.join(root, *path.split("/"))
    target = os.path.realpath(full)  # write through a symlink, keep the link
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".modelw-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unified_diff(path: str, old: str | None, new: str) -> str:
    a = (old or "").splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, "/dev/null" if old is None else f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
