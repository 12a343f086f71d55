from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ._common import PinProblem, pin_finding, pin_problems, pin_rule, preset_dependency

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency
    from ..releases import ReleaseInfo



@pin_rule
class PresetPrerelease(RepoRule):
    """
    ## What it does
    Notes a pre-release pin of `modelw-preset-django` (`2026.10.0b1`, `rc`…) or
    `allow-prereleases = true` on it.

    ## Why it matters
    Betas are for the pilot phase of a release. Fine while piloting; worth moving to the
    final release once it ships.

    ## Example
    ```toml
    modelw-preset-django = {version = ">=2026.10.0b1,<2026.11.0", allow-prereleases = true}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {version = ">=2026.10.0,<2026.11.0"}
    ```

    ## Fix safety
    No fix: a note. Pinning the final release is right once it is out and the lock file is
    refreshed; until then the pre-release is what the project runs.

    ## References
    - model-w-reference §3i (MW-I11), §5
    """

    code = "MW905"
    pin_problem = PinProblem.PRERELEASE
    name = "preset-prerelease"
    family = "stack"
    severity = Severity.INFO
    reads = DEPENDENCY_FILES

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace(">=2026.7.0,<2026.8.0", ">=2026.7.0b1,<2026.8.0")}),
            note="a beta",
            line=8, message="\">=2026.7.0b1,<2026.8.0\" is a pre-release pin",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace(
                'version = ">=2026.7.0,<2026.8.0"}',
                'version = ">=2026.7.0,<2026.8.0", allow-prereleases = true}',
            )}),
            note="allow-prereleases",
        ),
    ]
    silent = [Example.repo(with_files({}), note="a final release")]

    def check(self, project: Project, python_dependencies: list[Dependency], backend_release: ReleaseInfo):
        dep = preset_dependency(python_dependencies)
        if dep is None:
            return
        file = project.file(dep.path)
        line_text = file.line_text(dep.line) if file is not None else ""
        finding = pin_finding(self, dep, backend_release)
        if finding is not None:
            yield finding
        elif "allow-prereleases" in line_text and not pin_problems(dep, backend_release):
            yield self.finding(
                dep.path,
                f'modelw-preset-django "{dep.spec}" allows pre-releases: move to the final release once it ships',
                dep.line,
            )
