from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._common import anchor

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Component, DjangoProject


class MissingFront(RepoRule):
    """
    ## What it does
    Reports, once, a repository with no JS front at all: no `front/package.json` and no
    front-end elsewhere. Rules about the front stay silent in that case, so this is the only
    finding you get about it. Beside a Django back-end it is only a note (info): the
    project maker offers back-end-only projects; it says where a front would go. With no
    back-end either, nothing of Model W is there and it is a warning.

    ## Why it matters
    A Model W project ships its front and back-end from one repository so one commit can
    change both. A project whose front lives elsewhere, or that has none, should say so once,
    on purpose, in its configuration.

    ## Example
    ```
    api/manage.py
    README.md
    ```

    ## Use instead
    Add the front in `front/`, or, when the project really has none, record why:
    ```toml
    [ignore-reasons]
    MW103 = "API-only project: the mobile app is the client"
    ```

    ## Fix safety
    No fix: a missing front is a project to write, not an edit (or a reason to give under
    `[ignore-reasons]`).

    ## References
    - Model W architecture, "Repo structure"
    - model-w-reference §1
    """

    code = "MW103"
    name = "missing-front"
    family = "layout"
    severity = Severity.WARNING
    reads = ("package.json", "*/package.json")

    fires = [
        Example.repo(
            with_files({"front/package.json": None}),
            note="api/ only: a note",
            line=1,
            message="no JS front in this repository",
        ),
        Example.repo(
            {"README.md": "# Acme\n", "notes/todo.txt": "everything\n"},
            note="neither a front nor a back-end: a warning",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="front/package.json exists"),
        Example.repo(
            with_files({"front/package.json": None, "frontend/package.json": '{"dependencies": {"svelte": "*"}}'}),
            note="a misplaced front is MW102's business",
        ),
    ]

    def check(self, project: Project, components: dict[str, Component], django_projects: list[DjangoProject]):
        if any(comp.is_front(project) for comp in components.values()):
            return
        path = anchor(project, "api/pyproject.toml")
        if django_projects:
            yield self.repo_finding(
                path,
                "no JS front in this repository (a back-end-only project, as the project maker offers): if the project "
                "has a front, Model W puts it in front/, beside api/, in this repository",
                "the repository has no front component",
                severity=Severity.INFO,
            )
            return
        yield self.repo_finding(
            path,
            "no JS front found (no front/package.json) and no Django back-end either: Model W ships the front in front/ "
            "and the back-end in api/, in one repository",
            "the repository has no front component",
        )
