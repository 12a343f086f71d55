"""``modelw-lint audit``: how far a project (or a fleet of projects) is from the architecture
its packs describe, and in which order to close the gap. :mod:`.build` makes the audit data
(the JSON form), :mod:`.render` draws it (HTML, Markdown, text), this module runs audits, one
or many in parallel, and merges JSON audits made elsewhere."""

from __future__ import annotations

import concurrent.futures
import datetime as _dt
import multiprocessing as mp
import os
from dataclasses import dataclass
from typing import Any, Callable

import click

from modelw_lint.report.audit.build import SCHEMA, build
from modelw_lint.report.formats.escape import printable

__all__ = ["AuditOptions", "audit_repository", "audit_fleet", "SCHEMA", "build"]


@dataclass(frozen=True)
class AuditOptions:
    config_file: str | None = None
    baseline: str | None = None
    local_packs: bool = False
    cache: bool = True
    jobs: int = 1  # processes for one repository's cold run
    link_template: str | None = None  # how findings link to the forge ({path}, {line}, {commit})
    per_repository_baseline: bool = False  # a relative baseline is each repository's own file


def audit_repository(path: str, options: AuditOptions = AuditOptions(), when: _dt.datetime | None = None) -> dict[str, Any]:
    """The audit of the folder ``path``, as its own repository even inside a larger git work
    tree (raises ConfigError when it cannot run)."""
    from modelw_lint.engine.cache import DEFAULT_DIR
    from modelw_lint.engine.packs import configured
    from modelw_lint.config import ConfigError
    from modelw_lint.engine.linter import Linter, Selection
    from modelw_lint.project.safeio import is_inside

    if not os.path.isdir(path):
        raise ConfigError(f"{path}: no such folder" if not os.path.exists(path) else f"{path} is not a folder")
    root = os.path.abspath(path)
    config, registry, notes = configured(root, options.config_file, options.local_packs)
    for note in notes:
        click.echo(printable(f"modelw-lint: warning: {note}"), err=True)
    cache_dir = os.path.join(root, DEFAULT_DIR) if options.cache else None
    if cache_dir and not is_inside(root, cache_dir):
        cache_dir = None
    baseline = options.baseline
    if baseline and options.per_repository_baseline and not os.path.isabs(baseline):
        # In a fleet, a relative baseline is each repository's own (its absence: no baseline).
        own = os.path.join(root, baseline)
        baseline = own if os.path.isfile(own) else None
    linter = Linter(
        root, config, registry, Selection(baseline=baseline), cache_dir=cache_dir, jobs=options.jobs,
        folders=[] if options.config_file else None,
    )
    result = linter.run(use_baseline=False)
    return build(linter, result, when, options.link_template)


def _one(args: tuple[str, AuditOptions, str]) -> tuple[str, dict[str, Any] | None, str | None]:
    """A worker's audit: (path, audit, None) or (path, None, why it could not run)."""
    path, options, when = args
    try:
        return path, audit_repository(path, options, _dt.datetime.fromisoformat(when)), None
    except Exception as exc:  # one repository failing never stops the fleet
        reason = str(exc) if type(exc).__name__ == "ConfigError" else f"{type(exc).__name__}: {exc}"
        return path, None, reason


def audit_fleet(
    paths: list[str], options: AuditOptions = AuditOptions(), jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Audits of many repositories, ``jobs`` at a time in worker processes, in the order given;
    and the repositories that could not be audited, with why."""
    when = _dt.datetime.now(_dt.timezone.utc).isoformat()
    work = [(p, options, when) for p in paths]
    results: dict[str, tuple[dict[str, Any] | None, str | None]] = {}
    done = 0
    if progress:
        progress(0, len(work))
    if jobs > 1 and len(work) > 1:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with concurrent.futures.ProcessPoolExecutor(min(jobs, len(work)), mp_context=mp.get_context(method)) as pool:
            futures = [pool.submit(_one, w) for w in work]
            for future in concurrent.futures.as_completed(futures):
                try:
                    path, audit, why = future.result()
                except Exception as exc:  # a worker that died: its repository gets a row saying so
                    index = futures.index(future)
                    path, audit, why = work[index][0], None, f"the audit process failed: {type(exc).__name__}: {exc}"
                results[path] = (audit, why)
                done += 1
                if progress:
                    progress(done, len(work))
    else:
        for w in work:
            path, audit, why = _one(w)
            results[path] = (audit, why)
            done += 1
            if progress:
                progress(done, len(work))
    audits, failures = [], []
    for path in paths:
        audit, why = results[path]
        if audit is not None:
            if not os.path.isabs(path):  # never a local absolute path in a report
                audit["repository"]["path"] = path
            audits.append(audit)
        else:
            shown = shown_path(path)
            failures.append({"repository": shown, "reason": (why or "unknown error").replace(path, shown)})
    return audits, failures


def shown_path(path: str) -> str:
    """A path as a report shows it: as given when relative, else its last folder's name (a
    report goes to people who do not have this machine's folders)."""
    return path if not os.path.isabs(path) else os.path.basename(os.path.normpath(path)) or path
