from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front

NAMES = {"react": "React", "next": "Next.js", "angular": "Angular"}


class FrontFrameworkNotModelW(RepoRule):
    """
    ## What it does
    Reports a JS front built on React, Next.js or Angular.

    ## Why it matters
    Model W's front is Vue/Nuxt, then SvelteKit: reactive frameworks with a server-side
    renderer, chosen over React (not reactive) and Angular (made for enterprise
    development). The presets, the proxy to `/back`, the Sentry setup and the team's
    knowledge all assume them.

    ## Example
    ```json
    {"dependencies": {"next": "^14.0.0", "react": "^18.0.0"}}
    ```

    ## Use instead
    ```json
    {"dependencies": {"@model-w/preset-sveltekit": "~2026.7.0", "@sentry/sveltekit": "^8.0.0"},
     "devDependencies": {"@sveltejs/kit": "*", "svelte": "*", "vite": "*"}}
    ```

    ## Fix safety
    No fix: moving a front to SvelteKit is a rewrite.

    ## References
    - Model W architecture, "Front-end — Nuxt"
    - model-w-reference §3i (MW-I06)
    """

    code = "MW910"
    name = "front-framework-not-model-w"
    family = "stack"
    severity = Severity.ERROR
    reads = ("package.json", "*/package.json")

    fires = [
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"next": "^14.0.0", "react": "^18.0.0", "@sentry/nextjs": "*"}}'}),
            note="Next.js",
            line=1, message="the front is built on Next.js",
        ),
        Example.repo(with_files({"front/package.json": '{"dependencies": {"@angular/core": "^17.0.0"}}'}), note="Angular"),
    ]
    silent = [
        Example.repo(with_files({}), note="SvelteKit"),
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"nuxt": "^3.12.0", "react": "^18.0.0"}}'}),
            note="Nuxt with a React widget library",
        ),
    ]

    def check(self, project: Project, fronts: list[Front]):
        for front in fronts:
            if front.framework in NAMES:
                yield self.finding(
                    front.path,
                    f"the front is built on {NAMES[front.framework]}: Model W fronts are SvelteKit (or Nuxt on older releases)",
                    front.line,
                )
