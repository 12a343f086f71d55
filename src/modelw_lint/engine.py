"""Runs the enabled rules over a project and turns what they yield into the final findings."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from typing import Any
from . import suppression
from .config import (
    Config, ConfigError, RuleSelection, adopt_repository_keys, folder_configs, folder_pattern, gitignore_spec, matches_selector,
)
from .baseline import apply as apply_baseline
from .cache import Reuse, Store, cache_key, code_signature, content_hash, dump_finding, load_finding, paths_hash
from .baseline import load as load_baseline
from .engine_rules import LocalPackNotLoaded, ParseFailure, StaleBaselineEntry, UnreadableFile, UnusedSuppression
from .finding import Finding
from .files import FileProblem
from .globs import reads_matcher
from .inventory import Inventory, list_files
from .packs import Registry
from .project import Project
from .rule import EngineRule, FileRule, RepoRule, Rule, injected_parameters
from .safeio import is_inside


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
    def __init__(
        self, root: str, config: Config, registry: Registry, selection: Selection | None = None,
        cache_dir: str | None = None, jobs: int = 1, folders: list[Config] | None = None,
    ):
        """``folders``: the sub-folders' configurations (None: found in the repository, as
        :func:`~modelw_lint.config.folder_configs` does; ``[]``: none, as with ``--config``)."""
        self.root = root
        self.cache_dir = cache_dir
        self.jobs = max(1, jobs)
        self.progress: Any = None  # callable(done, total) for long runs, set by the CLI
        self.config = config
        self.registry = registry
        selection = selection or Selection()
        self._inventory: Inventory | None = None
        self.folders = folder_configs(root, self._listed().files) if folders is None else folders
        adopt_repository_keys(config, self.folders)
        for pack in registry.packs:
            for key, check in pack.setting_checks.items():
                value = getattr(config, key.replace("-", "_"), None)
                problem = check(value) if value is not None else None
                if problem:
                    where = config.origins.get(key, (config.where,))[0]
                    raise ConfigError(f"{where}: {key} = {value!r}: {problem}")
        self.selection = RuleSelection(
            registry.sorted_rules(), config, self.folders, selection.select, selection.extend_select, selection.ignore,
        )
        self.enabled = self.selection.enabled
        self.enabled_codes = {r.code for r in self.enabled}
        self._prefixes = frozenset(code.rstrip("0123456789") for code in registry.rules)
        # A baseline the user passed (--baseline) may live anywhere; one the repository's
        # configuration names must be a file inside the repository.
        self.baseline_path: str | None = None
        self.baseline_from_config = False
        if selection.baseline:
            self.baseline_path = os.path.abspath(selection.baseline)
        elif config.baseline:
            self.baseline_path = os.path.join(root, config.baseline)
            self.baseline_from_config = True
            if not is_inside(root, self.baseline_path):
                raise ConfigError(
                    f"{config.origins.get('baseline', (config.where,))[0]}: baseline {config.baseline!r} resolves to "
                    f"{os.path.realpath(self.baseline_path)}, outside the repository: not read"
                )
        self.baseline_entries = None
        if self.baseline_path:
            self.baseline_entries, self._baseline_text = load_baseline(self.baseline_path)
        self._per_file = [
            (gitignore_spec([glob]), codes)
            for glob, codes in config.per_file_ignores.items()
        ] + [
            (gitignore_spec([folder_pattern(cfg.folder, glob)]), codes)
            for cfg in self.folders
            for glob, codes in cfg.per_file_ignores.items()
        ]
        self.ignored_reasons = dict(config.ignore_reasons)
        for cfg in self.folders:
            for code, reason in cfg.ignore_reasons.items():
                self.ignored_reasons.setdefault(code, f"{reason} (in {cfg.folder}/)")

    def _listed(self) -> Inventory:
        """The repository's files, without those the root's configuration excludes."""
        if getattr(self, "_listed_inventory", None) is None:
            inv = list_files(self.root)
            spec = self.config.exclude_spec()
            files = {p: t for p, t in inv.files.items() if not spec.match_file(p)}
            problems = {p: m for p, m in inv.problems.items() if not spec.match_file(p + "/")}
            self._listed_inventory = Inventory(files, inv.git, problems)
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
                    {p: m for p, m in inv.problems.items() if not spec.match_file(p + "/")},
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
    ) -> RunResult:
        """Check the project. ``only_paths``: per-file rules look at those files only; with
        ``changed`` (hook mode), a repo rule runs only when one of those paths (the passed
        files and staged deletions) matches what it ``reads``. ``within``: report only findings
        under these paths (files or folders, relative to the root). With a cache folder, results of unchanged files
        and of repo rules whose files did not change are reused (full runs write the cache)."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        project = self.project(overlay)
        errors: list[str] = []
        raw: list[Finding] = []
        store = self._store() if overlay is None else None
        cached = store.load() if store is not None else None
        reuse = Reuse(cached, self.root, self.inventory.files, self.config.max_file_size) if cached else None
        if reuse is not None and not reuse.valid:
            reuse = None
        if reuse is not None:
            for name, entry in reuse.data.get("fact_values", {}).items():
                if reuse.all_unchanged(entry["reads"]):
                    project.known_facts[name] = (entry["value"], set(entry["reads"]))
            project.known_needles = {p: d for p, d in reuse.data.get("needles", {}).items() if reuse.unchanged(p)}
        record: dict[str, Any] = {"file_rules": {}, "repo_rules": {}}
        pooled = None
        if reuse is None and only_paths is None and overlay is None and self._pool_worthwhile():
            pooled = self._pooled_file_rules()
            if pooled is not None:
                errors.extend(pooled.errors)
                for name, reads in pooled.fact_reads.items():
                    project.fact_reads.setdefault(name, set()).update(reads)
                for path, seen in pooled.needles.items():
                    project.needles_seen.setdefault(path, {}).update(seen)
        steps = [r for r in self.enabled if not issubclass(r, EngineRule)]
        for done, rule_cls in enumerate(steps):
            if self.progress is not None:
                self.progress(done, len(steps))
            rule = rule_cls()
            rule_started = time.perf_counter()
            try:
                if isinstance(rule, FileRule):
                    if pooled is not None:
                        by_path = pooled.results.get(rule.code, {})
                    else:
                        by_path = self._file_rule_results(rule, project, errors, only_paths, reuse)
                    record["file_rules"][rule.code] = by_path
                    for items in by_path.values():
                        raw.extend(items)
                elif isinstance(rule, RepoRule):
                    if changed is not None and not _reads_any(rule, changed):
                        continue
                    old = reuse.data["repo_rules"].get(rule.code) if reuse is not None else None
                    if old is not None and reuse.all_unchanged(old["deps"]):
                        found = [load_finding(d) for d in old["findings"]]
                        deps = set(old["deps"])
                    else:
                        with project.tracking() as deps:
                            facts = project.facts_for(rule.check)
                            found = list(rule.check(project, **facts))
                    record["repo_rules"][rule.code] = (deps, found)
                    raw.extend(found)
            except Exception as exc:  # a rule or fact bug: report it, check the rest
                errors.append(_internal(f"rule {rule.code} ({rule.name})", exc))
            timings[rule.code] = time.perf_counter() - rule_started
        if self.progress is not None:
            self.progress(len(steps), len(steps))
        metadata = {}
        for key, fact in self.registry.report.items():
            try:
                metadata[key] = project.fact(fact)
            except Exception as exc:
                errors.append(_internal(f"report fact {fact}", exc))
        problems = self._file_problems(project, reuse)
        cached_supp = self._cached_suppressions(project, reuse)
        if pooled is not None:
            seen = {f.path for f in problems}
            problems += [f for f in pooled.problems if f.path not in seen and f.code in self.enabled_codes]
            touched_here = {f.path for f in project.touched_files()}
            cached_supp.update({p: v for p, v in pooled.supp.items() if p not in touched_here})
        raw.extend(problems)
        raw.extend(self._skipped_pack_findings())
        findings = _distinct(self._filter(project, raw, only_paths, cached_supp))
        if within is not None:
            findings = [f for f in findings if is_within(f.path, within)]
        if store is not None and only_paths is None and not errors and not (reuse is not None and reuse.nothing_new):
            self._save(store, project, reuse, record, problems, cached_supp)
        baseline = None
        if use_baseline and self.baseline_entries is not None:
            baseline = apply_baseline(findings, project, self.baseline_entries)
            findings = baseline.kept
            if StaleBaselineEntry.code in self.enabled_codes and only_paths is None:
                findings.extend(self._stale_findings(baseline))
        findings.sort(key=lambda f: f.sort_key)
        return RunResult(
            self.root, findings, project, self.enabled, errors,
            ignored_reasons=dict(self.ignored_reasons),
            metadata=metadata, baseline=baseline,
            reused={p for p in (reuse.data.get("touched", []) if reuse else []) if reuse.unchanged(p)},
            pooled=set(pooled.supp) if pooled is not None else set(),
            timings=timings, seconds=time.perf_counter() - started,
        )

    # -- the cache -----------------------------------------------------------------------------

    def _store(self) -> Store | None:
        if not self.cache_dir:
            return None
        from . import __version__

        code = code_signature([*self.enabled, *self.registry.facts.values()])
        key = cache_key(__version__, self.registry.packs, sorted(self.enabled_codes), self.config, code)
        return Store(self.cache_dir, key)

    def _file_rule_results(self, rule, project, errors, only_paths, reuse) -> dict[str, list[Finding]]:
        """Findings of a per-file rule by checked file, reusing the cache where it can."""
        names = ([rule.scope] if rule.scope else []) + injected_parameters(rule.check_file)
        old = reuse.data["file_rules"].get(rule.code) if reuse is not None else None
        if old is None or not reuse.facts_valid(names):
            return self._run_file_rule(rule, project, errors, only_paths)
        by_path = {
            p: [load_finding(d) for d in items]
            for p, items in old.items()
            if reuse.unchanged(p) and (only_paths is None or p in only_paths)
        }
        todo = {p for p in reuse.changed if p in self.inventory.files}
        if only_paths is not None:
            todo &= only_paths
        if todo:
            by_path.update(self._run_file_rule(rule, project, errors, todo))
        return by_path

    def _cached_suppressions(self, project, reuse) -> dict[str, list]:
        """Suppressions of files read by the previous run and unchanged since (not read now)."""
        if reuse is None:
            return {}
        touched = {f.path for f in project.touched_files()}
        return {p: s for p, s in reuse.data.get("supp", {}).items() if p not in touched and reuse.unchanged(p)}

    # -- the process pool (cold runs over many files) -------------------------------------------

    def _pool_worthwhile(self) -> bool:
        """Whether forking workers pays: only for the files per-file rules read, and only past
        :data:`POOL_MIN_FILES` of them (below, the workers' start-up and their own facts cost
        more than they save; see the README's Performance section)."""
        if self.jobs <= 1 or len(self.inventory.files) < POOL_MIN_FILES:
            return False
        from .files import kind_of

        kinds = {k for r in self.enabled if issubclass(r, FileRule) for k in r.kinds}
        extra = self.registry.file_kinds
        if sum(1 for p in self.inventory.files if kind_of(p, extra) in kinds) < POOL_MIN_FILES:
            return False
        import multiprocessing as mp

        return "fork" in mp.get_all_start_methods()

    def _pooled_file_rules(self) -> "Pooled | None":
        """Per-file rules over all files, split between ``jobs`` forked workers. Each worker
        builds its own project (facts are recomputed there: they are deterministic) and sends
        back plain data: findings, file problems, suppressions and what its facts read."""
        global _POOL_LINTER
        import concurrent.futures
        import concurrent.futures.process
        import multiprocessing as mp

        paths = sorted(self.inventory.files)
        chunks = [paths[i :: self.jobs] for i in range(self.jobs)]
        if any(p.endswith(".py") for p in paths):
            import libcst  # noqa: F401  (imported once here, inherited by the forked workers)
        _POOL_LINTER = self
        try:
            with concurrent.futures.ProcessPoolExecutor(self.jobs, mp_context=mp.get_context("fork")) as pool:
                parts = list(pool.map(_pool_worker, chunks))
        except (concurrent.futures.process.BrokenProcessPool, OSError):
            return None  # a worker died: the caller checks in this process instead
        finally:
            _POOL_LINTER = None
        merged = Pooled()
        for part in parts:
            for code, by_path in part.results.items():
                merged.results.setdefault(code, {}).update(by_path)
            merged.problems.extend(part.problems)
            merged.supp.update(part.supp)
            merged.errors.extend(part.errors)
            for name, reads in part.fact_reads.items():
                merged.fact_reads.setdefault(name, set()).update(reads)
            merged.needles.update(part.needles)
        return merged

    def _save(self, store, project, reuse, record, problems, cached_supp) -> None:
        touched = {f.path: f for f in project.touched_files()}
        files = {}
        for path in self.inventory.files:
            state = reuse.state.get(path) if reuse is not None else None
            file = touched.get(path)
            if file is not None and file.text is not None and (state is None or state[2] is None or path in reuse.changed):
                if file.disk_state is None or not file.stable:
                    continue  # changed while it was read: not cached, read again next time
                state = [*file.disk_state, content_hash(file.text.encode("utf-8", "surrogateescape"))]
            elif state is None:
                try:
                    st = os.stat(os.path.join(self.root, *path.split("/")))
                    state = [st.st_size, st.st_mtime_ns, None]
                except OSError:
                    continue
            files[path] = state
        facts = dict(reuse.data.get("facts", {})) if reuse is not None else {}
        facts.update({name: sorted(reads) for name, reads in project.fact_reads.items()})
        supp = dict(cached_supp)
        for path, file in touched.items():
            found = suppression.scan(path, file.text, self._prefixes, file.kind) if file.kind in suppression.COMMENT_KINDS and file.text else []
            supp[path] = [[s.line, s.target, s.column, list(s.codes) if s.codes is not None else None] for s in found]
        needles = {p: d for p, d in (reuse.data.get("needles", {}) if reuse is not None else {}).items()
                   if p in files and not (reuse.changed and p in reuse.changed)}
        for path, seen in project.needles_seen.items():
            if path in files:  # read whole and unchanged while read (see SourceFile.contains)
                needles[path] = {**needles.get(path, {}), **seen}
        fact_values = {}
        for name, value in project._facts.items():
            if isinstance(value, (bool, int, str)) or value is None:
                fact_values[name] = {"value": value, "reads": sorted(project.fact_reads.get(name, ()))}
        data = {
            "fact_values": fact_values,
            "needles": needles,
            "paths_hash": paths_hash(self.inventory.files),
            "files": files,
            "touched": sorted(set(touched) | {p for p in (reuse.data.get("touched", []) if reuse else []) if reuse.unchanged(p)}),
            "facts": facts,
            "supp": supp,
            "problems": [dump_finding(f) for f in problems],
            "file_rules": {code: {p: [dump_finding(f) for f in items] for p, items in by_path.items() if items} for code, by_path in record["file_rules"].items()},
            "repo_rules": {code: {"deps": sorted(deps), "findings": [dump_finding(f) for f in found]} for code, (deps, found) in record["repo_rules"].items()},
        }
        store.save(data)

    def _skipped_pack_findings(self) -> list[Finding]:
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

    def _run_file_rule(
        self, rule: FileRule, project: Project, errors: list[str], only_paths: set[str] | None = None
    ) -> dict[str, list[Finding]]:
        """The rule's findings by checked file (only ``only_paths`` when given)."""
        scope = project.fact(rule.scope) if rule.scope else None
        facts = None  # computed for the first file that needs them: often none does
        out: dict[str, list[Finding]] = {}
        if only_paths is None:
            files = project.files()
        else:
            files = [f for f in (project.file(p) for p in sorted(only_paths)) if f is not None]
        for file in files:
            if file.kind not in rule.kinds or (scope is not None and file.path not in scope):
                continue
            if not file.contains_any(rule.needles) or (file.tree if file.kind == "python" else file.parsed) is None:
                continue
            if facts is None:
                facts = project.facts_for(rule.check_file)
            try:
                out[file.path] = list(rule.check_file(file, **facts))
            except RecursionError:
                # Deeper than the rule can follow (pyguard keeps libcst safe, not every rule):
                # the file is reported as not checked, the run goes on.
                file.problem = file.problem or FileProblem("MW002", f"too deeply nested for rule {rule.code} to check")
            except Exception as exc:
                errors.append(_internal(f"rule {rule.code} ({rule.name}) on {file.path}", exc))
        return out

    def _file_problems(self, project: Project, reuse: Any = None) -> list[Finding]:
        out = []
        touched = project.touched_files()
        if reuse is not None:  # problems of unchanged files that this run did not need to read
            seen = {f.path for f in touched}
            for d in reuse.data.get("problems", []):
                if d["path"] not in seen and reuse.unchanged(d["path"]) and d["code"] in self.enabled_codes:
                    out.append(load_finding(d))
        for file in touched:
            p = file.problem
            if p is None:
                continue
            rule = UnreadableFile() if p.code == UnreadableFile.code else ParseFailure()
            if rule.code in self.enabled_codes:
                out.append(rule.finding(file.path, p.message, p.line, p.column))
        if UnreadableFile.code in self.enabled_codes:
            rule = UnreadableFile()
            out.extend(rule.finding(path, message) for path, message in sorted(self.inventory.problems.items()))
        return out

    def _filter(
        self, project: Project, findings: list[Finding], only_paths: set[str] | None = None, cached_supp: dict | None = None
    ) -> list[Finding]:
        kept = []
        for f in findings:
            if any(spec.match_file(f.path) and matches_selector(f.code, f.family, codes) for spec, codes in self._per_file):
                continue
            if not self.selection.enabled_at(f.code, f.path):
                continue  # off in the folder configuration that governs the file
            kept.append(f)
        # Inline suppressions, in every file read during the run (or by the cached run) or
        # holding a finding.
        cached_supp = cached_supp or {}
        # Files whose suppressions matter: those holding a finding, and those read by the run
        # (for MW003; in hook mode only the given files, as MW003 reports nothing else).
        touched = {f.path for f in project.touched_files()}
        if only_paths is not None:
            touched &= only_paths
        paths = {f.path for f in kept} | touched
        by_line: dict[tuple[str, int], list[suppression.Suppression]] = {}
        all_supp: list[suppression.Suppression] = []
        for path, entries in sorted(cached_supp.items()):
            paths.discard(path)  # known from the cache: no need to read the file again
            for line, target, column, codes in entries:
                s = suppression.Suppression(path, line, target, column, tuple(codes) if codes is not None else None)
                all_supp.append(s)
                by_line.setdefault((path, target), []).append(s)
        for path in sorted(paths):
            file = project.file(path)
            if file is None or file.kind not in suppression.COMMENT_KINDS or not file.text:
                continue
            for s in suppression.scan(path, file.text, self._prefixes, file.kind):
                all_supp.append(s)
                by_line.setdefault((path, s.target), []).append(s)
        result = []
        for f in kept:
            candidates = by_line.get((f.path, f.line), []) + by_line.get((f.path, suppression.FILE), [])
            hit = next((s for s in candidates if s.covers(f.code)), None)
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
                        result.append(rule.finding(s.path, f"unused suppression: no finding {s.where}", s.line, s.column))
                    continue
                unused = [c for c in s.codes if c not in s.used and (c in self.enabled_codes or c not in self.registry.rules)]
                if unused:
                    unknown = [c for c in unused if c not in self.registry.rules]
                    detail = f"unknown code {', '.join(unknown)}" if unknown else f"no {', '.join(unused)} finding {s.where}"
                    result.append(rule.finding(s.path, f"unused suppression: {detail}", s.line, s.column))
        return result

    # -- fixing --------------------------------------------------------------------------------

    def fix(
        self, unsafe: bool = False, max_passes: int = 10, only_paths: set[str] | None = None,
        changed: set[str] | None = None, within: list[str] | None = None,
    ) -> RunResult:
        """Apply the fixes that verify, in passes, until nothing changes (bounded); nothing is
        written here (see :mod:`modelw_lint.fixloop`)."""
        from .fixloop import fix

        return fix(self, unsafe, max_passes, only_paths, changed, within)


