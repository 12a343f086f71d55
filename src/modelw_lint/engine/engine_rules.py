"""The engine's own findings (MW0xx). They have metadata and docs like any rule, but no check
and no examples: the engine emits them while it reads files (MW001, MW002), filters
suppressions (MW003), verifies fixes (MW004), compares with the baseline (MW005) and loads
packs (MW006), and examples would need a rule pack to read the files. Their behaviour is
covered by the engine's tests: tests/test_bad_input.py and tests/test_hostile.py (MW001,
MW002), tests/test_engine.py (MW003, MW004, MW006), tests/test_fix_safety.py (MW004) and
tests/test_ci_formats.py (MW005). Code refers to them by class (``UnreadableFile.code``)."""

from __future__ import annotations

from modelw_lint.core.finding import Severity
from modelw_lint.core.rule import EngineRule


class UnreadableFile(EngineRule):
    """
    ## What it does
    Reports a file that a rule needed but that could not be read: not UTF-8, binary content,
    over the size limit, a broken symlink or a symlink loop, or no permission to read it.

    ## Why it matters
    A file that cannot be read cannot be checked: whatever drift it holds goes unseen. The
    run goes on with the other files.

    ## Example
    An `api/acme/django/settings.py` saved as Latin-1, or a `settings.py` symlink to a
    file that was deleted.

    ## Use instead
    Save text files as UTF-8; remove dangling symlinks; raise `max-file-size` in the
    configuration if a large file really must be checked.

    ## Fix safety
    No fix.

    ## References
    - README, "Using it" (unreadable and unparsable files)
    """

    code = "MW001"
    name = "unreadable-file"
    family = "engine"
    severity = Severity.ERROR


class ParseFailure(EngineRule):
    """
    ## What it does
    Reports a file that a rule needed but that does not parse as its kind (Python, TOML,
    YAML, JSON), with the parser's message and position. Python is read by the Python running
    modelw-lint: code valid only in a newer Python (an f-string nesting its own quotes before
    3.12, `except A, B:` before 3.14) is reported as written for a newer Python.

    ## Why it matters
    The rules that needed the file could not check it. A settings module or a
    `pyproject.toml` that does not parse also breaks the application or its build.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env
        INSTALLED_APPS = []
    ```

    ## Use instead
    Fix the syntax error the message points at; for code written for a newer Python, run
    modelw-lint with the Python the project uses.

    ## Fix safety
    No fix.

    ## References
    - README, "Using it" (unreadable and unparsable files)
    """

    code = "MW002"
    name = "parse-error"
    family = "engine"
    severity = Severity.ERROR


class UnusedSuppression(EngineRule):
    """
    ## What it does
    Reports a `# modelw-lint: ignore[CODE]` or `# noqa: CODE` comment that silenced no
    finding of an enabled rule during the run.

    ## Why it matters
    Stale suppressions hide the next real finding on that line and make readers believe
    there is a problem where there is none.

    ## Example
    ```python
    DEBUG = env.get("DEBUG", default=False, is_yaml=True)  # modelw-lint: ignore[MW202]
    ```

    ## Use instead
    Delete the comment, or the code it names.

    ## Fix safety
    No fix.

    ## References
    - README, "Suppressing findings"
    """

    code = "MW003"
    name = "unused-suppression"
    family = "engine"
    severity = Severity.INFO


class FixFailed(EngineRule):
    """
    ## What it does
    Reports a fix that was not applied because the file it produced did not parse. The
    file is left as it was and the original finding is still reported.

    ## Why it matters
    Fixes must never lose data: a fix whose result cannot be verified is reverted.

    ## Example
    A fix that would delete the only statement of a block.

    ## Use instead
    Apply the change by hand, and report the rule's fix as a bug.

    ## Fix safety
    No fix.

    ## References
    - README, "Fixes"
    """

    code = "MW004"
    name = "fix-failed"
    family = "engine"
    severity = Severity.ERROR


class StaleBaselineEntry(EngineRule):
    """
    ## What it does
    Reports an entry of the baseline file (`--baseline`, or `baseline` in the configuration)
    that no longer matches any finding: the problem it recorded was fixed, or its code moved
    beyond recognition.

    ## Why it matters
    A baseline should only shrink. Stale entries would silently absorb a new finding with
    the same fingerprint later on.

    ## Example
    A baseline recorded a literal `SECRET_KEY`; the line has since been deleted.

    ## Use instead
    Run `modelw-lint check --baseline FILE --update-baseline` to drop the stale entries
    (it never adds new ones).

    ## Fix safety
    No fix; `--update-baseline` rewrites the baseline.

    ## References
    - README, "Baseline for legacy projects"
    """

    code = "MW005"
    name = "stale-baseline-entry"
    family = "engine"
    severity = Severity.INFO


class LocalPackNotLoaded(EngineRule):
    """
    ## What it does
    Reports a rule pack that the repository's configuration names (`packs = ["tools.lint"]`)
    but that was not loaded, because loading it means running the repository's own Python
    and the person running modelw-lint did not say they trust it.

    ## Why it matters
    modelw-lint checks repositories its user did not write (audits, pull requests from
    forks). It never runs their code unless told to: a configuration alone cannot make it
    import a file. The run goes on with the installed packs, so the pack's own rules did
    not run.

    ## Example
    ```toml
    # .modelw-lint.toml
    packs = ["tools.lint_rules"]
    ```
    checked with a plain `modelw-lint check`.

    ## Use instead
    In your own repository, pass `--local-packs` (or set `MODELW_LINT_LOCAL_PACKS=1`), for
    instance in the `args` of the pre-commit hook and in the CI job. Never pass it for a
    repository you do not trust.

    ## Fix safety
    No fix.

    ## References
    - README, "Security model"
    """

    code = "MW006"
    name = "local-pack-not-loaded"
    family = "engine"
    severity = Severity.WARNING


ENGINE_RULES = [UnreadableFile, ParseFailure, UnusedSuppression, FixFailed, StaleBaselineEntry, LocalPackNotLoaded]
