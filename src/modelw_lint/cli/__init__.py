"""The ``modelw-lint`` command line."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable

import click

from modelw_lint import __version__
from modelw_lint.cli.checking import EXIT_CLEAN, EXIT_ERROR, CheckOptions, registry_and_config, run_check
from modelw_lint.config import ConfigError
from modelw_lint.report.docs import explain_text, rules_markdown
from modelw_lint.engine.linter import Linter
from modelw_lint.project.inventory import find_root
from modelw_lint.engine.packs import LOCAL_PACKS_ENV, Registry, load_packs
from modelw_lint.report.formats import FORMATS
from modelw_lint.report.formats.escape import printable
from modelw_lint.report.terminal import explain as explain_terminal
from modelw_lint.report.terminal import rules_table


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _fail(message: str) -> None:
    click.echo(printable(f"modelw-lint: error: {message}"), err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="modelw-lint", message="%(prog)s %(version)s")
def main() -> None:
    """modelw-lint: find where a project drifts from the Model W architecture, and fix what
    can be fixed mechanically.

    \b
    Start with:
      modelw-lint init                   configure a project (release, baseline of what is there)
      modelw-lint check                  check the current directory (at the root: everything)
      modelw-lint check --fix            apply the safe fixes, then report what remains
      modelw-lint rules                  list every rule
      modelw-lint explain MW201          a rule's docs and examples

    Exit codes: 0 no finding at or above the fail level, 1 findings, 2 usage, configuration
    or internal error.

    \b
    Environment:
      MODELW_LINT_LOCAL_PACKS=1    trust the repository's own rule packs (--local-packs)
      MODELW_LINT_DEBUG=1          show the traceback of an internal error (to report a bug)
      MODELW_LINT_OUTPUT_FORMAT    check's --output-format when the command line does not say
      NO_COLOR / FORCE_COLOR       no colour / colour even when not on a terminal (--color)
    """


LOCAL_PACKS_HELP = (
    "Load the rule packs the repository's configuration names (`packs`): this runs the "
    "repository's own Python, so only for a repository you trust [env: MODELW_LINT_LOCAL_PACKS=1]."
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files, then report what remains (also baselined findings).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that may change behaviour.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 if any); with --fix, the same.")
@click.option("--fix-only", is_flag=True, help="Apply the fixes but report no finding; exit 0 unless an error (or --exit-non-zero-on-fix).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix: exit 1 when a fix was applied, even if nothing remains.")
@click.option(
    "--add-noqa", is_flag=True,
    help="Add a `# modelw-lint: ignore[CODE]` comment for each finding on a line, in files that have # comments, and exit.",
)
@click.option(
    "--select",
    "select",
    multiple=True,
    metavar="CODES",
    help="Only these codes, prefixes or families (comma-separated; replaces the config's select).",
)
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add these codes, prefixes or families to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Disable these codes, prefixes or families (added to the config's ignore).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Read settings from this file instead of the repository's configurations.",
)
@click.option(
    "--format", "--output-format", "fmt", type=click.Choice(FORMATS), default=None, envvar="MODELW_LINT_OUTPUT_FORMAT",
    help="Output format [env: MODELW_LINT_OUTPUT_FORMAT; config: output-format; default: text].",
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default=None,
    help="Colour in the text report [default: auto: on a terminal, unless NO_COLOR; FORCE_COLOR means always].",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings (text, concise or json).")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings that are not in this baseline file [config: baseline].",
)
@click.option("--update-baseline", is_flag=True, help="With a baseline: drop its entries that no longer match (never adds any).")
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline (the configuration's and --baseline): report every finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1 [config: fail-on; default: warning].",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where the result cache lives [default: .modelw-lint-cache under the root].",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for cold runs over many files [default: the number of cores].",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="A progress bar on stderr [default: on a terminal, for large repositories, not in CI].",
)
@click.option(
    "--hook",
    is_flag=True,
    help="Pre-commit mode: check the given files only; repository rules run when a given file (or a staged deletion) is one they read.",
)
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
@click.option("--show-settings", is_flag=True, help="Print the resolved settings (root, configurations, release, rules) and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked, and those skipped with why, and exit.")
@click.option(
    "--explain-project", is_flag=True,
    help="Print how the project was understood (components, settings modules and the values production runs with, "
    "images of the application vs infrastructure, files read or not) and exit: why a rule did or did not fire.",
)
@click.option("--show-fixes", is_flag=True, help="With --fix, list each fix applied, by file.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary, no notes on stderr.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the root, the configurations, file counts and the time taken (stderr).")
def check(paths: tuple[Any, ...], select: tuple[Any, ...], extend_select: tuple[Any, ...], ignore: tuple[Any, ...], **options: Any) -> None:
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
    opts = CheckOptions(
        paths=paths, select=_split(select) or None, extend_select=_split(extend_select), ignore=_split(ignore), **options,
    )
    try:
        code = run_check(opts)
    except ConfigError as exc:
        _fail(str(exc))
        return
    sys.exit(code)


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--output", "-o", default=None, help="Where to write the baseline [default: .modelw-lint-baseline.json at the root].")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the root's config.")
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
def baseline(path: str, output: str | None, config_file: str | None, local_packs: bool) -> None:
    """Record the current findings in a baseline, so that `check --baseline FILE` (or
    `baseline = "FILE"` in the configuration) reports only new ones."""
    from modelw_lint.engine.baseline import entries_for, write

    try:
        root, config, registry = registry_and_config(find_root(path), config_file, local_packs)
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


@main.command()
def server() -> None:
    """Run the language server (LSP over stdin/stdout) for editors: diagnostics on open files
    as you type (the whole repository checked, unsaved buffers included) and each fix as a
    quick-fix code action. Needs pygls: pip install 'modelw-lint[server]'. Set-up for VS Code
    and Neovim: README, "In your editor"."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        _fail("the language server needs pygls: pip install 'modelw-lint[server]'")
        return
    from modelw_lint.cli.server import serve

    serve()


