from modelw_lint import Example, RepoRule, Severity

from .._examples import PACKAGE_JSON, PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES


class FrontPresetMismatch(RepoRule):
    """
    ## What it does
    Reports, once, a front preset (`@model-w/preset-sveltekit`, `@model-w/preset-nuxt3`)
    pinned to a different Model W release than the back-end's `modelw-preset-django`,
    naming both, on the older of the two pins: the one to move forward.

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

    fires = [
        Example.repo(with_files({"front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.4.0")}), note="front on 2026.04, api on 2026.07: the front pin"),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.1.0,<2026.2.0")}),
            note="api on 2026.01, front on 2026.07: the back-end pin",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="both on 2026.07"),
        Example.repo(with_files({"front/package.json": PACKAGE_JSON.replace('"@model-w/preset-sveltekit": "~2026.7.0",\n', "")}), note="no front preset"),
    ]

    def check(self, project, backend_release, front_release):
        back, front = backend_release, front_release
        if back.key is None or front.key is None or back.path is None or front.path is None or back.key == front.key:
            return  # a missing pin, or the configuration's `release` decides both
        older, newer = (front, back) if front.key < back.key else (back, front)
        yield self.finding(
            older.path,
            f"the front is on Model W {front.name} ({front.source}) but the back-end on {back.name} ({back.source}): "
            f"move this pin forward to {newer.name}",
            older.line,
        )
