"""The ``modelw-lint`` command line."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any

import click

from . import __version__
from .cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from .config import ConfigError, find_config, load_config
from .docs import explain_text, fix_label, rules_markdown
from .engine import Linter, RunResult, Selection, is_within
from .finding import Severity
from .fixer import unified_diff, write_atomic, write_user_file
from .inventory import find_root, staged_deletions
from .packs import LOCAL_PACKS_ENV, Registry, load_local_packs, load_packs
from .safeio import is_inside
from .reporters import FORMATS, ReportContext, render, statistics_text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    out = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _fail(message: str) -> None:
    click.echo(f"modelw-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="modelw-lint", message="%(prog)s %(version)s")
def main() -> None:
    """modelw-lint: find where a project drifts from the Model W architecture, and fix what
    can be fixed mechanically.

    \b
    Start with:
      modelw-lint check                  check the repository holding the current directory
      modelw-lint check --fix            apply the safe fixes, then report what remains
      modelw-lint rules                  list every rule
      modelw-lint explain MW201          a rule's docs and examples

    Exit codes: 0 no finding at or above the fail level, 1 findings, 2 usage, configuration
    or internal error.
    """


def _registry_and_config(root: str, config_file: str | None, local_packs: bool = False) -> tuple[str, Any, Registry]:
    cfg_path = config_file if config_file else find_config(root)
    config = load_config(cfg_path, user_named=bool(config_file))
    packs = load_packs()
    skipped: list[str] = []
    if config.packs:
        if local_packs:
            packs += load_local_packs(config.packs, root)
        else:
            skipped = list(config.packs)
            outside = not is_inside(root, cfg_path)
            if outside:  # no file of the repository to point a finding at: say it here
                for name in skipped:
                    _warn(f"local rule pack {name!r} ({cfg_path}) not loaded: pass --local-packs to trust its code")
    return root, config, Registry(packs, skipped)


def _warn(message: str) -> None:
    click.echo(f"modelw-lint: warning: {message}", err=True)


LOCAL_PACKS_HELP = (
    "Load the rule packs the repository's configuration names (`packs`): this runs the "
    "repository's own Python, so only for a repository you trust [env: MODELW_LINT_LOCAL_PACKS=1]."
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that may change behaviour.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 if any).")
@click.option("--select", "select", multiple=True, metavar="CODES", help="Only these codes, prefixes or families (comma-separated; replaces the config's select).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add these codes, prefixes or families to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Disable these codes, prefixes or families (added to the config's ignore).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the root's config.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Report only findings that are not in this baseline file [config: baseline].")
@click.option("--update-baseline", is_flag=True, help="With a baseline: drop its entries that no longer match (never adds any).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help="Lowest severity that makes the exit code 1 [config: fail-on; default: warning].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Where the result cache lives [default: .modelw-lint-cache under the root].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes for cold runs over many files [default: the number of cores].")
@click.option("--progress/--no-progress", default=None, help="A progress bar on stderr [default: on a terminal, for large repositories, not in CI].")
@click.option("--hook", is_flag=True, help="Pre-commit mode: check the given files only; repository rules run when a given file (or a staged deletion) is one they read.")
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
def check(paths: tuple, fix: bool, unsafe_fixes: bool, diff: bool, select: tuple, extend_select: tuple, ignore: tuple,
          config_file: str | None, fmt: str, output: str | None, statistics: bool, baseline_file: str | None,
          update_baseline: bool, exit_zero: bool, fail_on: str | None, no_cache: bool, cache_dir: str | None, jobs: int | None, progress: bool | None, hook: bool,
          local_packs: bool) -> None:
    """Check PATHS (files or folders; default: the current directory) and report the
    findings under them. Rules that judge the repository as a whole still read all of it.

    \b
    The root is the top of the git work tree holding PATHS (outside git: the outermost folder
    holding a modelw-lint configuration), whatever PATHS are: paths in every report are
    relative to it and its configuration applies. A folder's own configuration (say
    [tool.modelw-lint] in api/pyproject.toml) extends it for the files under that folder.
    Files come from git (tracked and untracked, not ignored) or from a walk that honours
    .gitignore.

    With --hook (what the pre-commit hooks pass), per-file rules check the given files only,
    and a repository rule runs only when one of them (or a file whose deletion is staged in
    git) is among the files it reads.
    """
    try:
        targets = _targets(paths, hook)
        root, config, registry = _registry_and_config(targets.root, config_file, local_packs)
        selection = Selection(
            select=_split(select) or None, extend_select=_split(extend_select), ignore=_split(ignore), baseline=baseline_file,
        )
        if no_cache:
            cache_dir = None
        elif cache_dir:
            cache_dir = os.path.abspath(cache_dir)  # the user's choice: wherever they said
        else:
            cache_dir = os.path.join(root, DEFAULT_CACHE_DIR)
            if not is_inside(root, cache_dir):
                _warn(f"{DEFAULT_CACHE_DIR} resolves outside the repository: the cache is not used")
                cache_dir = None
        linter = Linter(
            root, config, registry, selection, cache_dir=cache_dir, jobs=jobs or os.cpu_count() or 1,
            folders=[] if config_file else None,
        )
        if progress or (progress is None and sys.stderr.isatty() and not os.environ.get("CI") and len(linter.inventory.files) >= PROGRESS_MIN_FILES):
            linter.progress = _progress_bar()
        if update_baseline and linter.baseline_path is None:
            raise ConfigError("--update-baseline needs a baseline (--baseline FILE or `baseline` in the configuration)")
        # The configuration's excludes apply to passed files (and staged deletions) too.
        run_args = targets.run_args(linter.inventory, config.exclude_spec())
        if fix or diff:
            result = linter.fix(unsafe=unsafe_fixes, **run_args)
        else:
            result = linter.run(**run_args)
    except ConfigError as exc:
        _fail(str(exc))
        return
    for error in result.errors:
        click.echo(f"modelw-lint: {error}", err=True)

    if diff:
        patch = "".join(unified_diff(p, old, new) for p, (old, new) in sorted(result.changes.items()))
        _emit(patch, output)
        n = len(result.changes)
        click.echo(f"{len(result.fixed)} fix(es) would change {n} file(s); nothing was written." if n else "No fix to apply.", err=True)
        sys.exit(EXIT_ERROR if result.errors else (EXIT_FINDINGS if n else EXIT_CLEAN))

    if fix:
        for p, (_old, new) in sorted(result.changes.items()):
            try:
                write_atomic(root, p, new)
            except OSError as exc:
                result.errors.append(f"cannot write {p}: {exc.strerror or exc}")
                click.echo(f"modelw-lint: cannot write {p}: {exc.strerror or exc}", err=True)

    if update_baseline and result.baseline is not None:
        from .baseline import pruned, write

        kept = pruned(linter.baseline_entries, result.baseline.matched)
        try:
            write(linter.baseline_path, kept, root if linter.baseline_from_config else None)
        except OSError as exc:
            _fail(f"cannot update the baseline: {exc}")
        result.findings = [f for f in result.findings if f.code != "MW005"]
        dropped = sum(e.count for e in linter.baseline_entries) - sum(e.count for e in kept)
        click.echo(f"Baseline updated: {dropped} stale entr{'y' if dropped == 1 else 'ies'} dropped.", err=True)

    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    ctx = ReportContext(
        version=__version__,
        color=output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        unsafe_fixes=unsafe_fixes,
        fix_mode=fix,
    )
    if statistics and fmt in ("text", "concise"):
        _emit(statistics_text(result), output)
    else:
        _emit(render(fmt, result, ctx), output)
    sys.exit(exit_code(result, threshold, exit_zero))


PROGRESS_MIN_FILES = 500


def _progress_bar():
    """A one-line progress bar on stderr, erased when the run ends."""
    state = {"shown": False}

    def show(done: int, total: int) -> None:
        if done >= total:
            if state["shown"]:
                click.echo("\r\033[K", nl=False, err=True)
            return
        width = 30
        filled = int(width * done / max(total, 1))
        click.echo(f"\rmodelw-lint [{'#' * filled}{'.' * (width - filled)}] {done}/{total} rules", nl=False, err=True)
        state["shown"] = True

    return show


@dataclass
class Targets:
    """What a ``check`` looks at: the root, and the PATHS relative to it (None: everything)."""

    root: str
    paths: list[str] | None  # files or folders given, relative to the root
    hook: bool = False

    def run_args(self, inventory: Any, excluded: Any) -> dict[str, Any]:
        """``Linter.run``/``fix`` arguments: per-file rules read the files under the paths; in
        hook mode repository rules run only when a given file (or a staged deletion) is one
        they read; otherwise they run and only findings under the paths are reported."""
        if self.paths is None:
            return {"only_paths": set() if self.hook else None, "changed": self._deletions(excluded) if self.hook else None}
        only = {p for p in inventory.files if is_within(p, self.paths)}
        if not self.hook:
            return {"only_paths": only, "changed": None, "within": self.paths}
        given = {p for p in self.paths if not excluded.match_file(p)}
        return {"only_paths": only, "changed": given | self._deletions(excluded)}

    def _deletions(self, excluded: Any) -> set[str]:
        return {p for p in staged_deletions(self.root) if not excluded.match_file(p)}


def _targets(paths: tuple, hook: bool = False) -> Targets:
    """The root and the PATHS argument relative to it. The root is the same whatever PATHS
    (see :func:`find_root`): the git work tree's top, so ``check api/x.py`` and ``check``
    agree on paths, configuration and findings."""
    if not paths:
        cwd = os.getcwd()
        root = find_root(cwd)
        rel = os.path.relpath(cwd, root).replace(os.sep, "/")
        return Targets(root, None if hook or rel == "." else [rel], hook)
    first = os.path.abspath(paths[0])
    root = find_root(first)
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


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--output", "-o", default=None, help="Where to write the baseline [default: .modelw-lint-baseline.json at the root].")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the root's config.")
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
def baseline(path: str, output: str | None, config_file: str | None, local_packs: bool) -> None:
    """Record the current findings in a baseline, so that `check --baseline FILE` (or
    `baseline = "FILE"` in the configuration) reports only new ones."""
    from .baseline import entries_for, write

    try:
        root, config, registry = _registry_and_config(find_root(path), config_file, local_packs)
        config.baseline, config.keys = None, config.keys | {"baseline"}  # no folder's baseline either
        result = Linter(root, config, registry, folders=[] if config_file else None).run(use_baseline=False)
    except ConfigError as exc:
        _fail(str(exc))
        return
    entries = entries_for(result.findings, result.project)
    try:
        if output is None:
            target = os.path.join(root, DEFAULT_BASELINE)
            write(target, entries, root)  # inside the repository, never through a symlink out
        else:
            target = os.path.abspath(output)
            write(target, entries)
    except OSError as exc:
        _fail(f"cannot write the baseline: {exc}")
        return
    total = sum(e.count for e in entries)
    click.echo(f"Recorded {total} finding{'s' if total != 1 else ''} ({len(entries)} entries) in {os.path.relpath(target)}.")
    sys.exit(EXIT_ERROR if result.errors else EXIT_CLEAN)


DEFAULT_BASELINE = ".modelw-lint-baseline.json"


def exit_code(result: RunResult, threshold: Severity, exit_zero: bool) -> int:
    if result.errors:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity >= threshold for f in result.findings) else EXIT_CLEAN


def _emit(text: str, output: str | None) -> None:
    # Paths that are not UTF-8 are kept as surrogate escapes inside; shown, they become U+FFFD.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if output:
        write_user_file(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text: a table; json: a list of objects; markdown: the full docs (docs/rules.md).")
def rules(fmt: str) -> None:
    """List every rule: code, name, family, severity and fix safety."""
    try:
        registry = Registry(load_packs())
    except ConfigError as exc:
        _fail(str(exc))
        return
    all_rules = registry.sorted_rules()
    if fmt == "markdown":
        click.echo(rules_markdown(all_rules, __version__), nl=False)
    elif fmt == "json":
        data = [
            {"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.label,
             "fix": None if r.fix_safety is None else r.fix_safety.value, "kind": r.kind(),
             "summary": r.short_description()}
            for r in all_rules
        ]
        click.echo(json.dumps(data, indent=2))
    else:
        width = max(len(r.name) for r in all_rules)
        for r in all_rules:
            click.echo(f"{r.code}  {r.name:<{width}}  {r.family:<9}  {r.severity.label:<7}  fix: {fix_label(r):<6}  {r.short_description()}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show a rule's documentation and examples (RULE is a code like MW201 or a name)."""
    try:
        registry = Registry(load_packs())
    except ConfigError as exc:
        _fail(str(exc))
        return
    found = registry.lookup(rule)
    if found is None:
        _fail(f"unknown rule {rule!r} (see `modelw-lint rules`)")
        return
    click.echo(explain_text(found), nl=False)


def run() -> None:
    """Entry point that turns any unexpected exception into exit code 2 without a traceback."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        if os.environ.get("MODELW_LINT_DEBUG"):
            raise
        click.echo(f"modelw-lint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)
