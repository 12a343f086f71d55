from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front


class Nuxt2Front(RepoRule):
    """
    ## What it does
    Reports a front on Nuxt 2.

    ## Why it matters
    Nuxt 2 and Vue 2 reached their end of life: no security fixes, and no Model W preset
    since 2023.04. The architecture already planned the move to Nuxt 3, and the template
    has been SvelteKit since 2024.10.

    ## Example
    ```json
    {"dependencies": {"nuxt": "~2.16.3", "@nuxtjs/proxy": "*"}}
    ```

    ## Use instead
    SvelteKit with `@model-w/preset-sveltekit`, as project-maker generates it.

    ## Fix safety
    No fix: moving from Nuxt 2 (to Nuxt 3 or SvelteKit) is a rewrite.

    ## References
    - model-w-reference §0, §1 (front/ by era), §3i (MW-I06)
    """

    code = "MW911"
    name = "nuxt2-front"
    family = "stack"
    severity = Severity.WARNING
    reads = ("package.json", "*/package.json")

    fires = [Example.repo(
        with_files({"front/package.json": '{"dependencies": {"nuxt": "~2.16.3", "@nuxtjs/sentry": "*"}}'}),
        note="Nuxt 2",
        line=1, message="the front is on Nuxt 2 (end of life)",
    )]
    silent = [
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"nuxt": "3.12.x", "@model-w/preset-nuxt3": ">=2026.4.0 && <2026.5.0"}}'}),
            note="Nuxt 3",
        ),
        Example.repo(with_files({}), note="SvelteKit"),
    ]

    def check(self, project: Project, fronts: list[Front]):
        for front in fronts:
            if front.framework == "nuxt2":
                yield self.finding(
                    front.path,
                    "the front is on Nuxt 2 (end of life): move to SvelteKit, the current Model W front",
                    front.line,
                )
