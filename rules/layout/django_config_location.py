from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import SETTINGS_PY, with_files
from ..facts.settings import anchor_line

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from modelw_lint.lang.pyindex import PythonIndex

    from ..facts.components import DjangoProject
    from ..facts.settings import SettingsModule

MANAGE_CONFIG = """\
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
"""


class DjangoConfigLocation(RepoRule):
    """
    ## What it does
    Reports a Django settings module that is not at `<package>/django/settings.py` in the
    back-end folder (for example `acme/settings.py` or `config/settings.py`).

    ## Why it matters
    `modelw-docker` finds `asgi.py`, `wsgi.py` and `celery.py` in `<package>/django/`,
    where `<package>` comes from `[tool.poetry].packages`. Elsewhere, the image cannot
    serve the application without extra configuration, and developers look in the wrong place.

    ## Example
    ```
    api/acme/settings.py
    api/acme/urls.py
    ```

    ## Use instead
    ```
    api/acme/django/settings.py
    api/acme/django/urls.py
    api/acme/django/asgi.py
    ```

    ## Fix safety
    No fix: the move changes import paths across the project.

    ## References
    - model-w-reference §1, §3a (MW-A05)
    """

    code = "MW105"
    name = "django-config-location"
    family = "layout"
    severity = Severity.WARNING
    reads = ("**/manage.py", "**/wsgi.py", "**/asgi.py", "**/settings.py", "**/settings/*.py", "*/pyproject.toml")

    fires = [
        Example.repo(
            with_files({
                "api/acme/django/settings.py": None,
                "api/config/__init__.py": "",
                "api/config/settings.py": SETTINGS_PY,
                "api/manage.py": MANAGE_CONFIG,
            }),
            note="config/settings.py",
            line=8, message="the Django settings module config.settings is not at <package>/django/settings.py",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="acme/django/settings.py"),
        Example.repo(
            with_files({"api/acme/django/test_settings.py": SETTINGS_PY, "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = "
                "acme.django.test_settings\n"}),
            note="a test settings module is not the config",
        ),
        Example.repo(
            with_files({
                "api/acme/__init__.py": None, "api/acme/django/__init__.py": None, "api/acme/django/settings.py": None,
                "api/src/acme/__init__.py": "", "api/src/acme/django/__init__.py": "", "api/src/acme/django/settings.py": SETTINGS_PY,
                "api/pyproject.toml": (
                    '[tool.poetry]\nname = "acme"\npackages = [{include = "acme", from = "src"}]\n\n'
                    '[tool.poetry.dependencies]\npython = "~3.14"\n'
                ),
            }),
            note="a src/ layout declared in Poetry's packages",
        ),
    ]

    def check(
        self, project: Project, settings_modules: dict[str, SettingsModule], django_projects: list[DjangoProject],
        python_index: PythonIndex,
    ):
        folders = sorted((dj.folder for dj in django_projects), key=len, reverse=True)
        reported = set()
        # One finding per Django project, on the module production runs (else manage.py's).
        ordered = sorted(
            settings_modules.values(),
            key=lambda m: (not m.production, not any(s.endswith("manage.py") for s in m.sources), m.path),
        )
        for mod in ordered:
            if mod.is_test or mod.sources == ["import"]:
                continue
            folder = next((f for f in folders if not f or mod.path.startswith(f + "/")), "")
            if folder in reported:
                continue
            reported.add(folder)
            # The module's import name decides (Poetry packages and src/ layouts included):
            # <package>.django.settings, the package being one module or a nested one.
            dotted = python_index.module_name(mod.path) or mod.dotted
            parts = dotted.split(".")
            if len(parts) >= 3 and parts[-2:] == ["django", "settings"] and mod.path.endswith("/django/settings.py"):
                continue
            yield self.finding(
                mod.path,
                f"the Django settings module {mod.dotted} is not at <package>/django/settings.py: "
                "modelw-docker looks for asgi/wsgi/celery in <package>/django/",
                anchor_line(project.file(mod.path)),
            )
