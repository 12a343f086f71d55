from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import SETTINGS_PY, with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import DjangoProject
    from ..facts.settings import SettingsModule

SPLIT_NAMES = {"base", "common", "dev", "development", "prod", "production", "local", "staging", "preprod"}
STAR_IMPORT = re.compile(r"^from[ \t]+[\w.]*+[ \t]+import[ \t]+\*", re.M)

MANAGE_DEV = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.settings.dev")\n'


class SplitSettings(RepoRule):
    """
    ## What it does
    Reports settings split per environment: a `DJANGO_SETTINGS_MODULE` ending in `.dev`,
    `.prod`, `.production`, `.local`, `.staging`…, a `settings/` package of `base.py`,
    `dev.py`, `prod.py` modules, or a settings module that imports another with
    `from .base import *`. Test-only settings modules (`settings_test.py`, a
    `DJANGO_SETTINGS_MODULE` used only by pytest) are allowed.

    ## Why it matters
    Model W has one settings module; what differs between environments comes from
    environment variables (twelve-factor). Per-environment modules drift apart, hide
    production-only behaviour from developers, and need a different image or command
    per environment.

    ## Example
    ```
    api/acme/django/settings/base.py
    api/acme/django/settings/dev.py     # from .base import *; DEBUG = True
    api/acme/django/settings/prod.py
    ```

    ## Use instead
    ```
    api/acme/django/settings.py         # with EnvManager(ModelWDjango()) as env: …
    api/.env                            # DEBUG=yes, locally
    ```

    ## Fix safety
    No fix: merging settings modules needs a human to decide which value becomes an
    environment variable.

    ## References
    - model-w-reference §1 ("a single settings module"), §3b (MW-B08)
    """

    code = "MW209"
    name = "split-settings"
    family = "settings"
    severity = Severity.WARNING
    reads = ("**/manage.py", "**/wsgi.py", "**/asgi.py", "**/settings.py", "**/settings/*.py", "*/pyproject.toml", "*/pytest.ini")

    fires = [
        Example.repo(
            with_files({
                "api/manage.py": MANAGE_DEV,
                "api/acme/django/settings.py": None,
                "api/acme/django/settings/__init__.py": "",
                "api/acme/django/settings/base.py": SETTINGS_PY,
                "api/acme/django/settings/dev.py": "from .base import *\n\nDEBUG = True\n",
            }),
            note="a base/dev split",
            line=1, message="settings split across modules",
        ),
        Example.repo(
            with_files({
                "api/acme/django/settings.py": "from .settings_common import *\n",
                "api/acme/django/settings_common.py": SETTINGS_PY,
            }),
            note="a star import between settings modules",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="one settings module"),
        Example.repo(
            with_files({
                "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.settings_test\n",
                "api/acme/django/settings_test.py": "from .settings import *\n\nPASSWORD_HASHERS = "
                    "['django.contrib.auth.hashers.MD5PasswordHasher']\n",
            }),
            note="a test-only settings module importing the real one",
        ),
        Example.repo(with_files({"api/acme/apps/people/models.py": "from .base import *\n"}), note="a star import outside settings"),
    ]

    def check(self, project: Project, settings_modules: dict[str, SettingsModule], django_projects: list[DjangoProject]):
        folders = sorted((dj.folder for dj in django_projects), key=len, reverse=True)
        groups: dict[str, list] = {}
        for mod in settings_modules.values():
            if mod.is_test:
                continue
            folder = next((f for f in folders if not f or mod.path.startswith(f + "/")), "")
            groups.setdefault(folder, []).append(mod)
        for _folder, mods in sorted(groups.items()):
            split = [m for m in mods if m.star_imports or (m.dotted.rsplit(".", 1)[-1] in SPLIT_NAMES and m.sources != ["import"])]
            if not split:
                continue
            # One finding per Django project, on the module production runs.
            anchor = min(split, key=lambda m: (not m.production, m.sources == ["import"], m.path))
            file = project.file(anchor.path)
            text = (file.text or "") if file is not None else ""
            m = STAR_IMPORT.search(text)
            line = (text.count("\n", 0, m.start()) + 1) if m else 1
            names = sorted({m.path for m in mods})
            if anchor.star_imports:
                how = f"{anchor.path} imports {', '.join(anchor.star_imports)} with *"
            else:
                how = f"per-environment module {anchor.dotted}"
            yield self.finding(
                anchor.path,
                f"settings split across modules ({how}; settings modules: {', '.join(names)}): Model W keeps one "
                "settings module and puts what differs in environment variables",
                line,
            )
