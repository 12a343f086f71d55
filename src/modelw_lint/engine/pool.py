"""Per-file rules in worker processes, for cold runs over large repositories.

Measured on 2 cores (benchmarks/run.py's synthetic project, cold): with 2 workers, 1,354 files
took 40 % longer than one process, 2,406 files 43 % longer, 10,734 files 10 % less (each worker
starts, imports and computes its own facts). So workers are used only past
:data:`POOL_MIN_FILES` files of the kinds per-file rules read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modelw_lint.engine import suppression
from modelw_lint.project.files import kind_of
from modelw_lint.core.finding import Finding
from modelw_lint.core.rule import FileRule
from modelw_lint.engine.running import file_rule, internal

POOL_MIN_FILES = 8000
_LINTER: Any = None  # the linter the forked workers inherit


@dataclass
class Pooled:
    """What the workers found, merged: per-rule findings by file, file problems, suppressions,
    internal errors, what the facts read and which markers files hold."""

    results: dict[str, dict[str, list[Finding]]] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    supp: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fact_reads: dict[str, set[str]] = field(default_factory=dict)
    needles: dict[str, dict[str, bool]] = field(default_factory=dict)


def worthwhile(linter: Any) -> bool:
    """Whether forking workers pays: only for the files per-file rules read, and only past
    :data:`POOL_MIN_FILES` of them."""
    if linter.jobs <= 1 or len(linter.inventory.files) < POOL_MIN_FILES:
        return False
    kinds = {k for r in linter.enabled if issubclass(r, FileRule) for k in r.kinds}
    extra = linter.registry.file_kinds
    if sum(1 for p in linter.inventory.files if kind_of(p, extra) in kinds) < POOL_MIN_FILES:
        return False
    import multiprocessing as mp

    return "fork" in mp.get_all_start_methods()


def file_rules(linter: Any) -> Pooled | None:
    """Per-file rules over all files, split between ``jobs`` forked workers; None when a
    worker died (the caller then checks in this process). Each worker builds its own project
    (facts are recomputed there: they are deterministic) and sends back plain data."""
    global _LINTER
    import concurrent.futures
    import concurrent.futures.process
    import multiprocessing as mp

    paths = sorted(linter.inventory.files)
    chunks = [paths[i :: linter.jobs] for i in range(linter.jobs)]
    _LINTER = linter
    try:
        with concurrent.futures.ProcessPoolExecutor(linter.jobs, mp_context=mp.get_context("fork")) as pool:
            parts = list(pool.map(_worker, chunks))
    except (concurrent.futures.process.BrokenProcessPool, OSError):
        return None
    finally:
        _LINTER = None
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


def _worker(chunk: list[str]) -> Pooled:
    linter = _LINTER
    project = linter.project()
    out = Pooled()
    wanted = set(chunk)
    for rule_cls in linter.enabled:
        if issubclass(rule_cls, FileRule):
            rule = rule_cls()
            try:
                out.results[rule.code] = file_rule(rule, project, out.errors, wanted)
            except Exception as exc:
                out.errors.append(internal(f"rule {rule.code} ({rule.name})", exc))
    out.problems = [f for f in linter.file_problems(project) if f.path in wanted]
    for file in project.touched_files():
        if file.path in wanted:
            out.supp[file.path] = suppression.as_data(suppression.of_file(file, linter.prefixes))
    out.fact_reads = {name: set(reads) for name, reads in project.fact_reads.items()}
    out.needles = {p: d for p, d in project.needles_seen.items() if p in wanted}
    return out
