"""The ``--fix`` loop: apply fixes in passes, keep only those that verify, never write here.

A fix is kept only when, after its pass, the project checked again with every rule (not only
the selected ones: a fix must not bring a problem a rule the user left out would see) shows that
(a) every fixed file still parses, (b) the finding it targets is gone, (c) no new finding
appeared in any file, and (d) it left no name undefined in a Python file (imports it made
unused are removed with it). Fixes are verified together, as they will be written (two fixes
may be right alone and wrong together); when a pass fails, its fixes are tried one by one and
only those that verify are kept. What is refused is reported as MW004, with the reason, when
its finding is still there at the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from modelw_lint.engine.linter import Linter, RunResult
from modelw_lint.engine.engine_rules import FixFailed
from modelw_lint.project.files import kind_of
from modelw_lint.core.finding import Finding, FixSafety
from modelw_lint.fix.fixer import apply_fixes
from modelw_lint.lang.pyhygiene import left_undefined


def _key(f: Finding) -> tuple[Any, ...]:
    """A finding's identity across passes (its line may move)."""
    return f.code, f.path, f.message


def checker(linter: Linter) -> Linter:
    """A linter with every rule enabled, nothing ignored, no baseline and no cache (the same
    files): what fix verification compares before and after a pass."""
    config = replace(
        linter.config, select=["ALL"], extend_select=[], ignore=[], per_file_ignores={}, ignore_reasons={}, baseline=None,
    )
    folders = [
        replace(cfg, select=["ALL"], extend_select=[], ignore=[], per_file_ignores={}, ignore_reasons={},
                keys=cfg.keys & {"exclude", "extend-exclude"})
        for cfg in linter.folders
    ]
    return Linter(linter.root, config, linter.registry, folders=folders)


def fix(
    linter: Linter, unsafe: bool = False, max_passes: int = 10, only_paths: set[str] | None = None,
    changed: set[str] | None = None, within: list[str] | None = None, hook: bool = False,
) -> RunResult:
    """Apply the fixes of what ``linter`` finds that verify, in passes, until nothing changes
    (bounded), each pass verified by :func:`checker`'s view; nothing is written here (the
    caller writes ``RunResult.changes``)."""
    verifier = checker(linter)
    allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE}
    overlay: dict[str, str | None] = {}
    originals: dict[str, str | None] = {}
    fixed: list[Finding] = []
    refused: dict[tuple[Any, ...], tuple[Finding, str]] = {}
    errors: list[str] = []
    whole = None  # every rule's view of the current overlay
    initial: set[tuple[Any, ...]] | None = None  # the findings there were before any fix
    for _ in range(max_passes):
        # Baselined findings are fixed too (a fix asked for is a fix wanted); the report says how many.
        result = linter.run(overlay, only_paths, changed, within=within, hook=hook, use_baseline=False)
        if initial is None:
            initial = {_key(f) for f in result.findings}
        errors.extend(e for e in result.errors if e not in errors)
        todo = [f for f in result.findings if f.fix and f.fix.safety in allowed and _key(f) not in refused]
        if not todo:
            break
        if whole is None:
            whole = verifier.run(overlay, only_paths, changed)
        kept, whole_after = _verified_pass(verifier, result.project, whole, overlay, todo, refused, only_paths, changed)
        if not kept:
            break
        changes, done = kept
        for path, text in changes.items():
            if path not in originals:
                file = result.project.file(path)
                originals[path] = file.text if file is not None else None
            overlay[path] = text
        fixed.extend(done)
        whole = whole_after
    final = linter.run(overlay, only_paths, changed, within=within, hook=hook)
    final.errors = errors + [e for e in final.errors if e not in errors]
    remaining = {_key(f) for f in final.findings}
    # A finding whose fix was refused no longer offers it (MW004 says why).
    final.findings = [replace(f, fix=None) if _key(f) in refused else f for f in final.findings]
    if FixFailed.code in linter.enabled_codes:
        rule = FixFailed()
        for key, (f, reason) in refused.items():
            if key in remaining:  # a fix refused in one pass may have succeeded in a later one
                what = f.fix.description if f.fix is not None else "its fix"
                final.findings.append(
                    rule.finding(f.path, f"the fix for {f.code} ({what}) was not applied: {reason}", f.line, f.column)
                )
        final.findings.sort(key=lambda f: f.sort_key)
    # Fixed: the findings there were at the start that are gone, each counted once (a fix
    # may resolve a finding another pass had brought, or one fix several findings at once).
    gone_from = remaining
    if linter.baseline_entries is not None:  # `remaining` is what the baseline lets through: gone means gone from all
        gone_from = {_key(f) for f in linter.run(overlay, only_paths, changed, within=within, hook=hook, use_baseline=False).findings}
    counted: set[tuple[Any, ...]] = set()
    final.fixed = []
    for f in fixed:
        key = _key(f)
        if key in (initial or set()) and key not in gone_from and key not in counted:
            counted.add(key)
            final.fixed.append(f)
    if linter.baseline_entries is not None:
        reported = {_key(f) for f in linter.run({}, only_paths, changed, within=within, hook=hook).findings}  # before any fix
        final.fixed_in_baseline = sum(1 for f in final.fixed if _key(f) not in reported)
    final.changes = {p: (originals[p], t) for p, t in overlay.items() if t is not None and t != originals[p]}
    return final


