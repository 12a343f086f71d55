from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..versions import specifier_sets, upper_bound
from ._common import preset_dependency

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency


def _pyproject(spec: str) -> str:
    return PYPROJECT.replace('">=2026.7.0,<2026.8.0"', f'"{spec}"')


class PresetPinUnbounded(RepoRule):
    """
    ## What it does
    Reports a `modelw-preset-django` requirement with no upper bound: `*`, an empty
    version, or only `>=`.

    ## Why it matters
    Each preset release is one Model W release: a new one may change settings, drop a
    Python version or require a migration of the front. An unbounded pin lets the next
    `poetry lock` move the whole project to another release by accident.

    ## Example
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0"}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    No fix here: with no lower bound either there is no release to pin to. MW904 rewrites
    bounded ranges to the canonical form.

    ## References
    - model-w-reference §3i (MW-I01), §5
    """

    code = "MW902"
    name = "preset-pin-unbounded"
    family = "stack"
    severity = Severity.ERROR
    reads = DEPENDENCY_FILES

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": _pyproject("*")}),
            note="*",
            line=8,
            message="modelw-preset-django \"*\" has no upper bound",
        ),
        Example.repo(with_files({"api/pyproject.toml": _pyproject(">=2026.7.0")}), note=">= only"),
        Example.repo(with_files({"api/pyproject.toml": None, "api/requirements.txt": "modelw-preset-django[celery]\n"}), note="no version"),
    ]
    silent = [
        Example.repo(with_files({}), note="the canonical range"),
        Example.repo(with_files({"api/pyproject.toml": _pyproject("~2026.7.0")}), note="a tilde range is bounded"),
        Example.repo(with_files({"api/pyproject.toml": _pyproject("<2026.8.0,>=2026.7.0")}), note="bounds in the other order"),
    ]

    def check(self, project: Project, python_dependencies: list[Dependency]):
        dep = preset_dependency(python_dependencies)
        if dep is None:
            return
        spec = dep.spec.strip()
        if specifier_sets(spec) is not None and upper_bound(spec) is None:
            yield self.finding(
                dep.path,
                f'modelw-preset-django "{spec or "(any)"}" has no upper bound: pin one Model W release (>=YYYY.M.0,<YYYY.(M+1).0)',
                dep.line,
            )
