"""The engine's recipe: run the enabled rules over a project and turn what they yield into the
final findings. Each step lives with the data it owns: rule selection in :mod:`.config`, the
running of one rule in :mod:`.running`, the worker processes in :mod:`.pool`, suppressions in
:mod:`.suppression`, what the cache keeps in :mod:`.cache`, fixes in :mod:`.fixloop`."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from modelw_lint.engine import cache, pool, running, suppression
from modelw_lint.engine.baseline import apply as apply_baseline
from modelw_lint.engine.baseline import load as load_baseline
from modelw_lint.config import (
    Config,
    ConfigError,
    RuleSelection,
    adopt_repository_keys,
    folder_configs,
    folder_pattern,
    gitignore_spec,
    matches_selector,
)
from modelw_lint.engine.engine_rules import LocalPackNotLoaded, ParseFailure, StaleBaselineEntry, UnreadableFile, UnusedSuppression
from modelw_lint.project.files import UNREADABLE
from modelw_lint.core.finding import Finding
from modelw_lint.lang.globs import reads_matcher
from modelw_lint.project.inventory import Inventory, list_files
from modelw_lint.engine.packs import Registry
from modelw_lint.project.model import Project
from modelw_lint.core.rule import EngineRule, FileRule, RepoRule, ReportItem, Rule
from modelw_lint.project.safeio import is_inside


@dataclass
class Selection:
    """CLI overrides of the config's rule selection."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    baseline: str | None = None  # a baseline file named on the command line (overrides the config's)


@dataclass
class RunResult:
    root: str
    findings: list[Finding]
    project: Project
    enabled: list[type[Rule]]
    errors: list[str] = field(default_factory=list)  # internal errors: exit code 2
    fixed: list[Finding] = field(default_factory=list)  # findings removed by --fix
    fixed_in_baseline: int = 0  # of the fixed, those the baseline had kept out of the report
    changes: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # path -> (old, new)
    ignored_reasons: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)  # pack report items (ReportItem)
    baseline: Any = None  # BaselineResult when a baseline was applied
    reused: set[str] = field(default_factory=set)  # files whose results came from the cache
    pooled: set[str] = field(default_factory=set)  # files read by the worker processes
    timings: dict[str, float] = field(default_factory=dict)  # rule code -> seconds this run spent on it
    seconds: float = 0.0  # the whole run

    @property
    def files_checked(self) -> int:
        """Files read by this run, or by the cached run whose results it reused."""
        return len({f.path for f in self.project.touched_files()} | self.reused | self.pooled)


