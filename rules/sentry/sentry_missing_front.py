from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._common import reports_browser_errors

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front

class SentryMissingFront(RepoRule):
    """
    ## What it does
    Reports a JS front whose `package.json` has none of the Sentry integrations Model W
    uses: `@sentry/sveltekit`, `@sentry/vue`, `@sentry/nuxt`, `@model-w/sentry`,
    `@nuxtjs/sentry`, or `@model-w/preset-nuxt3` (which brings Sentry), nor any other browser
    SDK of Sentry (`@sentry/react` on a React front reports its errors: MW910 is about the
    framework). Build plugins (`@sentry/vite-plugin`) and `@sentry/node` do not count. A
    repository with no front gets MW103 instead.

    ## Why it matters
    Front-end errors happen in the users' browsers, where nobody sees them. Without Sentry
    in the front, a broken page is found by the users.

    ## Example
    ```json
    {"dependencies": {"@sveltejs/kit": "^2.0.0"}}
    ```

    ## Use instead
    ```json
    {"dependencies": {"@sveltejs/kit": "^2.0.0", "@sentry/sveltekit": "^8.0.0"}}
    ```
    with `Sentry.init({ dsn: env.PUBLIC_SENTRY_DSN })` in `src/hooks.client.ts`.

    ## Fix safety
    No fix: the front's Sentry SDK is a dependency to install (and lock) plus an init in the
    front's hooks with the project's DSN variable.

    ## References
    - model-w-reference §1 (front/), §3e (MW-E04)
    """

    code = "MW505"
    name = "sentry-missing-front"
    family = "sentry"
    severity = Severity.WARNING
    reads = ("package.json", "*/package.json")

    fires = [
        Example.repo(
            with_files({"front/package.json": '{\n  "dependencies": {\n    "@sveltejs/kit": "*"\n  }\n}\n'}),
            note="SvelteKit without Sentry",
            line=2, message="no Sentry in the front",
        ),
        Example.repo(
            with_files({"front/package.json": None, "frontend/package.json": '{"dependencies": {"nuxt": "^3.12"}}'}),
            note="a misplaced front",
        ),
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"@sveltejs/kit": "*"}, "devDependencies": {"@sentry/vite-plugin": "2"}}'}),
            note="only Sentry's build plugin (source maps), no SDK",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="@sentry/sveltekit"),
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"nuxt": "^3.12", "@model-w/preset-nuxt3": ">=2024.7.0 <2024.8.0"}}'}),
            note="the Nuxt 3 preset",
        ),
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"react": "19", "@sentry/react": "8"}, "devDependencies": {"vite": "6"}}'}),
            note="a React front with Sentry's React SDK",
        ),
        Example.repo(with_files({"front/package.json": None}), note="no front (MW103)"),
        Example.repo(with_files({"docs/package.json": '{"dependencies": {"react": "*"}}'}), note="a docs site"),
    ]

    def check(self, project: Project, fronts: list[Front]):
        for front in fronts:
            if reports_browser_errors(front.deps):
                continue
            file = project.file(front.path)
            if file is None:
                continue
            text = file.text or ""
            idx = text.find('"dependencies"')
            line = text.count("\n", 0, idx) + 1 if idx >= 0 else 1
            yield self.finding(
                file.path,
                "no Sentry in the front (none of @sentry/sveltekit, @sentry/vue, @sentry/nuxt, @model-w/sentry…): "
                "browser errors go unseen",
                line,
            )