@main.command()
def schema() -> None:
    """Print the JSON schema of the configuration ([tool.modelw-lint] in pyproject.toml, or
    .modelw-lint.toml), made from the code that reads it. The repository ships it as
    docs/modelw-lint.schema.json, for editors (Even Better TOML, taplo)."""
    from modelw_lint.config import config_schema

    click.echo(json.dumps(config_schema(), indent=2))


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--no-baseline", is_flag=True, help="Write the configuration only, even when the project has findings.")
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
def init(path: str, no_baseline: bool, local_packs: bool) -> None:
    """Adopt modelw-lint in a project: write .modelw-lint.toml with the Model W release it is
    on and, when it has findings, a baseline of them (.modelw-lint-baseline.json), so that
    `check` passes today and fails on any new drift. Then add the pre-commit hook and the CI
    job (see the README): they report what changes, and the baseline shrinks as you fix."""
    from modelw_lint.cli.adopt import init_project

    try:
        done = init_project(path, baseline=not no_baseline, local_packs=local_packs)
    except ConfigError as exc:
        _fail(str(exc))
        return
    release = f"release {done.release}" if done.release else "no Model W release detected"
    click.echo(printable(f"Wrote {done.config} ({release})."))
    if done.baseline:
        click.echo(printable(f"Recorded the {done.findings} current finding(s) in {done.baseline}: `modelw-lint check` now "
                             "passes, and a new drift fails it."))
    elif done.findings:
        click.echo(printable(f"The project has {done.findings} finding(s) and no baseline (--no-baseline): `modelw-lint check` "
                             "reports them all."))
    else:
        click.echo("No finding: the project conforms.")
    click.echo("Next: commit both files, add the pre-commit hook and the CI job (README: \"Adopting it on a project\").")


