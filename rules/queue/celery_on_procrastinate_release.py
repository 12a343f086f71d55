from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ..facts.dependencies import DEPENDENCY_FILES

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency
    from ..releases import ReleaseInfo

PROCRASTINATE_SINCE = (2025, 4)

PYPROJECT_CELERY = """\
[tool.poetry.dependencies]
python = "~3.14"
modelw-preset-django = {extras = ["psycopg", "celery"], version = ">=2026.7.0,<2026.8.0"}
"""


class CeleryOnProcrastinateRelease(RepoRule):
    """
    ## What it does
    Notes a project that runs Celery on a Model W release whose template moved to
    Procrastinate (2025.04 and later). This is information, not a violation: the preset
    still supports Celery through its `celery` extra.

    ## Why it matters
    New Model W projects queue their tasks in PostgreSQL with Procrastinate: one service
    less to run (no broker), transactional enqueueing, and the same tooling as other
    projects. Worth planning when the project next moves release.

    ## Example
    ```toml
    modelw-preset-django = {extras = ["celery"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {extras = ["procrastinate"], version = ">=2026.7.0,<2026.8.0"}
    ```
    with `"procrastinate.contrib.django"` in `INSTALLED_APPS` and `@app.task` tasks.

    ## Fix safety
    No fix: a note. Moving from Celery to Procrastinate rewrites every task and its callers.

    ## References
    - model-w-reference §0 (Celery → Procrastinate from 2025.4), §3c (MW-C04)
    """

    code = "MW306"
    name = "celery-on-procrastinate-release"
    family = "queue"
    severity = Severity.INFO
    reads = (*DEPENDENCY_FILES, "**/celery.py")

    fires = [Example.repo(
        with_files({"api/pyproject.toml": PYPROJECT_CELERY}),
        note="the celery extra on 2026.07",
        line=3,
        message="Celery on Model W 2026.07",
    )]
    silent = [
        Example.repo(with_files({}), note="Procrastinate"),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT_CELERY.replace("2026.7.0,<2026.8.0", "2025.1.0,<2025.2.0")}),
            note="Celery on 2025.01, before the move",
        ),
    ]

    def check(self, project: Project, celery_in_use: bool, backend_release: ReleaseInfo, python_dependencies: list[Dependency]):
        preset_release = backend_release.key
        if not celery_in_use or preset_release is None or preset_release < PROCRASTINATE_SINCE:
            return
        dep = next(
            (d for d in python_dependencies if d.name == "celery" or (d.name == "modelw-preset-django" and "celery" in d.extras)),
            None,
        )
        path, line = (dep.path, dep.line) if dep else (next(p for p in project.paths if p.endswith("celery.py")), 1)
        yield self.finding(
            path,
            f"Celery on Model W {preset_release[0]}.{preset_release[1]:02d}: the template moved to Procrastinate "
            "in 2025.04 (tasks in PostgreSQL, no broker); Celery is still supported",
            line,
        )
