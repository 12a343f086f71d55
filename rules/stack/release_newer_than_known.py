from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PACKAGE_JSON, PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..releases import latest

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..releases import ReleaseInfo


class ReleaseNewerThanKnown(RepoRule):
    """
    ## What it does
    Notes, once, a project on a Model W release newer than the releases this modelw-lint
    knows (`rules/releases.toml`): a `modelw-preset-django` pin, a front preset, a
    `modelw/base` tag or the configured `release` past the newest row.

    ## Why it matters
    Model W ships a release every quarter. Until modelw-lint knows the new one, what depends
    on its versions (its Python, its `modelw/base` tag, its canonical pins) is not judged,
    and what does not (the fronts, queue, API and storage settings it allows) is judged as
    the newest known release. Updating modelw-lint brings the full check back.

    ## Example
    ```toml
    modelw-preset-django = {version = ">=2027.1.0,<2027.2.0"}
    ```
    with a modelw-lint whose newest release is 2026.10.

    ## Use instead
    Update modelw-lint (`pip install -U modelw-lint`), or, for its maintainers, add the
    release (README, "Adding a release").

    ## Fix safety
    No fix: the project is right; it is modelw-lint that needs updating.

    ## References
    - model-w-reference §5, §6 (release cycle)
    """

    code = "MW916"
    name = "release-newer-than-known"
    family = "stack"
    severity = Severity.INFO
    reads = (*DEPENDENCY_FILES, "*/package.json", "**/Dockerfile*")

    fires = [
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2027.1.0,<2027.2.0"),
                "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2027.1.0"),
            }),
            note="the back-end and the front on 2027.01: one note",
            line=8,
            message="Model W 2027.01 is newer than the releases this modelw-lint knows",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": None, "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2027.1.0")}),
            note="a front-only project on 2027.01",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="2026.07"),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.10.0,<2026.11.0"),
                "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.10.0"),
            }),
            note="2026.10, the newest release it knows",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2024.7.0,<2024.8.0")}),
            note="an old release is MW903's business",
        ),
    ]

    def check(self, project: Project, release: ReleaseInfo):
        if not release.newer or release.path is None or not project.exists(release.path):
            return
        yield self.finding(
            release.path,
            f"Model W {release.name} is newer than the releases this modelw-lint knows (the newest is {latest().name}): "
            "update modelw-lint; until then its Python, image tag and pins are not judged",
            release.line,
        )