AUDIT_OUTPUT = {
    "html": "modelw-lint-audit.html", "markdown": "modelw-lint-audit.md", "json": "modelw-lint-audit.json",
    "csv": "modelw-lint-findings.csv", "plan-csv": "modelw-lint-plan.csv",
}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--output-format", "fmt", type=click.Choice(list(AUDIT_OUTPUT)), default="html", show_default=True,
              help="html: one self-contained page; markdown: for a ticket, a wiki or a pull request comment (within GitHub's "
              "65,536 characters); json: the data (what --merge and --previous read); csv: the findings of every repository; "
              "plan-csv: every repository's plan with its effort.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Where to write the report ('-': stdout) [default: modelw-lint-audit.html, .md or .json here].",
)
@click.option(
    "--repos-from",
    type=click.Path(exists=True, dir_okay=False),
    help="Audit the repositories listed in this file (one path per line; # comments).",
)
@click.option("--merge", is_flag=True, help="PATHS are JSON audits (of one repository or a fleet) to assemble into one fleet report.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Also say what is new and what was fixed since this baseline.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Read settings from this file instead of each repository's configurations.",
)
@click.option(
    "--link-template", metavar="TEMPLATE",
    help="Link each finding to its file and line: a URL with {path}, {line} and {commit} "
    "[default: from a GitHub or GitLab origin remote, at the audited commit].",
)
@click.option(
    "--previous", "previous_file", type=click.Path(dir_okay=False),
    help="A JSON audit made earlier (of one repository or a fleet): say, per repository and system, what improved and what got worse.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Repositories audited at once [default: the number of cores].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--progress/--no-progress", default=None, help="A progress bar on stderr for a fleet [default: on a terminal, not in CI].")
@click.option("--local-packs", is_flag=True, envvar=LOCAL_PACKS_ENV, help=LOCAL_PACKS_HELP)
def audit(paths: tuple[Any, ...], fmt: str, output: str | None, repos_from: str | None, merge: bool, baseline_file: str | None,
          config_file: str | None, link_template: str | None, previous_file: str | None, jobs: int | None, no_cache: bool,
          progress: bool | None, local_packs: bool) -> None:
    """Audit a project: how far it is from Model W, system by system, and the migration plan,
    as one self-contained HTML page a tech lead reads (or Markdown, or JSON).

    \b
    modelw-lint audit                        the repository holding the current directory
    modelw-lint audit ../a ../b ../c         a fleet: one page, a row per repository
    modelw-lint audit --repos-from repos.txt
    modelw-lint audit --merge shard-*.json   assemble JSON audits made elsewhere
    modelw-lint audit --previous last.json   what improved and what got worse since

    Each system of the architecture is scored as a distance (100: conforms, 0: not adopted)
    and each step of the migration plan gets an effort range in person-days; a fleet is
    ordered worst first. With --baseline, a relative path is each repository's own file in a
    fleet. It prints where the report is and a short summary. An audit reports, it does not
    gate: exit 0, or 2 when it could not run.
    """
    from modelw_lint.report.audit import AuditOptions, audit_fleet, audit_repository
    from modelw_lint.report.audit import render as audit_render
    from modelw_lint.cli.checking import progress_bar

    if link_template is not None and "{path}" not in link_template:
        _fail("--link-template needs {path} (and usually {line} and {commit}): "
              "https://github.com/org/repo/blob/{commit}/{path}#L{line}")
        return
    options = AuditOptions(config_file, baseline_file, local_packs, cache=not no_cache, link_template=link_template,
                           per_repository_baseline=True)
    targets = list(paths)
    if repos_from:
        targets += _listed_repositories(repos_from)
    targets = list(dict.fromkeys(targets))  # each once, in the order given
    try:
        previous = _previous_audits(audit_render, previous_file)
        if merge:
            if not targets:
                raise ConfigError("--merge needs the JSON audits to assemble")
            audits, failures = _merged(audit_render, targets)
            _with_trends(audit_render, audits, previous)
            data = audit_render.fleet(audits, failures, _now(), __version__)
            text = _render_fleet(audit_render, data, fmt)
        elif len(targets) <= 1 and not repos_from:
            data = audit_repository(targets[0] if targets else ".", AuditOptions(
                config_file, baseline_file, local_packs, cache=not no_cache, jobs=jobs or os.cpu_count() or 1,
                link_template=link_template))
            _with_trends(audit_render, [data], previous)
            renderers: dict[str, Callable[[Any], str]] = {
                "html": audit_render.html, "markdown": audit_render.markdown, "json": audit_render.as_json,
                "csv": lambda d: audit_render.findings_csv([d]), "plan-csv": lambda d: audit_render.plan_csv([d]),
            }
            text = renderers[fmt](data)
        else:
            show = progress if progress is not None else (sys.stderr.isatty() and not os.environ.get("CI"))
            audits, failures = audit_fleet(targets, options, jobs or os.cpu_count() or 1, progress_bar("repositories") if show else None)
            _with_trends(audit_render, audits, previous)
            data = audit_render.fleet(audits, failures, _now(), __version__)
            text = _render_fleet(audit_render, data, fmt)
    except ConfigError as exc:
        _fail(str(exc))
        return
    except jinja2_errors() as exc:
        _fail(f"cannot render the report: {exc}")
        return
    target = _write_report(text, output, AUDIT_OUTPUT[fmt])
    if target != "-":
        if "audits" in data:
            for a in sorted(data["audits"], key=audit_render.risk_key):
                score = a["score"] if a["score"] is not None else "n/a"
                low, high = a["effort"]["days"]
                click.echo(printable(f"{a['repository'].get('path') or a['repository']['name']}: score {score}, "
                                     f"{a['summary']['findings']} findings, effort {low:g}-{high:g} person-days"))
            for f in data["failures"]:
                click.echo(printable(f"{f['repository']}: not audited: {f['reason']}"))
        else:
            click.echo(audit_render.summary(data), nl=False)
        click.echo(printable(f"Report: {target}"))


