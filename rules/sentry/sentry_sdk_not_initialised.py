from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PLAIN_SETTINGS, SENTRY_INIT, SETTINGS_PATH, with_files
from ..facts.dependencies import DEPENDENCY_FILES

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency


class SentrySdkNotInitialised(RepoRule):
    """
    ## What it does
    Reports `sentry-sdk` declared as a back-end dependency while nothing initialises it:
    no Model W preset and no `sentry_sdk.init(...)` in the project code.

    ## Why it matters
    The dependency suggests errors are reported, but `sentry_sdk` does nothing until
    `init()` runs: the project believes it has Sentry and has none.

    ## Example
    ```toml
    [tool.poetry.dependencies]
    sentry-sdk = "^2.0"
    ```
    and no `sentry_sdk.init` anywhere.

    ## Use instead
    The Model W preset (which depends on `sentry-sdk` and initialises it when
    `SENTRY_DSN` is set), or an explicit `sentry_sdk.init(integrations=[DjangoIntegration()])`.

    ## Fix safety
    No fix: sentry-sdk is initialised by the preset (adopt it: MW210) or with options only the
    team knows (integrations, sampling, the environment's name).

    ## References
    - model-w-reference §3e (MW-E03)
    """

    code = "MW502"
    name = "sentry-sdk-not-initialised"
    family = "sentry"
    severity = Severity.WARNING
    reads = (*DEPENDENCY_FILES, "**/*.py")

    fires = [Example.repo(
        with_files({SETTINGS_PATH: PLAIN_SETTINGS, "api/requirements.txt": "sentry-sdk[django]==2.0\n"}),
        note="declared, never initialised",
        line=1, message="sentry-sdk is a dependency but nothing calls sentry_sdk.init()",
    )]
    silent = [
        Example.repo(with_files({SETTINGS_PATH: SENTRY_INIT, "api/requirements.txt": "sentry-sdk==2.0\n"}), note="initialised"),
        Example.repo(with_files({"api/requirements.txt": "sentry-sdk==2.0\n"}), note="the preset initialises it"),
        Example.repo(
            with_files({
                SETTINGS_PATH: SENTRY_INIT + "\ntry:\n    import debug_toolbar\nexcept ImportError, ModuleNotFoundError:\n    pass\n",
                "api/requirements.txt": "sentry-sdk==2.0\n",
            }),
            note="initialised in a file written for Python 3.14 (except A, B:), read all the same",
        ),
    ]

    def check(self, project: Project, preset_in_use: bool, python_dependencies: list[Dependency]):
        if preset_in_use or not any(d.name == "sentry-sdk" for d in python_dependencies):
            return
        if project.fact("sentry_inits"):  # reads all project code: only when needed
            return
        unread = project.fact("sentry_unread")
        dep = next(d for d in python_dependencies if d.name == "sentry-sdk")
        if unread:  # the call may be in a file that could not be parsed (MW002 says why)
            yield self.finding(
                dep.path,
                f"sentry-sdk is a dependency and no readable file calls sentry_sdk.init(), but {', '.join(unread)} could not "
                "be parsed: cannot tell whether errors are reported",
                dep.line, severity=Severity.INFO,
            )
            return
        yield self.finding(dep.path, "sentry-sdk is a dependency but nothing calls sentry_sdk.init(): errors are not reported", dep.line)
