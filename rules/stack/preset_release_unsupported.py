from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..releases import supported_names
from ._common import PinProblem, pin_finding, pin_rule, preset_dependency

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency
    from ..releases import ReleaseInfo


@pin_rule
class PresetReleaseUnsupported(RepoRule):
    """
    ## What it does
    Reports a project on a Model W release that is no longer supported (four are at any
    time: see `rules/releases.toml`), from its `modelw-preset-django` pin or the configured
    `release`.

    ## Why it matters
    Unsupported releases get no security fixes for the preset and its pinned stack, and
    each release skipped makes the next upgrade larger.

    ## Example
    ```toml
    modelw-preset-django = {version = ">=2024.7.0,<2024.8.0"}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    No fix: moving release is a project (see the release notes of each release).

    ## References
    - model-w-reference §5 (release cycle)
    """

    code = "MW903"
    pin_problem = PinProblem.UNSUPPORTED
    name = "preset-release-unsupported"
    family = "stack"
    severity = Severity.WARNING
    reads = (*DEPENDENCY_FILES, "*/package.json", "**/Dockerfile*")

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2024.7.0,<2024.8.0")}),
            note="2024.07",
            line=8,
            message="Model W 2024.07 is no longer supported",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2023.3.0,<2023.4.0")}),
            note="a release older than the table",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"~2024.7.0b1"')}),
            note="also a pre-release and not canonical: one finding that says all three",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="2026.07"),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2027.1.0,<2027.2.0")}),
            note="a release newer than the table",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.10.0,<2026.11.0")}),
            note="2026.10, newer than modelw-lint knows",
        ),
    ]

    def check(self, project: Project, release: ReleaseInfo, python_dependencies: list[Dependency]):
        if release.name is None or release.supported or release.newer:
            return  # newer than modelw-lint knows: not for us to judge
        dep = preset_dependency(python_dependencies)
        if dep is not None and release.path == dep.path:
            finding = pin_finding(self, dep, release)
            if finding is not None:
                yield finding
            return
        if release.path is None or not project.exists(release.path):
            return
        yield self.finding(release.path, f"Model W {release.name} is no longer supported (supported: {supported_names()})", release.line)
