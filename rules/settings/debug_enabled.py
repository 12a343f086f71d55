from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import assigned_names

from .._examples import SETTINGS_PATH, settings, settings_text
from ._common import deletion_fix, statements


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
        ),
        Example.repo(settings('DEBUG = True\nINSTALLED_APPS = ["django.contrib.admin"]', preset=False), note="plain Django settings"),
        Example.repo(settings('if True:\n    DEBUG = True'), note="nested in the block (no fix)"),
    ]
    silent = [
        Example.repo(settings("ROOT_URLCONF = 'acme.django.urls'", before="DEBUG = False"), note="the template placeholder"),
        Example.repo(settings('DEBUG = env.get("DEBUG", default=False, is_yaml=True)'), note="read from the environment"),
        Example.repo(settings("if DEBUG:\n    INSTALLED_APPS.append('debug_toolbar')"), note="reading DEBUG"),
    ]

    def check_file(self, file, preset_blocks):
        for st in statements(file.parsed, preset_blocks.get(file.path)):
            for name, value in assigned_names(st.small):
                if name != "DEBUG" or not (isinstance(value, cst.Name) and value.value == "True"):
                    continue
                fix = deletion_fix(self, file, st, "delete the assignment: the preset reads DEBUG from the environment")
                yield self.finding_at_node(file, st.small, "DEBUG = True in settings: debug mode belongs in the environment (DEBUG=yes locally)", fix)
