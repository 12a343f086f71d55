"""Applying fixes: group edits per file, verify each result re-parses, write atomically."""

from __future__ import annotations

import os
from typing import Any, Iterable

from modelw_lint.project.files import ParseError, kind_of, parse_text
from modelw_lint.core.finding import Edit, Finding
from modelw_lint.lang.pyhygiene import drop_unused_imports
from modelw_lint.project.safeio import UnsafePath, write_atomic, write_target, write_user_file  # noqa: F401  (the writes of fixes)

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


def refusal(project: Any, path: str) -> str | None:
    """Why a fix may not write ``path`` (None: it may): a path resolving outside the root
    (a symlink out, a symlinked folder), or a file on disk that the run did not check (ignored,
    excluded, a symlink out of the root), whose content the fix would overwrite unseen."""
    try:
        write_target(project.root, path)
    except UnsafePath as exc:
        return str(exc)
    file = project.file(path)
    if file is None and os.path.lexists(os.path.join(project.root, *path.split("/"))):
        return f"refusing to write {path}: it exists but is not among the checked files"
    if file is not None and file.kind == "python" and file.tree is not None and file.rewritten_lines:
        return newer_python_refusal(path)
    return None


def newer_python_refusal(path: str) -> str:
    """Why no fix edits a Python file written for a newer Python than the running one."""
    import sys

    version = ".".join(map(str, sys.version_info[:2]))
    return (
        f"not fixing {path}: it is written for a newer Python than {version} (read through a rewrite, its positions "
        "may be off); run modelw-lint with the Python the project uses to fix it"
    )


def apply_fixes(project: Any, findings: list[Finding]) -> tuple[dict[str, str], list[Finding], list[tuple[Finding, str]]]:
    """Apply as many fixes as fit without overlapping, each one verified.

    Returns the new texts of changed files, the findings whose fix was applied, and the findings
    whose fix was refused or produced a file that does not parse (with the reason).
    """
    accepted: dict[str, list[Edit]] = {}
    originals: dict[str, str] = {}
    done: list[Finding] = []
    bad: list[tuple[Finding, str]] = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        edits_by_path: dict[str, list[Edit]] = {}
        for e in fix.edits:
            edits_by_path.setdefault(e.path, []).append(e)
        if any(
            _overlaps(e, other) for path, es in edits_by_path.items() for e in es for other in accepted.get(path, [])
        ):
            continue  # the next pass will see it again, on the fixed text
        reason = next((r for r in (refusal(project, p) for p in edits_by_path) if r), None)
        if reason is not None:
            bad.append((finding, reason))
            continue
        trial: dict[str, str] = {}
        deferred = False
        for path, es in edits_by_path.items():
            if path not in originals:
                file = project.file(path)
                originals[path] = (file.text if file is not None else "") or ""
            new = _apply(originals[path], accepted.get(path, []) + es)
            problem = verify(kind_of(path, project.file_kinds), new)
            if problem is not None:
                # With other fixes of this pass (two deletions emptying a block), it may well
                # parse alone: the next pass sees it again, on the fixed text.
                deferred = bool(accepted.get(path))
                reason = f"{path} would not parse: {problem}"
                break
            trial[path] = new
        if deferred:
            continue
        if reason is not None:
            bad.append((finding, reason))
            continue
        if all(trial[p] == _apply(originals[p], accepted.get(p, [])) for p in trial):
            continue  # the fix changes nothing
        for path, es in edits_by_path.items():
            accepted.setdefault(path, []).extend(es)
        done.append(finding)
    changes = {}
    for path, es in accepted.items():
        new = _apply(originals[path], es)
        if kind_of(path, project.file_kinds) == "python":
            new = drop_unused_imports(originals[path], new)  # imports only the fixes made unused go with them
        if new != originals[path]:
            changes[path] = new
    return changes, done, bad


def unified_diff(path: str, old: str | None, new: str) -> str:
    import difflib

    a = (old or "").splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, "/dev/null" if old is None else f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