# Measured on 2 cores (benchmarks/run.py's synthetic project, cold): with 2 workers, 1,354
# files took 40 % longer than one process, 2,406 files 43 % longer, 10,734 files 10 % less.
POOL_MIN_FILES = 8000
_POOL_LINTER: Any = None


@dataclass
class Pooled:
    results: dict[str, dict[str, list[Finding]]] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    supp: dict[str, list] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fact_reads: dict[str, set[str]] = field(default_factory=dict)
    needles: dict[str, dict[str, bool]] = field(default_factory=dict)


def _pool_worker(chunk: list[str]) -> Pooled:
    linter = _POOL_LINTER
    project = linter.project()
    out = Pooled()
    wanted = set(chunk)
    for rule_cls in linter.enabled:
        if issubclass(rule_cls, FileRule):
            rule = rule_cls()
            try:
                out.results[rule.code] = linter._run_file_rule(rule, project, out.errors, wanted)
            except Exception as exc:
                out.errors.append(_internal(f"rule {rule.code} ({rule.name})", exc))
    out.problems = [f for f in linter._file_problems(project) if f.path in wanted]
    for file in project.touched_files():
        if file.path in wanted:
            found = suppression.scan(file.path, file.text, linter._prefixes, file.kind) if file.kind in suppression.COMMENT_KINDS and file.text else []
            out.supp[file.path] = [[s.line, s.target, s.column, list(s.codes) if s.codes is not None else None] for s in found]
    out.fact_reads = {name: set(reads) for name, reads in project.fact_reads.items()}
    out.needles = {p: d for p, d in project.needles_seen.items() if p in wanted}
    return out


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per place: identical findings (a YAML anchor merged into two services,
    met through both) are reported once."""
    seen: set[tuple] = set()
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


def _internal(where: str, exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    last = tb[-1] if tb else None
    place = f" at {last.filename}:{last.lineno}" if last else ""
    return f"internal error in {where}: {type(exc).__name__}: {exc}{place}"


__all__ = ["Linter", "RunResult", "Selection", "ConfigError"]
