from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import assigned_names, string_value

from .._examples import SETTINGS_PATH, cookiecutter_settings, settings, settings_text, with_files
from ..facts.settings import final_statements
from ._common import deletion_fix, statements

if TYPE_CHECKING:
    from ..facts.environment import EnvReads

    from ..facts.settings import PresetBlock, ProductionSettings

COOKIECUTTER_LOCAL = """\
from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="!!!SET DJANGO_SECRET_KEY!!!")
"""


class HardcodedSecretKey(FileRule):
    """
    ## What it does
    Reports a literal `SECRET_KEY` in a settings module, and a literal fallback in
    `os.getenv("SECRET_KEY", "…")`, `os.environ.get(…)`, `config(…)` (python-decouple) or
    `env.get("SECRET_KEY", default="…")`.

    ## Why it matters
    The secret key signs sessions, password-reset links and CSRF tokens. Committed, it is
    known to everyone who can read the repository, forever (git keeps history), and it is
    the same in every environment. Model W reads it from the `SECRET_KEY` environment
    variable: the preset does it for you.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        SECRET_KEY = "django-insecure-3x@mpl3"
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # the preset sets SECRET_KEY from the environment
    ```
    and put the key in the deployment's secrets (`SECRET_KEY=…`).

    ## Fix safety
    Safe, inside the preset block only: the assignment is deleted, since the preset already
    reads `SECRET_KEY` from the environment (with `build_default="xxx"` for image builds).
    Rewriting it to `env.get("SECRET_KEY")` would crash at start-up ("get() calls mismatch").
    Elsewhere there is no fix: rotate the key, then read it from the environment.

    ## References
    - Model W architecture, "Configuration comes 100% from environment variables"
    - model-w-reference §2.3, §3b (MW-B02)
    """

    code = "MW201"
    name = "hardcoded-secret-key"
    family = "settings"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("SECRET_KEY",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('SECRET_KEY = "django-insecure-3x@mpl3"\nROOT_URLCONF = "acme.django.urls"'),
            fixed={SETTINGS_PATH: settings_text('ROOT_URLCONF = "acme.django.urls"')},
            note="inside the preset block: the fix deletes it",
            line=6, message="literal SECRET_KEY in settings",
        ),
        Example.repo(settings('import os\nSECRET_KEY = os.getenv("SECRET_KEY", "dev-key")', preset=False), note="a literal fallback"),
        Example.repo(
            settings('SECRET_KEY = env.get("SECRET_KEY", default="dev-key")\nROOT_URLCONF = "acme.django.urls"'),
            fixed={SETTINGS_PATH: settings_text('ROOT_URLCONF = "acme.django.urls"')},
            note="a literal env.get default in the block: the fix deletes the assignment",
        ),
        Example.repo(
            settings('from decouple import config as cfg\nSECRET_KEY = cfg("SECRET_KEY", default="abc")', preset=False),
            note="python-decouple, aliased",
        ),
        Example.repo(
            settings('import environ\nenv = environ.Env()\nSECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-key")', preset=False),
            note="django-environ with a literal default",
        ),
        Example.repo(
            cookiecutter_settings('SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-key")\n'),
            note="an env imported relatively from the base settings (cookiecutter-django)",
        ),
    ]
    silent = [
        Example.repo(settings("ROOT_URLCONF = 'acme.django.urls'"), note="the preset reads it"),
        Example.repo(settings('import os\nSECRET_KEY = os.environ["SECRET_KEY"]', preset=False), note="read from the environment"),
        Example.repo(settings('SECRET_KEY = ""', preset=False), note="an empty placeholder"),
        Example.repo(
            {
                **settings("ROOT_URLCONF = 'x'"),
                "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.settings_test\n",
                "api/acme/django/settings_test.py": 'from .settings import *\nSECRET_KEY = "test-only"\n',
            },
            note="a test-only settings module",
        ),
        Example.repo(
            {**settings("ROOT_URLCONF = 'x'"), "api/acme/apps/people/tests/test_views.py": 'SECRET_KEY = "x"\n'},
            note="test code",
        ),
        Example.repo(
            with_files({
                "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
                "api/config/__init__.py": "",
                "api/config/settings/__init__.py": "",
                "api/config/settings/base.py": "import environ\n\nenv = environ.Env()\nINSTALLED_APPS = []\n",
                "api/config/settings/local.py": COOKIECUTTER_LOCAL,
                "api/config/settings/production.py": 'from .base import *  # noqa: F403\nfrom .base import env\n\n'
                    'SECRET_KEY = env("DJANGO_SECRET_KEY")\n',
                "api/config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
            }),
            note="a default in the local development settings (cookiecutter-django)",
        ),
        Example.repo(
            settings('SECRET_KEY = env.get("SECRET_KEY", build_default="xxx")\nif DEBUG:\n    SECRET_KEY = "only-on-my-machine"'),
            note="a literal in a DEBUG-only branch",
        ),
    ]

    def check_file(
        self, file, preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings], env_reads: EnvReads,
    ):
        tree = file.tree
        block = preset_blocks.get(file.path)
        reads = env_reads
        final = final_statements(production_settings, "SECRET_KEY", file.path)
        handled: set[int] = set()
        for st in statements(tree, block):
            if not st.production:
                continue  # a development-only branch: `if DEBUG:`, `if ENVIRONMENT == "local":`
            for name, value in assigned_names(st.stmt):
                if name != "SECRET_KEY" or value is None:
                    continue
                if final is not None and id(st.stmt) not in final:
                    handled.update(id(r.node) for r in reads.reads(value))
                    continue  # production sets its own key later
                fallback = self._fallback(reads.read(value))
                if not string_value(value) and fallback is None:
                    continue
                handled.add(id(value))
                fix = deletion_fix(self, file, st, "delete the assignment: the preset reads SECRET_KEY from the environment")
                message = (
                    "literal SECRET_KEY fallback: a missing variable must fail, not fall back to a committed key"
                    if fallback is not None
                    else "literal SECRET_KEY in settings: read it from the environment (the preset does)"
                )
                yield self.finding_at_node(file, st.stmt, message, fix)
            for read in reads.reads(st.stmt):
                if id(read.node) in handled or read.name != "SECRET_KEY":
                    continue
                fallback = self._fallback(read)
                if fallback is not None:
                    yield self.finding_at_node(
                        file, fallback, "literal SECRET_KEY fallback: a missing variable must fail, not fall back to a committed key",
                    )

    @staticmethod
    def _fallback(read):
        """The non-empty literal default of an environment read, if any."""
        if read is None or read.default is None:
            return None
        return read.default if string_value(read.default) else None
