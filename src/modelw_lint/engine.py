"""Runs the enabled rules over a project and turns what they yield into the final findings."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from typing import Any
import pathspec

from . import suppression
from .config import Config, ConfigError, is_selected, matches_selector, validate_selectors
from .baseline import apply as apply_baseline
from .baseline import load as load_baseline
from .engine_rules import FixFailed, ParseFailure, StaleBaselineEntry, UnreadableFile, UnusedSuppression
from .finding import Finding, FixSafety
from .fixer import apply_fixes
from .inventory import Inventory, list_files
from .packs import Registry
from .project import Project
from .rule import EngineRule, FileRule, RepoRule, Rule, injected_parameters


@dataclass
class Selection:
    """CLI overrides of the config's rule selection."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    baseline: str | None = None  # overrides the config's baseline


@dataclass
class RunResult:
    root: str
    findings: list[Finding]
    project: Project
    enabled: list[type[Rule]]
    errors: list[str] = field(default_factory=list)  # internal errors: exit code 2
    fixed: list[Finding] = field(default_factory=list)  # findings removed by --fix
    changes: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # path -> (old, new)
    ignored_reasons: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)  # pack report items (ReportItem)
    baseline: Any = None  # BaselineResult when a baseline was applied

    @property
    def files_checked(self) -> int:
        return len(self.project.touched_files())


