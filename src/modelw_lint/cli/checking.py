"""``modelw-lint check`` as a recipe: find the root and the targets, load the configuration
and the packs, build the linter, then show settings or files, or run (or fix), write, update
the baseline and report. The click command in :mod:`modelw_lint.cli` only gathers options."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import click

from modelw_lint import __version__
from modelw_lint.engine.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from modelw_lint.config import ConfigError
from modelw_lint.engine.linter import Linter, RunResult, Selection, is_within
from modelw_lint.engine.engine_rules import StaleBaselineEntry
from modelw_lint.core.finding import Severity
from modelw_lint.fix.fixer import unified_diff
from modelw_lint.project.inventory import find_root, prefetch_listing, root_note, staged_deletions, staged_deletions_started
from modelw_lint.engine.packs import Registry, configured
from modelw_lint.report.formats import ReportContext, render, statistics_json, statistics_text
from modelw_lint.report.formats.escape import printable
from modelw_lint.project.safeio import ChangedMeanwhile, is_inside, write_atomic, write_user_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 500
STATISTICS_FORMATS = ("text", "concise", "json")


@dataclass
class CheckOptions:
    """Everything ``check`` was asked, as the command line gave it."""

    paths: tuple[str, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    fix_only: bool = False
    exit_non_zero_on_fix: bool = False
    add_noqa: bool = False
    color: str | None = None
    no_baseline: bool = False
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    config_file: str | None = None
    fmt: str | None = None  # None: the configuration's output-format, else text
    output: str | None = None
    statistics: bool = False
    baseline_file: str | None = None
    update_baseline: bool = False
    exit_zero: bool = False
    fail_on: str | None = None
    no_cache: bool = False
    cache_dir: str | None = None
    jobs: int | None = None
    progress: bool | None = None
    hook: bool = False
    local_packs: bool = False
    show_settings: bool = False
    show_files: bool = False
    explain_project: bool = False
    show_fixes: bool = False
    quiet: bool = False
    verbose: bool = False

    def usage_problems(self) -> list[str]:
        """Combinations that cannot do what they say (exit 2)."""
        out = []
        if self.statistics and self.fmt not in STATISTICS_FORMATS:
            out.append(f"--statistics works with --format text, concise or json, not {self.fmt}")
        if self.add_noqa and (self.fix or self.diff or self.fix_only):
            out.append("--add-noqa writes suppression comments and --fix writes fixes: run one, then the other")
        if self.no_baseline and (self.baseline_file or self.update_baseline):
            out.append("--no-baseline ignores the baseline that --baseline or --update-baseline names: pick one")
        if self.quiet and self.verbose:
            out.append("--quiet and --verbose contradict each other")
        shows = [name for name, on in (("--show-settings", self.show_settings), ("--show-files", self.show_files),
                                       ("--explain-project", self.explain_project)) if on]
        if len(shows) > 1:
            out.append(f"{' and '.join(shows)} each print a report and exit: pick one")
        if self.explain_project and self.fmt not in ("text", "json"):
            out.append(f"--explain-project prints text or json, not {self.fmt}")
        return out


def say(opts: CheckOptions, message: str) -> None:
    """A note on stderr, unless --quiet."""
    if not opts.quiet:
        click.echo(printable(message), err=True)


def warn(message: str) -> None:
    click.echo(printable(f"modelw-lint: warning: {message}"), err=True)


def run_check(opts: CheckOptions) -> int:
    """The exit code of ``check`` (a :class:`ConfigError` is a usage error: exit 2)."""
    started = time.monotonic()
    if opts.fix_only:
        opts.fix = True
    if opts.fix and opts.diff:
        opts.fix = False  # as ruff: --fix --diff shows the fixes and writes nothing
    targets = find_targets(opts.paths, opts.hook)
    prefetch_listing(targets.root)  # git lists the files while the packs load
    root, config, registry = registry_and_config(targets.root, opts.config_file, opts.local_packs)
    opts.fmt = opts.fmt or config.output_format or "text"
    problems = opts.usage_problems()
    if problems:
        raise ConfigError(problems[0])
    if opts.unsafe_fixes and not (opts.fix or opts.diff):
        warn("--unsafe-fixes applies fixes only with --fix (write them) or --diff (show them); add one of these")
    if opts.no_baseline:
        config.baseline, config.keys = None, config.keys | {"baseline"}  # no folder's baseline either
    linter = make_linter(opts, root, config, registry)
    if opts.show_settings:
        from modelw_lint.cli.showing import settings_report

        emit(settings_report(linter, targets, opts), opts.output)
        return EXIT_CLEAN
    if opts.show_files:
        from modelw_lint.cli.showing import files_report

        emit(files_report(linter, targets, opts), opts.output)
        return EXIT_CLEAN
    if opts.explain_project:
        from modelw_lint.cli.showing import explain_report

        text, problems = explain_report(linter, opts)
        emit(text, opts.output)
        for problem in problems:
            warn(problem)
        return EXIT_ERROR if problems else EXIT_CLEAN
    if opts.update_baseline and linter.baseline_path is None:
        raise ConfigError("--update-baseline needs a baseline (--baseline FILE or `baseline` in the configuration)")
    # The configuration's excludes apply to passed files (and staged deletions) too.
    run_args = targets.run_args(linter.inventory, config.exclude_spec())
    if opts.add_noqa:
        return add_noqa_report(opts, linter, linter.run(use_baseline=False, **run_args))
    if opts.fix or opts.diff:
        from modelw_lint.fix.fixloop import fix

        result = fix(linter, unsafe=opts.unsafe_fixes, **run_args)
    else:
        result = linter.run(**run_args)
    for error in result.errors:
        click.echo(printable(f"modelw-lint: {error}"), err=True)
    if opts.diff:
        return show_diff(opts, result)
    if opts.fix:
        write_fixes(opts, root, result)
    if opts.update_baseline and result.baseline is not None:
        update_baseline(opts, linter, result)
    if opts.fix_only:
        say(opts, f"Fixed {len(result.fixed)} finding{'s' if len(result.fixed) != 1 else ''}{_in_baseline(result)}"
                  f"{f'; {len(result.findings)} left (not reported: --fix-only)' if result.findings else ''}.")
    else:
        report(opts, result)
    if opts.verbose:
        verbose_summary(linter, result, time.monotonic() - started)
    if opts.fix and opts.exit_non_zero_on_fix and result.fixed and not result.errors:
        return EXIT_FINDINGS
    if opts.fix_only:
        return EXIT_ERROR if result.errors else EXIT_CLEAN
    threshold = Severity.parse(opts.fail_on) if opts.fail_on else config.fail_on
    return exit_code(result, threshold, opts.exit_zero)


def add_noqa_report(opts: CheckOptions, linter: Linter, result: RunResult) -> int:
    from modelw_lint.fix.noqa import add_noqa

    done = add_noqa(linter, result)
    for problem in done.problems:
        warn(problem)
    say(opts, f"Added {done.comments} suppression comment{'s' if done.comments != 1 else ''} in {done.files} "
              f"file{'s' if done.files != 1 else ''}.")
    if done.left:
        where = sorted({f.path for f in done.left})
        say(opts, f"{len(done.left)} finding{'s' if len(done.left) != 1 else ''} left without one (about a whole file or the "
                  f"repository, or in a file without # comments: {', '.join(where[:5])}{' …' if len(where) > 5 else ''}).")
    return EXIT_ERROR if result.errors else EXIT_CLEAN


def _in_baseline(result: RunResult) -> str:
    n = getattr(result, "fixed_in_baseline", 0)
    return f" ({n} of them in the baseline: --update-baseline drops their entries)" if n else ""


# -- the steps ---------------------------------------------------------------------------------


def registry_and_config(root: str, config_file: str | None, local_packs: bool = False) -> tuple[str, Any, Registry]:
    """The root's configuration and the rule packs (see :func:`~modelw_lint.engine.packs.configured`),
    what they have to say printed on stderr."""
    config, registry, notes = configured(root, config_file, local_packs)
    for note in notes:
        warn(note)
    return root, config, registry


def make_linter(opts: CheckOptions, root: str, config: Any, registry: Registry) -> Linter:
    selection = Selection(select=opts.select, extend_select=opts.extend_select, ignore=opts.ignore, baseline=opts.baseline_file)
    linter = Linter(
        root, config, registry, selection, cache_dir=cache_dir(opts, root), jobs=opts.jobs or os.cpu_count() or 1,
        folders=[] if opts.config_file else None,
    )
    for folder in linter.folders:
        for note in folder.notes:
            warn(note)
    wanted = opts.progress
    if wanted is None:
        wanted = sys.stderr.isatty() and not os.environ.get("CI") and not opts.quiet and len(linter.inventory.files) >= PROGRESS_MIN_FILES
    if wanted:
        linter.progress = progress_bar()
    return linter


def cache_dir(opts: CheckOptions, root: str) -> str | None:
    """Where the cache lives: nowhere with --no-cache, where the user said, else under the
    root (never through a symlink out of it)."""
    if opts.no_cache:
        return None
    if opts.cache_dir:
        return os.path.abspath(opts.cache_dir)  # the user's choice: wherever they said
    path = os.path.join(root, DEFAULT_CACHE_DIR)
    if not is_inside(root, path):
        warn(f"{DEFAULT_CACHE_DIR} resolves outside the repository: the cache is not used")
        return None
    return path


def show_diff(opts: CheckOptions, result: RunResult) -> int:
    patch = "".join(unified_diff(p, old, new) for p, (old, new) in sorted(result.changes.items()))
    emit(patch, opts.output)
    n = len(result.changes)
    say(opts, f"{len(result.fixed)} fix(es) would change {n} file(s); nothing was written." if n else "No fix to apply.")
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if n and not opts.exit_zero else EXIT_CLEAN


def write_fixes(opts: CheckOptions, root: str, result: RunResult) -> None:
    """Write each fixed file, unless it changed since it was read (someone saved it while the
    fixes were computed): that file is left as it is, said, and its findings stay reported."""
    for path, (old, new) in sorted(result.changes.items()):
        try:
            write_atomic(root, path, new, expected=old if old is not None else None)
        except ChangedMeanwhile as exc:
            warn(str(exc))
            kept = [f for f in result.fixed if f.path == path]
            result.fixed = [f for f in result.fixed if f.path != path]
            result.findings = sorted([*result.findings, *kept], key=lambda f: f.sort_key)
        except OSError as exc:
            result.errors.append(f"cannot write {path}: {exc.strerror or exc}")
            click.echo(printable(f"modelw-lint: cannot write {path}: {exc.strerror or exc}"), err=True)


def update_baseline(opts: CheckOptions, linter: Linter, result: RunResult) -> None:
    from modelw_lint.engine.baseline import pruned, write

    kept = pruned(linter.baseline_entries, result.baseline.matched)
    assert linter.baseline_path is not None  # --update-baseline needs one (checked before the run)
    try:
        write(linter.baseline_path, kept, linter.root if linter.baseline_from_config else None)
    except OSError as exc:
        raise ConfigError(f"cannot update the baseline: {exc}") from None
    result.findings = [f for f in result.findings if f.code != StaleBaselineEntry.code]
    dropped = sum(e.count for e in linter.baseline_entries) - sum(e.count for e in kept)
    say(opts, f"Baseline updated: {dropped} stale entr{'y' if dropped == 1 else 'ies'} dropped.")


def report(opts: CheckOptions, result: RunResult) -> None:
    ctx = ReportContext(
        version=__version__,
        color=use_color(opts.color, opts.output),
        unsafe_fixes=opts.unsafe_fixes,
        fix_mode=opts.fix,
        list_fixes=opts.show_fixes,
        quiet=opts.quiet,
    )
    if opts.statistics:
        emit(statistics_json(result) if opts.fmt == "json" else statistics_text(result), opts.output)
    else:
        emit(render(opts.fmt or "text", result, ctx), opts.output, color=ctx.color or None)


def use_color(choice: str | None, output: str | None = None) -> bool:
    """Colour in the text report: ``always``/``never`` as said; else FORCE_COLOR (set and not
    empty) means always, NO_COLOR never, and otherwise colour on a terminal only."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("FORCE_COLOR"):
        return output is None
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def verbose_summary(linter: Linter, result: RunResult, seconds: float) -> None:
    configs = [linter.config.path or "(defaults)"] + [cfg.path for cfg in linter.folders]
    lines = [
        f"root: {linter.root}",
        f"configuration: {', '.join(c for c in configs if c)}",
        f"rules: {len(linter.enabled)} enabled",
        f"files: {len(linter.inventory.files)} in the repository, {result.files_checked} read"
        + (f" ({len(result.reused)} from the cache)" if result.reused else ""),
        f"time: {seconds:.2f} s",
    ]
    for line in lines:
        click.echo(printable(f"modelw-lint: {line}"), err=True)


