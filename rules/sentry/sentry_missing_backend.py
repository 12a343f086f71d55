from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PLAIN_SETTINGS, SENTRY_INIT, SETTINGS_PATH, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..facts.settings import anchor_line

if TYPE_CHECKING:
    from ..facts.components import DjangoProject
    from ..facts.dependencies import Dependency
    from ..facts.settings import ProductionSettings, SettingsModule



class SentryMissingBackend(RepoRule):
    """
    ## What it does
    Reports a Django back-end that does not report errors to Sentry: no Model W preset (it
    initialises Sentry when `SENTRY_DSN` is set) and no `sentry_sdk.init(...)` with
    `DjangoIntegration` in the project code. When `sentry-sdk` is a dependency but never
    initialised, MW502 reports that instead.

    ## Why it matters
    Sentry is the first place to look for what goes wrong in production: exceptions with
    the user, the environment and the request, and performance traces. Without it, errors
    are found by users.

    ## Example
    ```python
    # settings.py: plain Django settings, no sentry_sdk anywhere
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:   # SENTRY_DSN in the environment does the rest
        ...
    ```

    ## Fix safety
    No fix: Sentry comes with the preset (MW210, MW901) and needs a DSN per environment.

    ## References
    - Model W architecture, "Sentry"
    - model-w-reference §2.2 (Sentry), §3e (MW-E03)
    """

    code = "MW501"
    name = "sentry-missing-backend"
    family = "sentry"
    severity = Severity.ERROR
    reads = (*DEPENDENCY_FILES, "**/*.py")

    fires = [Example.repo(
        with_files({SETTINGS_PATH: PLAIN_SETTINGS}),
        note="plain Django settings",
        line=1,
        message="Sentry is not set up for the back-end",
    )]
    silent = [
        Example.repo(
            with_files({
                SETTINGS_PATH: "type Settings = dict[str, object]\n" + SENTRY_INIT.replace("init(", 'init(release=f"{VERSIONS["api"]}", '),
            }),
            note="set up in a file written for Python 3.12 (type aliases, f-strings nesting quotes), read all the same",
        ),
        Example.repo(with_files({}), note="the preset"),
        Example.repo(with_files({SETTINGS_PATH: SENTRY_INIT}), note="a manual init with DjangoIntegration"),
        Example.repo(
            with_files({SETTINGS_PATH: PLAIN_SETTINGS, "api/requirements.txt": "sentry-sdk==2.0\n"}),
            note="declared but not initialised: MW502",
        ),
        Example.repo(with_files({"api/manage.py": None}), note="no Django project"),
        Example.repo(
            with_files({SETTINGS_PATH: (
                "import sentry_sdk\nfrom sentry_sdk.integrations.django import DjangoIntegration\n\n"
                "integrations = [DjangoIntegration()]\nsentry_sdk.init(dsn=SENTRY_DSN, integrations=integrations)\n"
            )}),
            note="the integrations built in a variable first",
        ),
    ]

    def check(
        self, project, django_projects: list[DjangoProject], preset_in_use: bool, python_dependencies: list[Dependency], settings_modules:
        dict[str, SettingsModule], production_settings: dict[str, ProductionSettings],
    ):
        if not django_projects or preset_in_use or any(d.name == "sentry-sdk" for d in python_dependencies):
            return
        sentry_inits = project.fact("sentry_inits")  # reads all project code: only when needed
        if any(i.django_integration for i in sentry_inits):
            return
        unread = project.fact("sentry_unread")
        main = next(iter(production_settings), None) or next((m.path for m in settings_modules.values() if not m.is_test), None)
        path = main or django_projects[0].manage_py
        detail = " (sentry_sdk.init has no DjangoIntegration)" if sentry_inits else ""
        line = sentry_inits[0].line if sentry_inits and sentry_inits[0].path == path else (anchor_line(project.file(path)) if main else 1)
        if unread:  # sentry_sdk.init(integrations=[DjangoIntegration()]) may be there (MW002 says why)
            yield self.finding(
                path,
                f"no readable file sets up Sentry for the back-end, but {', '.join(unread)} could not be parsed: cannot tell "
                "whether errors are reported",
                line, severity=Severity.INFO,
            )
            return
        yield self.finding(
            path,
            f"Sentry is not set up for the back-end{detail}: use the Model W preset (it initialises Sentry from SENTRY_DSN)",
            line,
        )
