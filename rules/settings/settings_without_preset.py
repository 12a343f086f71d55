from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity

from .._examples import SETTINGS_PATH, settings, with_files
from ..facts.settings import anchor_line

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import SettingsModule


class SettingsWithoutPreset(FileRule):
    """
    ## What it does
    Reports a Django settings module that does not build its settings with
    `with EnvManager(ModelWDjango(...)) as env:` (itself, or through a module it imports
    with `*`).

    ## Why it matters
    The preset is what makes a project a Model W project: it configures PostgreSQL,
    Redis, static files under `/back/static/`, Sentry, Wailer, S3 storage, logging and
    security from environment variables, the same way in every project. Hand-written
    settings drift from it and from each other.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.admin", ...]
    DATABASES = {"default": {...}}
    ```

    ## Use instead
    ```python
    from model_w.env_manager import EnvManager
    from model_w.preset.django import ModelWDjango

    with EnvManager(ModelWDjango()) as env:
        INSTALLED_APPS = [...]
        LANGUAGES = [("en", "English")]
    ```

    ## Fix safety
    No fix: moving to the preset means deleting what it already configures, setting by
    setting (see "Transform an existing project" in the Model W docs).

    ## References
    - model-w-reference §1 (settings.py shape), §2, §3b (MW-B01)
    """

    code = "MW210"
    name = "settings-without-preset"
    family = "settings"
    severity = Severity.ERROR
    kinds = ("python",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('INSTALLED_APPS = ["django.contrib.admin"]\nROOT_URLCONF = "acme.django.urls"', preset=False),
            note="plain Django settings",
            line=1, message="settings module acme.django.settings does not use the Model W preset",
        ),
        Example.repo(
            with_files({SETTINGS_PATH: "from model_w.env_manager import EnvManager\n\n"
                "with EnvManager() as env:\n    INSTALLED_APPS = []\n"}),
            note="EnvManager without the preset",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="the template settings"),
        Example.repo(
            with_files({
                SETTINGS_PATH: "from .preset_settings import *\n",
                "api/acme/django/preset_settings.py": settings("X = 1")[SETTINGS_PATH],
            }),
            note="the block is in a module imported with * (MW209 reports the split)",
        ),
        Example.repo(with_files({"api/scrapy_bot/settings.py": 'BOT_NAME = "crawler"\n'}), note="a Scrapy settings.py"),
        Example.repo(
            with_files({
                SETTINGS_PATH: (
                    "from model_w.env_manager import EnvManager\n\nfrom .preset import AcmePreset\n\n"
                    "model_w_django = AcmePreset(enable_celery=True)\n\nwith EnvManager(model_w_django) as env:\n"
                    '    LANGUAGES = [("en", "English")]\n'
                ),
                "api/acme/django/preset.py": (
                    "from model_w.preset.django import ModelWDjango\n\n\nclass AcmePreset(ModelWDjango):\n"
                    "    def pre_acme(self, env):\n        yield \"ACME\", True\n"
                ),
            }),
            note="a preset subclass kept in a variable",
        ),
        Example.repo(
            with_files({
                SETTINGS_PATH: (
                    "from agency_presets import AgencyPreset\nfrom model_w.env_manager import EnvManager\n\n"
                    'with EnvManager(AgencyPreset()) as env:\n    LANGUAGES = [("en", "English")]\n'
                ),
            }),
            note="a preset from a library modelw-lint cannot see: unknown, not a finding",
        ),
    ]

    def check_file(self, file: SourceFile, settings_modules: dict[str, SettingsModule], preset_status: dict[str, bool | None]):
        mod = settings_modules[file.path]
        if mod.sources == ["import"]:
            return  # checked through the module that imports it
        if preset_status.get(file.path) is not False:
            return  # the preset, or an EnvManager with a preset class modelw-lint cannot see
        yield self.finding(
            file.path,
            f"settings module {mod.dotted} does not use the Model W preset: build settings with "
            "`with EnvManager(ModelWDjango()) as env:`",
            anchor_line(file),
        )