def exit_code(result: RunResult, threshold: Severity, exit_zero: bool) -> int:
    if result.errors:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity >= threshold for f in result.findings) else EXIT_CLEAN


def emit(text: str, output: str | None, color: bool | None = None) -> None:
    """Print (or write) a report; ``color``: keep its colours even off a terminal (--color always)."""
    # Paths that are not UTF-8 are kept as surrogate escapes inside; shown, they become U+FFFD.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if output:
        write_user_file(output, text)
    else:
        click.echo(text, nl=False, color=color)


def progress_bar(unit: str = "rules") -> Callable[[int, int], None]:
    """A one-line progress bar on stderr, erased when the run ends."""
    state = {"shown": False}

    def show(done: int, total: int) -> None:
        if done >= total:
            if state["shown"]:
                click.echo("\r\033[K", nl=False, err=True)
            return
        width = 30
        filled = int(width * done / max(total, 1))
        click.echo(f"\rmodelw-lint [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit}", nl=False, err=True)
        state["shown"] = True

    return show


# -- what a check looks at ---------------------------------------------------------------------


@dataclass
class Targets:
    """What a ``check`` looks at: the root, and the PATHS relative to it (None: everything)."""

    root: str
    paths: list[str] | None  # files or folders given, relative to the root
    hook: bool = False
    deletions: Any = None  # hook mode: the staged deletions, being read by git meanwhile

    def __post_init__(self) -> None:
        if self.hook:
            self.deletions = staged_deletions_started(self.root)

    def run_args(self, inventory: Any, excluded: Any) -> dict[str, Any]:
        """``Linter.run``/``fix`` arguments: per-file rules read the files under the paths; in
        hook mode repository rules run only when a given file (or a staged deletion) is one
        they read, and only what the commit changed is reported: findings in the given files
        and findings about the repository as a whole (a legacy project's other findings stay
        for CI); otherwise every rule runs and only findings under the paths are reported."""
        if self.paths is None:
            # A hook run given no file (a commit of deletions only): the repository rules that
            # read a deleted file say everything they find.
            return {"only_paths": set() if self.hook else None, "changed": self._deletions(excluded) if self.hook else None}
        files = inventory.files
        only = {p for p in self.paths if p in files}  # files given: no scan of the inventory
        folders = [p for p in self.paths if p not in files]
        if folders:
            only |= {p for p in files if is_within(p, folders)}
        if not self.hook:
            return {"only_paths": only, "changed": None, "within": self.paths}
        given = {p for p in self.paths if not excluded.match_file(p)}
        return {"only_paths": only, "changed": given | self._deletions(excluded), "within": sorted(given), "hook": True}

    def _deletions(self, excluded: Any) -> set[str]:
        found = self.deletions() if self.deletions is not None else staged_deletions(self.root)
        return {p for p in found if not excluded.match_file(p)}


def find_targets(paths: tuple[Any, ...], hook: bool = False) -> Targets:
    """The root and the PATHS argument relative to it. The root is the same whatever PATHS
    (see :func:`find_root`): the git work tree's top, so ``check api/x.py`` and ``check``
    agree on paths, configuration and findings. A parent folder's configuration that made
    the root, outside git, is said."""
    start = os.path.abspath(paths[0]) if paths else os.getcwd()
    note = root_note(start, find_root(start))
    if note:
        warn(note)
    if not paths:
        cwd = os.getcwd()
        root = find_root(cwd)
        rel = os.path.relpath(cwd, root).replace(os.sep, "/")
        return Targets(root, None if hook or rel == "." else [rel], hook)
    root = find_root(os.path.abspath(paths[0]))
    rels: list[str] = []
    for p in paths:
        full = os.path.abspath(p)
        if not (full == root or full.startswith(root.rstrip(os.sep) + os.sep)):
            raise ConfigError(f"{p} is outside the repository root {root} (check one repository at a time)")
        rel = os.path.relpath(full, root).replace(os.sep, "/")
        rels.append("" if rel == "." else rel)
    if not hook and "" in rels:
        return Targets(root, None)
    return Targets(root, rels, hook)