def jinja2_errors() -> tuple[Any, ...]:
    import jinja2

    return (jinja2.TemplateError, KeyError, TypeError, AttributeError)


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _render_fleet(audit_render: Any, data: dict[str, Any], fmt: str) -> str:
    renderers: dict[str, Callable[[Any], str]] = {
        "html": audit_render.fleet_html, "markdown": audit_render.fleet_markdown, "json": audit_render.as_json,
        "csv": lambda d: audit_render.findings_csv(d["audits"]), "plan-csv": lambda d: audit_render.plan_csv(d["audits"]),
    }
    return renderers[fmt](data)


def _merged(audit_render: Any, paths: list[str]) -> tuple[list[Any], list[Any]]:
    """The audits of JSON shards: a shard read twice (or the same audit in two shards) counts
    once; a shard that is not an audit is reported (as a failure row, and on stderr) and the
    rest merged; none readable is an error."""
    audits, failures, seen = [], [], set()
    for path in paths:
        try:
            found, failed = audit_render.load(path)
        except ValueError as exc:
            click.echo(printable(f"modelw-lint: warning: {exc}"), err=True)
            name = os.path.basename(path)
            failures.append({"repository": name, "reason": f"shard not merged: {exc}".replace(path, name)})
            continue
        for a in found:
            key = (a["repository"].get("name"), a["repository"].get("commit"), a["repository"].get("remote"), a.get("date"))
            if key not in seen:
                seen.add(key)
                audits.append(a)
        failures += [f for f in failed if f not in failures]
    if not audits:
        raise ConfigError("no audit to merge: " + "; ".join(f["reason"] for f in failures))
    return audits, failures


def _previous_audits(audit_render: Any, path: str | None) -> list[Any] | None:
    if path is None:
        return None
    try:
        audits: list[Any] = audit_render.load(path)[0]
        return audits
    except ValueError as exc:
        raise ConfigError(f"--previous: {exc}") from None


def _with_trends(audit_render: Any, audits: list[Any], previous: list[Any] | None) -> None:
    if previous is None:
        return
    for name in audit_render.add_trends(audits, previous):
        click.echo(printable(f"modelw-lint: note: {name} is not in the previous audit: no trend for it"), err=True)


