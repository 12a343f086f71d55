import re

from modelw_lint import Example, FixSafety, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..releases import parse_year_month
from ._common import canonical_range, preset_dependency, rewrite_spec


COMMENTED = PYPROJECT.replace("modelw-preset-django =", "# pinned by hand\nmodelw-preset-django =")


class PresetRangeNoncanonical(RepoRule):
    """
    ## What it does
    Reports a bounded `modelw-preset-django` range that is not the template's canonical form
    `>=YYYY.M.0,<YYYY.(M+1).0`: `~2026.7.0`, `^2026.7`, `==2026.7.1`, `>=2026.7,<2027`…

    ## Why it matters
    The canonical range is "exactly one Model W release, any patch of it". Caret ranges
    span releases, exact pins miss patch releases (security fixes), and a uniform form lets
    tools (this one included) read the release at a glance.

    ## Example
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = "^2026.7"}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    Safe: the range is rewritten to the canonical one for the same release (the release
    the range starts at), with comments and layout kept (tomlkit).

    ## References
    - model-w-reference §1 (api/pyproject.toml), §3i (MW-I01)
    """

    code = "MW904"
    name = "preset-range-noncanonical"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    reads = DEPENDENCY_FILES

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": COMMENTED.replace('">=2026.7.0,<2026.8.0"', '"^2026.7"')}),
            fixed={"api/pyproject.toml": COMMENTED},
            note="a caret range (comments are kept)",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": None, "api/requirements.txt": "django-extensions\nmodelw-preset-django[celery]==2026.7.1  # prod\n"}),
            fixed={"api/requirements.txt": "django-extensions\nmodelw-preset-django[celery]>=2026.7.0,<2026.8.0  # prod\n"},
            note="an exact pin in requirements.txt",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="canonical"),
        Example.repo(with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '">=2026.7.0"')}), note="unbounded is MW902's business"),
    ]

    def check(self, project, python_dependencies):
        dep = preset_dependency(python_dependencies)
        if dep is None:
            return
        spec = re.sub(r"\s+", "", dep.spec)
        ym = parse_year_month(spec)
        bounded = re.search(r"<|~|\^|==", spec)
        if ym is None or not bounded:
            return
        canonical = canonical_range(*ym)
        if spec == canonical:
            return
        file = project.file(dep.path)
        edit = rewrite_spec(file, dep, canonical)
        fix = self.make_fix(f"use {canonical}", [edit]) if edit else None
        yield self.finding(dep.path, f'modelw-preset-django "{dep.spec}" is not the canonical range {canonical}', dep.line, fix=fix)