class Linter:
    """One repository's configuration: its root, its configuration (and, on first use, its
    folders'), the rules it enables, its baseline and its cache. Building one does no I/O (the
    root configuration's rule selectors are checked); what needs the repository's files (its
    folders' configurations, the baseline, the inventory) is read on first use. :meth:`run`
    checks once (see :class:`Run`); the fix loop (:func:`modelw_lint.fix.fixloop.fix`) drives runs."""

    def __init__(
        self, root: str, config: Config, registry: Registry, selection: Selection | None = None,
        cache_dir: str | None = None, jobs: int = 1, folders: list[Config] | None = None,
    ):
        """``folders``: the sub-folders' configurations (None: found in the repository, as
        :func:`~modelw_lint.config.folder_configs` does, on first use; ``[]``: none, as with
        ``--config``)."""
        self.root = root
        self.cache_dir = cache_dir
        self.jobs = max(1, jobs)
        self.progress: Any = None  # callable(done, total) for long runs, set by the CLI
        self.config = config
        self.registry = registry
        self.options = selection or Selection()
        self._inventory: Inventory | None = None
        self._listed_inventory: Inventory | None = None
        self._folders = folders
        self._selection: RuleSelection | None = None
        self._baseline_loaded = False
        self._adopted = False
        for pack in registry.packs:
            for key, check in pack.setting_checks.items():
                value = getattr(config, key.replace("-", "_"), None)
                problem = check(value) if value is not None else None
                if problem:
                    where = config.origins.get(key, (config.where,))[0]
                    raise ConfigError(f"{where}: {key} = {value!r}: {problem}")
        # The root configuration's selectors, checked now (a folder's, when it is read).
        RuleSelection(registry.sorted_rules(), config, [], self.options.select, self.options.extend_select, self.options.ignore)
        self.prefixes = frozenset(code.rstrip("0123456789") for code in registry.rules)  # of suppression codes

    # -- what is read on first use -------------------------------------------------------------

    @property
    def folders(self) -> list[Config]:
        """The sub-folders' configurations (read from the repository's files once); the
        repository-wide keys only a folder sets become the root configuration's."""
        if self._folders is None:
            self._folders = folder_configs(self.root, self._listed().files)
        if not self._adopted:
            self._adopted = True
            adopt_repository_keys(self.config, self._folders)
        return self._folders

    @property
    def selection(self) -> RuleSelection:
        if self._selection is None:
            o = self.options
            self._selection = RuleSelection(self.registry.sorted_rules(), self.config, self.folders, o.select, o.extend_select, o.ignore)
        return self._selection

    @property
    def enabled(self) -> list[type[Rule]]:
        return self.selection.enabled

    @property
    def enabled_codes(self) -> set[str]:
        return {r.code for r in self.enabled}

    @property
    def baseline_path(self) -> str | None:
        """A baseline the user passed (--baseline) may live anywhere; one the repository's
        configuration names must be a file inside the repository."""
        if self.options.baseline:
            return os.path.abspath(self.options.baseline)
        _ = self.folders  # a folder's configuration may name the repository's baseline
        if self.config.baseline:
            path = os.path.join(self.root, self.config.baseline)
            if not is_inside(self.root, path):
                raise ConfigError(
                    f"{self.config.origins.get('baseline', (self.config.where,))[0]}: baseline {self.config.baseline!r} resolves to "
                    f"{os.path.realpath(path)}, outside the repository: not read"
                )
            return path
        return None

    @property
    def baseline_from_config(self) -> bool:
        return not self.options.baseline and self.baseline_path is not None

    @property
    def baseline_entries(self) -> Any:
        """The baseline's entries (None without a baseline), read once."""
        if not self._baseline_loaded:
            self._baseline_loaded = True
            self._baseline_entries, self._baseline_text = None, ""
            path = self.baseline_path
            if path:
                self._baseline_entries, self._baseline_text = load_baseline(path)
        return self._baseline_entries

    @property
    def _per_file(self) -> list[Any]:
        if not hasattr(self, "_per_file_specs"):
            self._per_file_specs = [
                (gitignore_spec([glob]), codes) for glob, codes in self.config.per_file_ignores.items()
            ] + [
                (gitignore_spec([folder_pattern(cfg.folder, glob)]), codes)
                for cfg in self.folders
                for glob, codes in cfg.per_file_ignores.items()
            ]
        return self._per_file_specs

    @property
    def ignored_reasons(self) -> dict[str, str]:
        out = dict(self.config.ignore_reasons)
        for cfg in self.folders:
            for code, reason in cfg.ignore_reasons.items():
                out.setdefault(code, f"{reason} (in {cfg.folder}/)")
        return out

    def _listed(self) -> Inventory:
        """The repository's files, without those the root's configuration excludes."""
        if self._listed_inventory is None:
            inv = list_files(self.root)
            spec = self.config.exclude_spec()
            files = {p: t for p, t in inv.files.items() if not spec.match_file(p)}
            problems = {p: m for p, m in inv.problems.items() if not spec.match_file(p + "/")}
            self._listed_inventory = Inventory(files, inv.git, problems, inv.blind, inv.clean)
        return self._listed_inventory

    @property
    def inventory(self) -> Inventory:
        """The files checked: those listed, without what a folder's configuration excludes."""
        if self._inventory is None:
            inv = self._listed()
            patterns = [folder_pattern(cfg.folder, p) for cfg in self.folders for p in (*cfg.exclude, *cfg.extend_exclude)]
            patterns += [f"/{cfg.folder}/" for cfg in self.folders if cfg.root]  # projects of their own
            if patterns:
                spec = gitignore_spec(patterns)
                inv = Inventory(
                    {p: t for p, t in inv.files.items() if not spec.match_file(p)}, inv.git,
                    {p: m for p, m in inv.problems.items() if not spec.match_file(p + "/")}, inv.blind, inv.clean,
                )
            self._inventory = inv
        return self._inventory

    def project(self, overlay: dict[str, str | None] | None = None) -> Project:
        return Project(
            self.root,
            self.inventory,
            self.registry.facts,
            overlay,
            self.config.max_file_size,
            settings=self._settings(),
            file_kinds=self.registry.file_kinds,
        )

    def _settings(self) -> dict[str, Any]:
        """Free-form values of the configuration packs may read (``release``), with where each
        is set (``release_path``, ``release_line``) so a finding can point at it."""
        out: dict[str, Any] = {"release": self.config.release}
        path, text = self.config.origins.get("release", (None, ""))
        if self.config.release is not None and path and is_inside(self.root, path):
            out["release_path"] = os.path.relpath(path, self.root).replace(os.sep, "/")
            out["release_line"] = _line_of_key(text, "release")
        return out

    # -- checking ------------------------------------------------------------------------------

    def run(
        self,
        overlay: dict[str, str | None] | None = None,
        only_paths: set[str] | None = None,
        changed: set[str] | None = None,
        use_baseline: bool = True,
        within: list[str] | None = None,
        hook: bool = False,
    ) -> RunResult:
        """Check the project. ``overlay``: file contents that replace the disk's (fix passes).
        ``only_paths``: per-file rules look at those files only; with ``changed`` (hook mode), a
        repository rule runs only when one of those paths (the given files and staged deletions)
        is one it ``reads``. ``within``: report only findings under these paths (with ``hook``,
        also those about the repository as a whole). With a cache,
        what did not change is reused, and a full run leaves a new cache."""
        return Run(self, overlay, only_paths, changed).execute(within, hook, use_baseline)

    def file_problems(self, project: Project, reuse: Any = None) -> list[Finding]:
        """MW001/MW002 for the files the run read (and, from the cache, for unchanged files it
        did not need to read), MW001 for folders that could not be listed."""
        out = []
        touched = project.touched_files()
        if reuse is not None:
            seen = {f.path for f in touched}
            for d in reuse.run.problems:
                if d["path"] not in seen and reuse.unchanged(d["path"]) and d["code"] in self.enabled_codes:
                    out.append(cache.load_finding(d))
        for file in touched:
            problem = file.problem
            if problem is None:
                continue
            rule = UnreadableFile() if problem.kind == UNREADABLE else ParseFailure()
            if rule.code in self.enabled_codes:
                out.append(rule.finding(file.path, problem.message, problem.line, problem.column))
        if UnreadableFile.code in self.enabled_codes:
            rule = UnreadableFile()
            out.extend(rule.finding(path, message) for path, message in sorted(self.inventory.problems.items()))
        return out

    def store(self) -> cache.Store | None:
        """The cache of this configuration and these rules (None without a cache folder)."""
        if not self.cache_dir:
            return None
        from modelw_lint import __version__

        code = cache.code_signature([*self.enabled, *self.registry.facts.values()])
        key = cache.cache_key(__version__, self.registry.packs, sorted(self.enabled_codes), self.config, code)
        return cache.Store(self.cache_dir, key)

    def selected_findings(self, findings: list[Finding]) -> list[Finding]:
        """``findings`` without those a per-file ignore or a folder's configuration turns off."""
        kept = []
        for f in findings:
            if any(spec.match_file(f.path) and matches_selector(f.code, f.family, codes) for spec, codes in self._per_file):
                continue
            if not self.selection.enabled_at(f.code, f.path):
                continue  # off in the folder configuration that governs the file
            kept.append(f)
        return kept

    def skipped_pack_findings(self) -> list[Finding]:
        """MW006 for each local pack the configuration names but that was not trusted."""
        if not self.registry.skipped_local or LocalPackNotLoaded.code not in self.enabled_codes:
            return []
        rule = LocalPackNotLoaded()
        where = self.config.path and os.path.relpath(self.config.path, self.root).replace(os.sep, "/")
        if not where or where.startswith("../"):
            return []  # a config outside the repository: the CLI says it on stderr instead
        line = _line_of_key(self.config.text, "packs")
        return [
            rule.finding(
                where, f"local rule pack {name!r} not loaded: pass --local-packs (or set MODELW_LINT_LOCAL_PACKS=1) "
                "to trust this repository's code", line,
            )
            for name in self.registry.skipped_local
        ]

    def stale_baseline_findings(self, baseline: Any) -> list[Finding]:
        """MW005 for each baseline entry that no longer matches, at its line in the file."""
        rule = StaleBaselineEntry()
        rel = os.path.relpath(self.baseline_path or "", self.root).replace(os.sep, "/")
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

    # -- fixing --------------------------------------------------------------------------------


