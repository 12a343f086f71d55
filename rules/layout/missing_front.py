from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._common import OTHER_COMPONENTS, anchor, is_js_front

if TYPE_CHECKING:
    from ..facts.components import Component


class MissingFront(RepoRule):
    """
    ## What it does
    Reports, once, a repository with no JS front at all: no `front/package.json` and no
    front-end elsewhere. Rules about the front stay silent in that case, so this is the only
    finding you get about it.

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

    fires = [Example.repo(
        with_files({"front/package.json": None}),
        note="api/ only",
        line=1,
        message="no JS front found (no front/package.json)",
    )]
    silent = [
        Example.repo(with_files({}), note="front/package.json exists"),
        Example.repo(
            with_files({"front/package.json": None, "frontend/package.json": '{"dependencies": {"svelte": "*"}}'}),
            note="a misplaced front is MW102's business",
        ),
    ]

    def check(self, project, components: dict[str, Component]):
        for comp in components.values():
            if not comp.package_json or comp.name in OTHER_COMPONENTS:
                continue
            if comp.name == "front" or is_js_front(project, comp.package_json):
                return
        path = anchor(project, "api/pyproject.toml")
        yield self.repo_finding(
            path,
            "no JS front found (no front/package.json): Model W ships the front in front/ in the same "
            "repository; if this project has none, say why under [ignore-reasons]",
            "the repository has no front component",
        )
