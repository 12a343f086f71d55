from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import assigned_names

from .._examples import SETTINGS_PATH, cookiecutter_settings, settings, settings_text, with_files
from ..facts.settings import final_statements
from ._common import deletion_fix, statements, truthy_default

if TYPE_CHECKING:
    from ..facts.environment import EnvReads

    from ..facts.settings import PresetBlock, ProductionSettings

DEBUG_NAMES = ("DEBUG", "DJANGO_DEBUG")


class DebugEnabled(FileRule):
    """
    ## What it does
    Reports `DEBUG = True` written as a literal in a settings module. The template's
    `DEBUG = False` placeholder before the preset block is fine.

    ## Why it matters
    With `DEBUG = True` in the code, every environment runs in debug mode: tracebacks
    with settings and local variables are shown to visitors, and Django keeps every SQL
    query in memory. Model W reads `DEBUG` from the environment (`DEBUG=yes` in your
    local `.env`).

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        DEBUG = True
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # the preset sets DEBUG from the DEBUG variable
    ```

    ## Fix safety
    Safe, inside the preset block only: the assignment is deleted and the preset's
    `env.get("DEBUG", default=False, is_yaml=True)` applies.

    ## References
    - model-w-reference §2.2, §3b (MW-B03)
    """

    code = "MW202"
    name = "debug-enabled"
    family = "settings"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("DEBUG",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('DEBUG = True\nROOT_URLCONF = "acme.django.urls"'),
            fixed={SETTINGS_PATH: settings_text('ROOT_URLCONF = "acme.django.urls"')},
            note="inside the preset block",
            line=6, message="DEBUG = True in settings",
        ),
        Example.repo(settings('DEBUG = True\nINSTALLED_APPS = ["django.contrib.admin"]', preset=False), note="plain Django settings"),
        Example.repo(settings('if True:\n    DEBUG = True'), note="nested in the block (no fix)"),
        Example.repo(
            settings('import environ\nenv = environ.Env()\nDEBUG = env.bool("DJANGO_DEBUG", default=True)', preset=False),
            note="django-environ defaulting to on",
        ),
        Example.repo(
            settings('from decouple import config\nDEBUG = config("DEBUG", default=True, cast=bool)', preset=False),
            note="python-decouple defaulting to on",
        ),
        Example.repo(
            settings('import os\nDEBUG = os.getenv("DEBUG", "True") == "True"', preset=False),
            note="the string idiom defaulting to on",
        ),
        Example.repo(
            cookiecutter_settings('DEBUG = env.bool("DJANGO_DEBUG", default=True)\n'),
            note="an env imported relatively from the base settings (cookiecutter-django)",
        ),
    ]
    silent = [
        Example.repo(settings("ROOT_URLCONF = 'acme.django.urls'", before="DEBUG = False"), note="the template placeholder"),
        Example.repo(settings('DEBUG = env.get("DEBUG", default=False, is_yaml=True)'), note="read from the environment"),
        Example.repo(settings("if DEBUG:\n    INSTALLED_APPS.append('debug_toolbar')"), note="reading DEBUG"),
        Example.repo(
            settings('import os\nLOCAL = os.environ.get("ENVIRONMENT") == "local"\nif LOCAL:\n    DEBUG = True', preset=False),
            note="on in a local-development branch only",
        ),
        Example.repo(
            settings('import environ\nenv = environ.Env()\nDEBUG = env.bool("DJANGO_DEBUG", False)', preset=False),
            note="django-environ defaulting to off",
        ),
        Example.repo(
            with_files({
                "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.production')\n",
                SETTINGS_PATH: None,
                "api/acme/django/base.py": 'from decouple import config\n\nINSTALLED_APPS = []\n'
                    'DEBUG = config("DEBUG", default=True, cast=bool)\n',
                "api/acme/django/production.py": "from .base import *  # noqa\n\nDEBUG = False\n",
            }),
            note="a base default that production overrides",
        ),
    ]

    def check_file(
        self, file, preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings], env_reads: EnvReads,
    ):
        tree = file.tree
        reads = env_reads
        final = final_statements(production_settings, "DEBUG", file.path)
        for st in statements(tree, preset_blocks.get(file.path)):
            if not st.production:
                continue  # `if LOCAL: DEBUG = True` is development configuration
            if final is not None and id(st.stmt) not in final:
                continue  # a later module sets DEBUG for production (base.py, then production.py)
            for name, value in assigned_names(st.stmt):
                if name != "DEBUG" or value is None:
                    continue
                if isinstance(value, ast.Constant) and value.value is True:
                    fix = deletion_fix(self, file, st, "delete the assignment: the preset reads DEBUG from the environment")
                    yield self.finding_at_node(
                        file,
                        st.stmt,
                        "DEBUG = True in settings: debug mode belongs in the environment (DEBUG=yes locally)",
                        fix,
                    )
                    continue
                read = next((r for r in reads.reads(value) if r.name and r.name.upper().endswith(DEBUG_NAMES) and truthy_default(r)), None)
                if read is not None:
                    yield self.finding_at_node(
                        file, read.default,
                        f"DEBUG falls back to on when {read.name} is not set: production without the variable would run in "
                        "debug mode; default to off",
                    )