class Linter:
    def __init__(self, root: str, config: Config, registry: Registry, selection: Selection | None = None):
        self.root = root
        self.config = config
        self.registry = registry
        selection = selection or Selection()
        rules = registry.sorted_rules()
        where = config.where
        validate_selectors(config.select, rules, where, "select")
        validate_selectors(config.extend_select, rules, where, "extend-select")
        validate_selectors(config.ignore, rules, where, "ignore")
        validate_selectors(config.ignore_reasons, rules, where, "ignore-reasons")
        for glob, codes in config.per_file_ignores.items():
            validate_selectors(codes, rules, where, f"per-file-ignores[{glob!r}]")
        if selection.select is not None:
            validate_selectors(selection.select, rules, "--select", "--select")
        validate_selectors(selection.extend_select, rules, "--extend-select", "--extend-select")
        validate_selectors(selection.ignore, rules, "--ignore", "--ignore")
        select = list(selection.select if selection.select is not None else config.select)
        select += config.extend_select + selection.extend_select
        ignore = config.ignore + list(config.ignore_reasons) + selection.ignore
        self.enabled = [r for r in rules if is_selected(r, select, ignore)]
        self.enabled_codes = {r.code for r in self.enabled}
        self._prefixes = frozenset(code.rstrip("0123456789") for code in registry.rules)
        baseline = selection.baseline or config.baseline
        self.baseline_path = os.path.join(root, baseline) if baseline else None
        self.baseline_entries = None
        if self.baseline_path:
            self.baseline_entries, self._baseline_text = load_baseline(self.baseline_path)
        self._inventory: Inventory | None = None
        self._per_file = [
            (pathspec.GitIgnoreSpec.from_lines([glob]), codes)
            for glob, codes in config.per_file_ignores.items()
        ]

    @property
    def inventory(self) -> Inventory:
        if self._inventory is None:
            inv = list_files(self.root)
            spec = self.config.exclude_spec()
            files = {p: t for p, t in inv.files.items() if not spec.match_file(p)}
            self._inventory = Inventory(files, inv.git)
        return self._inventory

    def project(self, overlay: dict[str, str | None] | None = None) -> Project:
        return Project(
            self.root,
            self.inventory,
            self.registry.facts,
            overlay,
            self.config.max_file_size,
            settings={"release": self.config.release},
            file_kinds=self.registry.file_kinds,
        )

    # -- checking ------------------------------------------------------------------------------

    def run(
        self,
        overlay: dict[str, str | None] | None = None,
        only_paths: set[str] | None = None,
        changed: set[str] | None = None,
        use_baseline: bool = True,
    ) -> RunResult:
        """Check the project. ``only_paths`` (hook mode): per-file rules look at those files
        only, and a repo rule runs only when one of ``changed`` (the passed files and staged
        deletions) matches what it ``reads``."""
        project = self.project(overlay)
        errors: list[str] = []
        raw: list[Finding] = []
        for rule_cls in self.enabled:
            if issubclass(rule_cls, EngineRule):
                continue
            rule = rule_cls()
            try:
                if isinstance(rule, FileRule):
                    raw.extend(self._run_file_rule(rule, project, errors, only_paths))
                elif isinstance(rule, RepoRule):
                    if changed is not None and not _reads_any(rule, changed):
                        continue
                    facts = project.facts_for(rule.check)
                    raw.extend(rule.check(project, **facts))
            except Exception as exc:  # a rule or fact bug: report it, check the rest
                errors.append(_internal(f"rule {rule.code} ({rule.name})", exc))
        metadata = {}
        for key, fact in self.registry.report.items():
            try:
                metadata[key] = project.fact(fact)
            except Exception as exc:
                errors.append(_internal(f"report fact {fact}", exc))
        raw.extend(self._file_problems(project))
        findings = self._filter(project, raw, only_paths)
        baseline = None
        if use_baseline and self.baseline_entries is not None:
            baseline = apply_baseline(findings, project, self.baseline_entries)
            findings = baseline.kept
            if StaleBaselineEntry.code in self.enabled_codes and only_paths is None:
                findings.extend(self._stale_findings(baseline))
        findings.sort(key=lambda f: f.sort_key)
        return RunResult(
            self.root, findings, project, self.enabled, errors,
            ignored_reasons={c: r for c, r in self.config.ignore_reasons.items()},
            metadata=metadata, baseline=baseline,
        )

    def _stale_findings(self, baseline: Any) -> list[Finding]:
        rule = StaleBaselineEntry()
        rel = os.path.relpath(self.baseline_path, self.root).replace(os.sep, "/")
        out = []
        for entry, missing in baseline.stale:
            idx = self._baseline_text.find(entry.fingerprint)
            line = self._baseline_text.count("\n", 0, idx) + 1 if idx >= 0 else 1
            what = f" ({missing} of its {entry.count} findings)" if entry.count > 1 else ""
            out.append(rule.finding(
                rel, f"baseline entry for {entry.code} in {entry.path} no longer matches{what}: "
                "drop it with --update-baseline", line,
            ))
        return out

    def _run_file_rule(self, rule: FileRule, project: Project, errors: list[str], only_paths: set[str] | None = None) -> list[Finding]:
        scope = project.fact(rule.scope) if rule.scope else None
        facts = project.facts_for(rule.check_file)
        out: list[Finding] = []
        files = project.files() if only_paths is None else [f for f in project.files() if f.path in only_paths]
        for file in files:
            if file.kind not in rule.kinds or (scope is not None and file.path not in scope):
                continue
            if not file.contains_any(rule.needles) or file.parsed is None:
                continue
            try:
                out.extend(rule.check_file(file, **facts))
            except Exception as exc:
                errors.append(_internal(f"rule {rule.code} ({rule.name}) on {file.path}", exc))
        return out

    def _file_problems(self, project: Project) -> list[Finding]:
        out = []
        for file in project.touched_files():
            p = file.problem
            if p is None:
                continue
            rule = UnreadableFile() if p.code == "MW001" else ParseFailure()
            if rule.code in self.enabled_codes:
                out.append(rule.finding(file.path, p.message, p.line, p.column))
        return out

    def _filter(self, project: Project, findings: list[Finding], only_paths: set[str] | None = None) -> list[Finding]:
        kept = []
        for f in findings:
            if any(spec.match_file(f.path) and matches_selector(f.code, f.family, codes) for spec, codes in self._per_file):
                continue
            kept.append(f)
        # Inline suppressions, in every file read during the run or holding a finding.
        paths = {f.path for f in kept} | {f.path for f in project.touched_files()}
        by_line: dict[tuple[str, int], list[suppression.Suppression]] = {}
        all_supp: list[suppression.Suppression] = []
        for path in sorted(paths):
            file = project.file(path)
            if file is None or file.kind not in suppression.COMMENT_KINDS or not file.text:
                continue
            for s in suppression.scan(path, file.text, self._prefixes):
                all_supp.append(s)
                by_line.setdefault((path, s.target), []).append(s)
        result = []
        for f in kept:
            hit = next((s for s in by_line.get((f.path, f.line), []) if s.covers(f.code)), None)
            if hit is None:
                result.append(f)
            else:
                hit.used.add(f.code)
        if UnusedSuppression.code in self.enabled_codes:
            rule = UnusedSuppression()
            for s in all_supp:
                if only_paths is not None and s.path not in only_paths:
                    continue  # hook mode: other files were not fully checked
                if s.codes is None:
                    if not s.used:
                        result.append(rule.finding(s.path, "unused suppression: no finding on this line", s.line, s.column))
                    continue
                unused = [c for c in s.codes if c not in s.used and (c in self.enabled_codes or c not in self.registry.rules)]
                if unused:
                    unknown = [c for c in unused if c not in self.registry.rules]
                    detail = f"unknown code {', '.join(unknown)}" if unknown else f"no {', '.join(unused)} finding on this line"
                    result.append(rule.finding(s.path, f"unused suppression: {detail}", s.line, s.column))
        return result

    # -- fixing --------------------------------------------------------------------------------

    def fix(
        self, unsafe: bool = False, max_passes: int = 10, only_paths: set[str] | None = None, changed: set[str] | None = None
    ) -> RunResult:
        """Apply fixes until nothing changes (bounded); nothing is written here."""
        allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE}
        overlay: dict[str, str | None] = {}
        originals: dict[str, str | None] = {}
        fixed: list[Finding] = []
        failed: dict[tuple, Finding] = {}
        errors: list[str] = []
        for _ in range(max_passes):
            result = self.run(overlay, only_paths, changed)
            errors.extend(e for e in result.errors if e not in errors)
            todo = [f for f in result.findings if f.fix and f.fix.safety in allowed]
            if not todo:
                break
            changes, done, bad = apply_fixes(result.project, todo)
            for f in bad:
                failed[(f.code, f.path, f.line, f.message)] = f
            if not changes:
                break
            for path, text in changes.items():
                if path not in originals:
                    file = result.project.file(path)
                    originals[path] = file.text if file is not None else None
                overlay[path] = text
            fixed.extend(done)
        final = self.run(overlay, only_paths, changed)
        final.errors = errors + [e for e in final.errors if e not in errors]
        if FixFailed.code in self.enabled_codes:
            rule = FixFailed()
            for f in failed.values():
                final.findings.append(
                    rule.finding(f.path, f"the fix for {f.code} ({f.fix.description}) did not verify and was not applied", f.line, f.column)
                )
            final.findings.sort(key=lambda f: f.sort_key)
        final.fixed = fixed
        final.changes = {p: (originals[p], t) for p, t in overlay.items() if t is not None and t != originals[p]}
        return final


def _reads_any(rule: Any, changed: set[str]) -> bool:
    """Whether a repo rule reads one of the changed paths (rules that declare nothing always run)."""
    if not rule.reads:
        return True
    spec = pathspec.GitIgnoreSpec.from_lines(rule.reads)
    return any(spec.match_file(p) for p in changed)


def _internal(where: str, exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    last = tb[-1] if tb else None
    place = f" at {last.filename}:{last.lineno}" if last else ""
    return f"internal error in {where}: {type(exc).__name__}: {exc}{place}"


__all__ = ["Linter", "RunResult", "Selection", "ConfigError"]
