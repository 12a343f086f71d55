from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PACKAGE_JSON, with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Component


class FrontOutsideFront(RepoRule):
    """
    ## What it does
    Reports a JS front-end (a `package.json` depending on SvelteKit, Nuxt, Vue, React…, or
    in a folder `snow.yml` builds as an image) that is not in the `front/` folder, when there
    is no `front/package.json`.

    ## Why it matters
    Model W serves the front from `front/` and the back-end from `api/`, side by side in one
    repository. Tooling, Dockerfiles and the load-balancer configuration assume that layout.

    ## Example
    ```
    frontend/package.json   # {"dependencies": {"nuxt": "^3.12.0"}}
    ```

    ## Use instead
    ```
    front/package.json
    ```

    ## Fix safety
    No fix: moving a component touches deploy configuration the linter cannot see.

    ## References
    - Model W architecture, "Repo structure"
    - model-w-reference §1, §3a (MW-A02)
    """

    code = "MW102"
    name = "front-outside-front"
    family = "layout"
    severity = Severity.ERROR
    reads = ("package.json", "*/package.json", "snow.yml", "snow.yaml")

    fires = [
        Example.repo(
            with_files({"front/package.json": None, "frontend/package.json": PACKAGE_JSON}),
            note="front in frontend/",
            line=1,
            message="the JS front is in frontend/, not in front/",
        ),
        Example.repo(
            with_files({"front/package.json": None, "web/package.json": '{"dependencies": {"nuxt": "^3.12.0"}}'}),
            note="a Nuxt front in web/",
        ),
        Example.repo(
            with_files({
                "front/package.json": None,
                "apps/web/package.json": '{"devDependencies": {"@sveltejs/kit": "^2", "svelte": "^5"}}',
            }),
            note="a front two levels deep in a workspace (apps/web)",
        ),
        Example.repo(
            with_files({
                "front/package.json": None,
                "web/package.json": '{"dependencies": {"express": "^4", "@model-w/sentry": "*"}}',
                "snow.yml": "images:\n  - {id: web, context: web, dockerfile: Dockerfile}\n"
                            "  - {id: api, context: api, dockerfile: Dockerfile}\n",
            }),
            note="a folder snow.yml builds as an image, whatever its package.json names",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="the template layout"),
        Example.repo(
            with_files({"front/package.json": None, "package.json": '{"devDependencies": {"prettier": "^3"}}'}),
            note="a root package.json with tooling only",
        ),
        Example.repo(with_files({"docs/package.json": '{"dependencies": {"react": "^18"}}'}), note="a docs site beside front/"),
        Example.repo(
            with_files({"packages/ui/package.json": '{"peerDependencies": {"svelte": "^5"}, "devDependencies": {"svelte": "^5", '
                '"@sveltejs/package": "^2"}}'}),
            note="a component library, not an application",
        ),
        Example.repo(
            with_files({
                "package.json": '{"private": true, "workspaces": ["front", "packages/*"]}',
                "packages/ui/package.json": '{"name": "@acme/ui", "type": "module", "exports": {".": "./dist/index.js"}, '
                    '"types": "./dist/index.d.ts", "dependencies": {"react": "^19"}, "devDependencies": {"vite": "^6"}}',
                "packages/hooks/package.json": '{"name": "@acme/hooks", "main": "dist/index.cjs", "dependencies": {"react": "^19"}}',
            }),
            note="workspace packages built with Vite and published as libraries",
        ),
    ]

    def check(self, project: Project, components: dict[str, Component]):
        front = components.get("front")
        if front is not None and front.package_json:
            return
        for comp in components.values():
            if comp.name == "front":
                continue
            if comp.is_front(project) and comp.package_json:
                folder = comp.package_json.rsplit("/", 1)[0] if "/" in comp.package_json else ""
                where = f"{folder}/" if folder else "the repository root"
                yield self.finding(
                    comp.package_json,
                    f"the JS front is in {where}, not in front/: Model W keeps the front-end in front/",
                )
