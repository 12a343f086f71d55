"""Running one rule over a project: a per-file rule over its files (reusing the cache's results
for files that did not change), a repository rule once (reusing its cached findings when none
of the files it read changed). A rule that crashes is an internal error, and the run goes on."""

from __future__ import annotations

import traceback
from typing import Any

from modelw_lint.engine.cache import load_finding
from modelw_lint.project.files import UNPARSABLE, FileProblem
from modelw_lint.core.finding import Finding
from modelw_lint.core.rule import FileRule, RepoRule, injected_parameters

_UNSET = object()


def file_rule(rule: FileRule, project: Any, errors: list[str], only_paths: set[str] | None = None) -> dict[str, list[Finding]]:
    """The rule's findings by checked file (only ``only_paths`` when given)."""
    scope: Any = _UNSET  # computed for the first file of the rule's kinds: often none is
    facts = None  # computed for the first file that needs them: often none does
    per_file = [n for n in injected_parameters(rule.check_file) if project.is_file_fact(n)]
    out: dict[str, list[Finding]] = {}
    if only_paths is None:
        files = project.files()
    else:
        files = [f for f in (project.file(p) for p in sorted(only_paths)) if f is not None]
    for file in files:
        if file.kind not in rule.kinds:
            continue
        if scope is _UNSET:
            scope = project.fact(rule.scope) if rule.scope else None
        if scope is not None and file.path not in scope:
            continue
        if not file.contains_any(rule.needles) or (file.tree if file.kind == "python" else file.parsed) is None:
            continue
        if facts is None:
            facts = {n: project.fact(n) for n in injected_parameters(rule.check_file) if n not in per_file}
        try:
            shared = {n: project.file_fact(n, file) for n in per_file}  # once per file, for every rule
            out[file.path] = list(rule.check_file(file, **facts, **shared))
        except RecursionError:
            # Deeper than the rule can follow (pyguard bounds the parse, not every rule): the
            # file is reported as not checked, the run goes on.
            file.problem = file.problem or FileProblem(UNPARSABLE, f"too deeply nested for rule {rule.code} to check")
        except Exception as exc:
            errors.append(internal(f"rule {rule.code} ({rule.name}) on {file.path}", exc))
    return out


def file_rule_reusing(
    rule: FileRule, project: Any, errors: list[str], only_paths: set[str] | None, reuse: Any, inventory_files: dict[str, Any],
) -> dict[str, list[Finding]]:
    """:func:`file_rule`, with the cached findings of files unchanged since the cached run
    (when the facts the rule reads are unchanged too)."""
    names = ([rule.scope] if rule.scope else []) + project.fact_dependencies(rule.check_file)
    old = reuse.run.file_rules.get(rule.code) if reuse is not None else None
    if old is None or not reuse.facts_valid(names):
        return file_rule(rule, project, errors, only_paths)
    by_path = {
        p: [load_finding(d) for d in items]
        for p, items in old.items()
        if (only_paths is None or p in only_paths) and reuse.unchanged(p)
    }
    if only_paths is None:
        todo = {p for p in reuse.changed if p in inventory_files}
    else:  # a hook run: only the given files are looked at
        todo = reuse.changed_among(only_paths)
    if todo:
        by_path.update(file_rule(rule, project, errors, todo))
    return by_path


def repo_rule(rule: RepoRule, project: Any, reuse: Any) -> tuple[set[str], list[Finding]]:
    """(the files it read, its findings): from the cache when none of those files changed."""
    old = reuse.run.repo_rules.get(rule.code) if reuse is not None else None
    if old is not None and reuse.all_unchanged(old["deps"]):
        return set(old["deps"]), [load_finding(d) for d in old["findings"]]
    with project.tracking() as deps:
        facts = project.facts_for(rule.check)
        found = list(rule.check(project, **facts))
    return deps, found


def internal(where: str, exc: BaseException) -> str:
    """An internal error as the run reports it: what failed, and where in the code."""
    tb = traceback.extract_tb(exc.__traceback__)
    last = tb[-1] if tb else None
    place = f" at {last.filename}:{last.lineno}" if last else ""
    return f"internal error in {where}: {type(exc).__name__}: {exc}{place}"
