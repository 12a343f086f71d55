from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import assigned_names

from .._examples import SETTINGS_PATH, SETTINGS_PY, with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock, ProductionSettings


class LanguagesMissing(FileRule):
    """
    ## What it does
    Reports a settings module with the preset block that never sets `LANGUAGES`.

    ## Why it matters
    The preset derives `LANGUAGE_CODE` from `LANGUAGES[0]` and raises `ImproperlyConfigured`
    when `LANGUAGES` is missing: the application does not start.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        INSTALLED_APPS = ["acme.apps.people"]
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        INSTALLED_APPS = ["acme.apps.people"]
        LANGUAGES = [("en", "English")]
    ```

    ## Fix safety
    No fix: which languages the project speaks is its own decision.

    ## References
    - model-w-reference §2.2 (LANGUAGES), §3i (MW-I08)
    """

    code = "MW915"
    name = "languages-missing"
    family = "stack"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("EnvManager",)
    scope = "project_settings"

    fires = [Example.repo(
        with_files({SETTINGS_PATH: SETTINGS_PY.replace('    LANGUAGES = [("en", "English")]\n', "")}),
        note="no LANGUAGES",
        line=8, message="LANGUAGES is never set",
    )]
    silent = [
        Example.repo(with_files({}), note="LANGUAGES in the block"),
        Example.repo(
            with_files({SETTINGS_PATH: 'LANGUAGES = [("fr", "French")]\n' + SETTINGS_PY.replace(
                '    LANGUAGES = [("en", "English")]\n',
                "",
            )}),
            note="LANGUAGES set before the block",
        ),
        Example.repo(
            with_files({
                SETTINGS_PATH: "from .i18n import *  # noqa\n" + SETTINGS_PY.replace('    LANGUAGES = [("en", "English")]\n', ""),
                "api/acme/django/i18n.py": 'LANGUAGES = [("fr", "French"), ("en", "English")]\n',
            }),
            note="LANGUAGES from a module imported with *",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings]):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        views: list[ProductionSettings | None] = [v for v in production_settings.values() if file.path in v.files] or [None]
        for view in views:
            if view is not None and view.of("LANGUAGES"):
                return
        if any(name == "LANGUAGES" for st in statements(file.module, block) for name, _ in assigned_names(st.stmt)):
            return
        imports = (n for n in ast.walk(file.module) if isinstance(n, (ast.Import, ast.ImportFrom)))
        if any((a.asname or a.name) == "LANGUAGES" for n in imports for a in n.names):
            return  # imported from a module of its own
        yield self.finding_at_node(
            file,
            block.with_node.items[0].context_expr,
            "LANGUAGES is never set: the preset raises ImproperlyConfigured without it",
        )
