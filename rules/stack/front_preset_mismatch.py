from modelw_lint import Example, RepoRule, Severity

from .._examples import PACKAGE_JSON, with_files
from ..facts.dependencies import DEPENDENCY_FILES, key_line
from ..releases import parse_year_month, release_name
from ._common import preset_dependency


class FrontPresetMismatch(RepoRule):
    """
    ## What it does
    Reports a front preset (`@model-w/preset-sveltekit`, `@model-w/preset-nuxt3`) pinned to a
    different Model W release than the back-end's `modelw-preset-django`.

    ## Why it matters
    Both presets of a release are made to work together: proxy paths, environment
    variables, Sentry and Node versions. A front on another release than its back-end
    mixes two sets of conventions, and the Docker images disagree on Node.

    ## Example
    ```json
    "@model-w/preset-sveltekit": "~2026.4.0"
    ```
    with `modelw-preset-django = ">=2026.7.0,<2026.8.0"`.

    ## Use instead
    ```json
    "@model-w/preset-sveltekit": "~2026.7.0"
    ```

    ## Fix safety
    No fix: moving the front preset may need code changes in the front.

    ## References
    - model-w-reference §3i (MW-I01, MW-I06), §5
    """

    code = "MW913"
    name = "front-preset-mismatch"
    family = "stack"
    severity = Severity.WARNING
    reads = (*DEPENDENCY_FILES, "package.json", "*/package.json")

    fires = [Example.repo(with_files({"front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.4.0")}), note="front on 2026.04, api on 2026.07")]
    silent = [
        Example.repo(with_files({}), note="both on 2026.07"),
        Example.repo(with_files({"front/package.json": PACKAGE_JSON.replace('"@model-w/preset-sveltekit": "~2026.7.0",\n', "")}), note="no front preset"),
    ]

    def check(self, project, fronts, python_dependencies):
        dep = preset_dependency(python_dependencies)
        api = parse_year_month(dep.spec) if dep else None
        if api is None:
            return
        for front in fronts:
            for name, version in front.deps.items():
                if not name.startswith("@model-w/preset-"):
                    continue
                ym = parse_year_month(version)
                if ym and ym != api:
                    file = project.file(front.path)
                    yield self.finding(
                        front.path,
                        f"{name} is on Model W {release_name(*ym)} but modelw-preset-django on {release_name(*api)}: keep both presets on one release",
                        key_line(file.text, name),
                    )
