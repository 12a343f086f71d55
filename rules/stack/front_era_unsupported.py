from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PYPROJECT, with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front
    from ..releases import ReleaseInfo

NUXT3 = '{"dependencies": {"nuxt": "3.12.x", "@model-w/preset-nuxt3": ">=2026.4.0 && <2026.5.0", "@model-w/sentry": "*"}}'


class FrontEraUnsupported(RepoRule):
    """
    ## What it does
    Notes a Nuxt 3 front on a Model W release that no longer ships a Nuxt 3 preset (the
    last `@model-w/preset-nuxt3` is for 2026.04). Nuxt 3 on a release that still supports
    it is fine.

    ## Why it matters
    Without a preset for its release, the front keeps the previous release's proxy,
    Sentry and env-manager setup while the back-end moves on. Worth planning the move to
    SvelteKit.

    ## Example
    ```json
    {"dependencies": {"nuxt": "3.12.x", "@model-w/preset-nuxt3": ">=2026.4.0 && <2026.5.0"}}
    ```
    with `modelw-preset-django` on 2026.07.

    ## Use instead
    SvelteKit with `@model-w/preset-sveltekit` `~2026.7.0`.

    ## Fix safety
    No fix: a note. Moving a Nuxt front to SvelteKit is a rewrite.

    ## References
    - model-w-reference §0, §1, §3i (MW-I06); rules/releases.toml (`fronts`)
    """

    code = "MW912"
    name = "front-era-unsupported"
    family = "stack"
    severity = Severity.INFO
    reads = ("package.json", "*/package.json", "*/pyproject.toml")

    fires = [
        Example.repo(
            with_files({"front/package.json": '{"dependencies": {"nuxt": "3.12.x", "@model-w/sentry": "*"}}'}),
            note="Nuxt 3 without a preset, on a 2026.07 back-end",
            line=1, message="Nuxt 3 on Model W 2026.07, which has no Nuxt 3 preset",
        ),
        Example.repo(
            with_files({"front/package.json": NUXT3.replace("2026.4.0", "2026.7.0").replace("2026.5.0", "2026.8.0")}),
            note="a Nuxt 3 preset pinned to 2026.07",
        ),
        Example.repo(
            with_files({
                "front/package.json": '{"dependencies": {"nuxt": "3.12.x", "@model-w/sentry": "*"}}',
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2027.1.0,<2027.2.0"),
            }),
            note="a release newer than modelw-lint knows: judged as its newest release",
        ),
    ]
    silent = [
        Example.repo(
            with_files({"front/package.json": NUXT3, "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.4.0,<2026.5.0")}),
            note="Nuxt 3 on 2026.04",
        ),
        Example.repo(with_files({}), note="SvelteKit on 2026.07"),
        Example.repo(
            with_files({"front/package.json": NUXT3}),
            note="a front pinned to 2026.04 (its own release decides; MW913 reports the disagreement)",
        ),
    ]

    def check(self, project: Project, fronts: list[Front], front_release: ReleaseInfo, release: ReleaseInfo):
        release = front_release if front_release.name is not None else release
        known = release.knowledge  # a release newer than the table: the newest release's fronts
        if known is None:
            return
        for front in fronts:
            if front.framework == "nuxt3" and "nuxt3" not in known.fronts:
                yield self.finding(
                    front.path,
                    f"Nuxt 3 on Model W {release.name}, which has no Nuxt 3 preset (the last is 2026.04): plan the move to SvelteKit",
                    front.line,
                )
