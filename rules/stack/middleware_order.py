from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import string_value

from .._examples import SETTINGS_PATH, settings, settings_text
from ..facts.settings import deletion_fix, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock

PRESET_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": "SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware": "WhiteNoiseMiddleware",
}


class MiddlewareOrder(FileRule):
    """
    ## What it does
    Reports, in a preset project's settings, changes to `MIDDLEWARE` that the preset does not
    allow: `MIDDLEWARE = [...]` in or after the block (replacing the preset's list),
    `MIDDLEWARE.insert(0, ...)` (something before `SecurityMiddleware`), and adding
    `SecurityMiddleware` or `WhiteNoiseMiddleware` again. The `MIDDLEWARE = []` placeholder
    before the block is fine.

    ## Why it matters
    The preset fills `MIDDLEWARE` with Django's standard list, then inserts WhiteNoise right
    after `SecurityMiddleware`, and raises at start-up when `SecurityMiddleware` is not
    first. Its docs ask projects to `.append()` their own.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
        MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        MIDDLEWARE.append("acme.django.middleware.RequestLogMiddleware")
    ```

    ## Fix safety
    Safe for a duplicate `SecurityMiddleware`/`WhiteNoiseMiddleware` insert or append (in the
    block): the statement is deleted, since the preset already has them in the right place.
    No fix for the other cases.

    ## References
    - model-w-reference §2.2 (Static, MIDDLEWARE), §3i (MW-I07)
    """

    code = "MW914"
    name = "middleware-order"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("MIDDLEWARE",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")\nX = 1'),
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="SecurityMiddleware inserted again",
            line=6, message="SecurityMiddleware added again",
        ),
        Example.repo(settings('MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")'), note="something before SecurityMiddleware"),
        Example.repo(settings('MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]'), note="the list replaced"),
    ]
    silent = [
        Example.repo(
            settings('MIDDLEWARE.append("acme.django.middleware.RequestLogMiddleware")', before="MIDDLEWARE = []"),
            note="the template",
        ),
        Example.repo(
            settings('MIDDLEWARE.insert(2, "corsheaders.middleware.CorsMiddleware")'),
            note="an insert after the security middleware",
        ),
        Example.repo(settings('MIDDLEWARE = ["x"]', preset=False), note="no preset"),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock]):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        for st in statements(file.module, block):
            stmt = st.stmt
            if st.where == "before":
                continue
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "MIDDLEWARE" for t in stmt.targets):
                yield self.finding_at_node(
                    file,
                    stmt,
                    "MIDDLEWARE replaced after the preset filled it: .append() to it instead (the preset raises if SecurityMiddleware is "
                    "not first)",
                )
                continue
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            if call is None or not isinstance(call.func, ast.Attribute) or not isinstance(call.func.value, ast.Name) \
                    or call.func.value.id != "MIDDLEWARE":
                continue
            method = call.func.attr
            values = [string_value(a) for a in call.args]
            added = values[-1] if values else None
            if added in PRESET_MIDDLEWARE and method in ("insert", "append"):
                fix = deletion_fix(self, file, st, "delete the duplicate: the preset already has it")
                yield self.finding_at_node(
                    file,
                    stmt,
                    f"{PRESET_MIDDLEWARE[added]} added again: the preset already installs it in the right place",
                    fix,
                )
            elif method == "insert" and call.args and isinstance(call.args[0], ast.Constant) and call.args[0].value == 0:
                yield self.finding_at_node(
                    file,
                    stmt,
                    "MIDDLEWARE.insert(0, …) puts a middleware before SecurityMiddleware: the preset raises at start-up",
                )
