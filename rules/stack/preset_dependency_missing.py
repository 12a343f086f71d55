from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ._common import PRESET, preset_dependency

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency


class PresetDependencyMissing(RepoRule):
    """
    ## What it does
    Reports a back-end whose declared dependencies (`pyproject.toml` or requirements files)
    do not include `modelw-preset-django`.

    ## Why it matters
    The preset is the Model W back-end: it pins Django and the stack's libraries to one
    release, and builds the settings from the environment. Without it the project is a
    plain Django project that happens to live in `api/`.

    ## Example
    ```toml
    [tool.poetry.dependencies]
    python = "~3.14"
    django = "^5.2"
    ```

    ## Use instead
    ```toml
    [tool.poetry.dependencies]
    python = "~3.14"
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    No fix: adopting the preset changes the settings module too.

    ## References
    - Model W architecture, "API" (the project depends on modelw-preset-django)
    - model-w-reference §3i (MW-I01)
    """

    code = "MW901"
    name = "preset-dependency-missing"
    family = "stack"
    severity = Severity.ERROR
    reads = DEPENDENCY_FILES

    fires = [Example.repo(
        with_files({"api/pyproject.toml": '[tool.poetry.dependencies]\npython = "~3.14"\ndjango = "^5.2"\n'}),
        note="plain Django",
        line=3, message="modelw-preset-django is not a dependency",
    )]
    silent = [
        Example.repo(with_files({}), note="the preset"),
        Example.repo(with_files({"api/pyproject.toml": None}), note="no dependency file (MW104)"),
    ]

    def check(self, project: Project, python_dependencies: list[Dependency]):
        if not python_dependencies or preset_dependency(python_dependencies):
            return
        first = python_dependencies[0]
        yield self.finding(first.path, f"{PRESET} is not a dependency: Model W back-ends are built on the preset", first.line)
