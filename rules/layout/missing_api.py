from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._common import anchor

if TYPE_CHECKING:
    from ..facts.components import DjangoProject


class MissingApi(RepoRule):
    """
    ## What it does
    Reports, once, a repository with no Django project at all (no `manage.py` anywhere).
    The settings rules stay silent in that case.

    ## Why it matters
    Model W's back-end is a Django project in `api/`. A repository without one is either
    not a Model W project or keeps its back-end elsewhere, which the architecture advises
    against ("all which is shipped together should sit in the same repo").

    ## Example
    ```
    front/package.json
    README.md
    ```

    ## Use instead
    ```
    api/manage.py
    front/package.json
    ```
    or record why under `[ignore-reasons]` (`MW106 = "front-only repository"`).

    ## Fix safety
    No fix: a missing back-end is a project to write, not an edit.

    ## References
    - Model W architecture, "Repo structure"
    """

    code = "MW106"
    name = "missing-api"
    family = "layout"
    severity = Severity.WARNING
    reads = ("**/manage.py",)

    fires = [Example.repo(
        with_files({"api/manage.py": None}),
        note="no manage.py anywhere",
        line=1,
        message="no Django project found (no manage.py)",
    )]
    silent = [
        Example.repo(with_files({}), note="api/manage.py exists"),
        Example.repo(
            with_files({"api/manage.py": None, "backend/manage.py": "import os\n"}),
            note="a misplaced project is MW101's business",
        ),
    ]

    def check(self, project, django_projects: list[DjangoProject]):
        if django_projects:
            return
        path = anchor(project, "front/package.json")
        yield self.repo_finding(
            path,
            "no Django project found (no manage.py): Model W ships the back-end in api/ in the same repository",
            "the repository has no back-end component",
        )