def _listed_repositories(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        lines = [line.split("#", 1)[0].strip() for line in fh]
    folder = os.path.dirname(os.path.abspath(path))
    return [line if os.path.isabs(line) else os.path.join(folder, line) for line in lines if line]


def _write_report(text: str, output: str | None, default: str) -> str:
    """Write the report where the user said (``-``: stdout), else under ``default`` in the
    current folder, never through a symlink that leads out of it."""
    from modelw_lint.project.safeio import UnsafePath, write_atomic, write_user_file

    if output == "-":
        click.echo(text, nl=False)
        return "-"
    try:
        if output:
            write_user_file(output, text)
            return output
        write_atomic(os.getcwd(), default, text)
    except (OSError, UnsafePath) as exc:
        _fail(f"cannot write the report: {exc}")
    return default


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text: a table fitted to the terminal; json: a list of objects; markdown: the full docs (docs/rules.md).")
def rules(fmt: str) -> None:
    """List every rule: code, name, family, severity, fix safety and what it checks."""
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
        click.echo(rules_table(all_rules, _color()), nl=False)


@main.command()
@click.argument("rule")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="text: drawn for the terminal; markdown: the rule's section of docs/rules.md.")
def explain(rule: str, fmt: str) -> None:
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
    click.echo(explain_text(found) if fmt == "markdown" else explain_terminal(found, _color()), nl=False)


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--cache-dir", type=click.Path(file_okay=False), help="The cache folder, when it is not .modelw-lint-cache under the root.")
def clean(path: str, cache_dir: str | None) -> None:
    """Delete the result cache of the repository holding PATH (only the files modelw-lint
    wrote there)."""
    from modelw_lint.engine.cache import DEFAULT_DIR, clear

    root = find_root(path)
    folder = os.path.abspath(cache_dir) if cache_dir else os.path.join(root, DEFAULT_DIR)
    if not os.path.lexists(folder):
        click.echo(f"No cache in {os.path.relpath(folder)}.")
        return
    try:
        removed = clear(folder)
    except OSError as exc:
        _fail(f"cannot clean {folder}: {exc.strerror or exc}")
        return
    click.echo(f"Removed {removed} cache file{'s' if removed != 1 else ''} from {os.path.relpath(folder)}.")


def _terminated(signum: int, _frame: Any) -> None:
    """SIGTERM: unwind like an interrupt (a temporary file being written is removed), exit 143."""
    raise SystemExit(128 + signum)


def run() -> None:
    """Entry point that turns any unexpected exception into exit code 2 without a traceback;
    an interrupt (Ctrl-C) exits 130 and SIGTERM 143, as tools do, after cleaning up."""
    try:
        _run()
    except SystemExit as exc:
        _leave(exc.code)
    _leave(0)


def _run() -> None:
    import signal

    try:
        signal.signal(signal.SIGTERM, _terminated)
    except (ValueError, OSError):  # not the main thread: leave signals alone
        pass
    try:
        code = main(standalone_mode=False)  # click's own Ctrl-C handling would exit 1
        if isinstance(code, int) and code:
            sys.exit(code)
    except KeyboardInterrupt:
        click.echo("modelw-lint: interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        click.echo("modelw-lint: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        if os.environ.get("MODELW_LINT_DEBUG"):
            raise
        click.echo(printable(f"modelw-lint: internal error: {type(exc).__name__}: {exc}"), err=True)
        sys.exit(EXIT_ERROR)


def _leave(code: object) -> None:
    """Exit with ``code`` (as ``sys.exit`` reads it) without tearing the interpreter down:
    freeing every syntax tree and table of a run one by one costs about 15 ms, a tenth of a
    warm run. By now every file modelw-lint wrote is closed and renamed into place and worker
    processes are joined; the output streams are flushed here. With MODELW_LINT_DEBUG set, or
    threads still running (the language server's), Python exits as usual."""
    import threading

    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if os.environ.get("MODELW_LINT_DEBUG") or threading.active_count() > 1:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):  # a reader that went away, a closed stream
            pass
    os._exit(status)