class Run:
    """One run of the rules over a project, its steps in order as methods (:meth:`execute`
    reads as the recipe). It owns everything a run builds: the project model, what the rules
    yield, the cache it reuses and the one it leaves."""

    def __init__(self, linter: Linter, overlay: dict[str, Any] | None, only_paths: set[str] | None, changed: set[str] | None):
        self.linter = linter
        self.overlay = overlay
        self.only_paths = only_paths
        self.changed = changed
        self.started = time.perf_counter()
        self.project = linter.project(overlay)
        # A listing that may miss files makes the run fail (exit 2) whatever it finds.
        self.errors: list[str] = list(linter.inventory.blind)
        self.raw: list[Finding] = []
        self.timings: dict[str, float] = {}
        self.record: dict[str, Any] = {"file_rules": {}, "repo_rules": {}, "report": {}}
        self.store = linter.store() if overlay is None else None
        self.reuse: cache.Reuse | None = None
        self.pooled: pool.Pooled | None = None
        self.problems: list[Finding] = []
        self.cached_supp: dict[str, list[Any]] = {}
        self.metadata: dict[str, Any] = {}
        self.baseline: Any = None

    def execute(self, within: list[str] | None = None, hook: bool = False, use_baseline: bool = True) -> RunResult:
        """The recipe of ``modelw-lint check``, top-down."""
        self.reuse_cache()  # what a previous run's cache still says
        self.pool_file_rules()  # cold runs over many files: per-file rules in worker processes
        self.check_rules()  # every enabled rule, in code order
        self.report_items()  # what the packs want every report to say (the release)
        self.file_problems()  # files that could not be read or parsed; packs not trusted
        findings = self.kept(within, hook)  # ignores, folder selections, suppressions, one per place
        self.save_cache()
        if use_baseline:
            findings = self.against_baseline(findings)
        return self.result(findings)

    def reuse_cache(self) -> None:
        cached = self.store.load() if self.store is not None else None
        if cached is None:
            return
        inventory = self.linter.inventory
        reuse = cache.Reuse(cached, self.linter.root, inventory.files, self.linter.config.max_file_size, inventory.clean)
        if reuse.valid:
            self.reuse = reuse
            cache.seed(self.project, reuse)

    def pool_file_rules(self) -> None:
        if self.reuse is not None or self.only_paths is not None or self.overlay is not None or not pool.worthwhile(self.linter):
            return
        self.pooled = pool.file_rules(self.linter)
        if self.pooled is None:
            return  # a worker died: this process checks instead
        self.errors.extend(self.pooled.errors)
        for name, reads in self.pooled.fact_reads.items():
            self.project.fact_reads.setdefault(name, set()).update(reads)
        for path, seen in self.pooled.needles.items():
            self.project.needles_seen.setdefault(path, {}).update(seen)

    def check_rules(self) -> None:
        linter = self.linter
        steps = [r for r in linter.enabled if not issubclass(r, EngineRule)]
        for done, rule_cls in enumerate(steps):
            if linter.progress is not None:
                linter.progress(done, len(steps))
            rule = rule_cls()
            started = time.perf_counter()
            try:
                if isinstance(rule, FileRule):
                    self._file_rule(rule)
                elif isinstance(rule, RepoRule) and (self.changed is None or _reads_any(rule, self.changed)):
                    deps, found = running.repo_rule(rule, self.project, self.reuse)
                    self.record["repo_rules"][rule.code] = (deps, found)
                    self.raw.extend(found)
            except Exception as exc:  # a rule or fact bug: report it, check the rest
                self.errors.append(running.internal(f"rule {rule.code} ({rule.name})", exc))
            self.timings[rule.code] = time.perf_counter() - started
        if linter.progress is not None:
            linter.progress(len(steps), len(steps))

    def _file_rule(self, rule: FileRule) -> None:
        if self.pooled is not None:
            by_path = self.pooled.results.get(rule.code, {})
        else:
            by_path = running.file_rule_reusing(rule, self.project, self.errors, self.only_paths, self.reuse, self.linter.inventory.files)
        self.record["file_rules"][rule.code] = by_path
        for items in by_path.values():
            self.raw.extend(items)

    def report_items(self) -> None:
        for key, fact in self.linter.registry.report.items():
            old = self.reuse.run.report.get(key) if self.reuse is not None else None
            if old is not None and self.reuse is not None and self.reuse.all_unchanged(old["reads"]):
                self.metadata[key] = ReportItem(old["text"], old["data"])
                self.record["report"][key] = (set(old["reads"]), self.metadata[key])
                continue
            try:
                with self.project.tracking() as reads:
                    self.metadata[key] = self.project.fact(fact)
                self.record["report"][key] = (reads, self.metadata[key])
            except Exception as exc:
                self.errors.append(running.internal(f"report fact {fact}", exc))

    def file_problems(self) -> None:
        linter = self.linter
        self.problems = linter.file_problems(self.project, self.reuse)
        if self.reuse is not None and self.only_paths is None:  # suppressions of files the cached
            # run read, unchanged since (a hook run takes only those it needs: see kept)
            touched = {f.path for f in self.project.touched_files()}
            self.cached_supp = {
                p: s for p, s in self.reuse.run.supp.items() if p not in touched and self.reuse.unchanged(p)
            }
        if self.pooled is not None:
            seen = {f.path for f in self.problems}
            self.problems += [f for f in self.pooled.problems if f.path not in seen and f.code in linter.enabled_codes]
            touched = {f.path for f in self.project.touched_files()}
            self.cached_supp.update({p: v for p, v in self.pooled.supp.items() if p not in touched})
        self.raw.extend(self.problems)
        self.raw.extend(linter.skipped_pack_findings())

    def kept(self, within: list[str] | None, hook: bool = False) -> list[Finding]:
        linter = self.linter
        selected = linter.selected_findings(self.raw)
        if self.reuse is not None and self.only_paths is not None:
            # A hook run: the suppressions of the files its findings are in and of the given
            # files (MW003 reports only those), from the cache where unchanged.
            touched = {f.path for f in self.project.touched_files()}
            supp = self.reuse.run.supp
            wanted = {f.path for f in selected} | self.only_paths
            self.cached_supp = {p: supp[p] for p in wanted if p in supp and p not in touched and self.reuse.unchanged(p)}
        findings = suppression.apply(
            selected, self.project, linter.prefixes, self.cached_supp, self.only_paths,
            UnusedSuppression, linter.enabled_codes, linter.registry.rules,
        )
        findings = _distinct(findings)
        if within is not None:
            findings = [f for f in findings if is_within(f.path, within) or (hook and f.repo_level)]
        return findings

    def save_cache(self) -> None:
        if self.store is None or self.only_paths is not None or self.errors or (self.reuse is not None and self.reuse.nothing_new):
            return
        linter = self.linter
        self.store.save(cache.snapshot(
            linter.root, linter.inventory.files, self.project, self.reuse, self.record, self.problems, self.cached_supp,
            linter.prefixes, linter.inventory.clean,
        ))

    def against_baseline(self, findings: list[Finding]) -> list[Finding]:
        linter = self.linter
        if linter.baseline_entries is None:
            return findings
        self.baseline = apply_baseline(findings, self.project, linter.baseline_entries)
        findings = self.baseline.kept
        if StaleBaselineEntry.code in linter.enabled_codes and self.only_paths is None:
            findings.extend(linter.stale_baseline_findings(self.baseline))
        return findings

    def _reused(self) -> set[str]:
        """The files whose results came from the cache (of the given files, in a hook run)."""
        reuse = self.reuse
        if reuse is None:
            return set()
        cached = reuse.run.touched
        if self.only_paths is not None:
            cached = [p for p in cached if p in self.only_paths]
        return {p for p in cached if reuse.unchanged(p)}

    def result(self, findings: list[Finding]) -> RunResult:
        findings.sort(key=lambda f: f.sort_key)
        return RunResult(
            self.linter.root, findings, self.project, self.linter.enabled, self.errors,
            ignored_reasons=dict(self.linter.ignored_reasons), metadata=self.metadata, baseline=self.baseline,
            reused=self._reused(),
            pooled=set(self.pooled.supp) if self.pooled is not None else set(),
            timings=self.timings, seconds=time.perf_counter() - self.started,
        )


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per place: identical findings (a YAML anchor merged into two services,
    met through both) are reported once."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in findings:
        key = (f.code, f.path, f.line, f.column, f.end_line, f.end_column, f.message, f.fix.edits if f.fix else None)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def is_within(path: str, paths: list[str]) -> bool:
    """Whether ``path`` is one of ``paths`` or under one of them ("" is the whole repository)."""
    return any(not p or path == p or path.startswith(p + "/") for p in paths)


def _line_of_key(text: str, key: str) -> int:
    """The line where a top-level TOML key (or ``[tool.modelw-lint]`` key) is set, else 1."""
    import re

    m = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _reads_any(rule: Any, changed: set[str]) -> bool:
    """Whether a repo rule reads one of the changed paths (rules that declare nothing always run)."""
    if not rule.reads:
        return True
    spec = reads_matcher(tuple(rule.reads))
    return any(spec.match_file(p) for p in changed)


__all__ = ["Linter", "RunResult", "Selection", "ConfigError", "is_within"]