Pass = tuple[tuple[dict[str, str], list[Finding]] | None, RunResult]


def _verified_pass(
    checker: Linter, project: Any, before: RunResult, overlay: dict[str, str | None], todo: list[Finding],
    refused: dict[tuple[Any, ...], tuple[Finding, str]], only_paths: set[str] | None, changed: set[str] | None,
) -> Pass:
    """((changes, findings fixed), every rule's run after them) for this pass's fixes that
    verify together; (None, before) when none does."""
    changes, done, bad = apply_fixes(project, todo)
    for f, reason in bad:
        refused.setdefault(_key(f), (f, reason))
    if not changes:
        return None, before
    after, problem = _verify(checker, before, overlay, changes, done, only_paths, changed)
    if problem is None:
        return (changes, done), after
    # Together they break something: keep, one by one, those that verify with the others kept.
    kept: list[Finding] = []
    result: Pass = (None, before)
    for finding in done:
        trial, trial_done, _bad = apply_fixes(project, [*kept, finding])
        if finding not in trial_done:
            continue
        after, problem = _verify(checker, before, overlay, trial, trial_done, only_paths, changed)
        if problem is None:
            kept.append(finding)
            result = ((trial, list(trial_done)), after)
        else:
            refused.setdefault(_key(finding), (finding, problem))
    return result


def _verify(
    checker: Linter, before: RunResult, overlay: dict[str, str | None], changes: dict[str, str], done: list[Finding],
    only_paths: set[str] | None, changed: set[str] | None,
) -> tuple[RunResult, str | None]:
    """Every rule's run after ``changes``, and what is wrong with them (None: nothing)."""
    after = checker.run({**overlay, **changes}, only_paths, changed)
    for path, new in changes.items():
        if kind_of(path, before.project.file_kinds) != "python":
            continue
        file = before.project.file(path)
        old = (file.text if file is not None else None) or ""
        undefined = left_undefined(old, new)
        if undefined:
            return after, f"it would leave {', '.join(undefined)} undefined in {path}"
    before_keys = Counter(_key(f) for f in before.findings)
    after_keys = Counter(_key(f) for f in after.findings)
    for f in done:
        if after_keys[_key(f)] >= before_keys[_key(f)]:
            return after, "its finding would still be reported after it"
    # A finding about several places (MW701 lists a module's routes) may come back reworded
    # for what the fix left alone: that is not new, as long as its file has no more of them.
    fixed_places = {(f.code, f.path) for f in done}
    # A finding that folded others into its message (MW904 mentions MW905 on one pin) lets
    # them speak for themselves once it is fixed: they were there, only not reported apart.
    folded = {(code, f.path) for f in done for code in f.extra.get("folds", ())}
    before_places = Counter((f.code, f.path) for f in before.findings)
    after_places = Counter((f.code, f.path) for f in after.findings)
    brought = [
        key for key in (after_keys - before_keys)
        if (key[0], key[1]) not in folded
        and ((key[0], key[1]) not in fixed_places or after_places[(key[0], key[1])] > before_places[(key[0], key[1])])
    ]
    if brought:
        code, path, message = sorted(brought)[0]
        return after, f"it would bring {code} in {path} ({message})"
    if after.errors and not before.errors:
        return after, after.errors[0]
    return after, None
