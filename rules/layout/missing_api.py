from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._common import anchor

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import DjangoProject, Front


class MissingApi(RepoRule):
    """
    ## What it does
    Reports, once, a repository with no Django project at all (no `manage.py` anywhere).
    The settings rules stay silent in that case. Beside a JS front it is only a note (info):
    the project maker offers front-only projects; it says where the back-end would go. With
    no front either, nothing of Model W is there and it is a warning.

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

    fires = [
        Example.repo(
            with_files({"api/manage.py": None}),
            note="a front only: a note",
            line=1,
            message="no Django back-end in this repository",
        ),
        Example.repo(
            {"README.md": "# Acme\n", "notes/todo.txt": "everything\n"},
            note="neither a back-end nor a front: a warning",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="api/manage.py exists"),
        Example.repo(
            with_files({"api/manage.py": None, "backend/manage.py": "import os\n"}),
            note="a misplaced project is MW101's business",
        ),
    ]

    def check(self, project: Project, django_projects: list[DjangoProject], fronts: list[Front]):
        if django_projects:
            return
        path = anchor(project, "front/package.json")
        if fronts:
            yield self.repo_finding(
                path,
                "no Django back-end in this repository (a front-only project, as the project maker offers): if the "
                "project has one, Model W puts it in api/, beside front/, in this repository",
                "the repository has no back-end component",
                severity=Severity.INFO,
            )
            return
        yield self.repo_finding(
            path,
            "no Django project found (no manage.py) and no JS front either: Model W ships the back-end in api/ and the "
            "front in front/, in one repository",
            "the repository has no back-end component",
        )
