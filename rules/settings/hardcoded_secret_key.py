from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import ImportMap, assigned_names, call_args, string_value

from .._examples import SETTINGS_PATH, settings, settings_text
from ._common import deletion_fix, all_calls, env_manager_names, statements

ENV_READERS = {"os.getenv", "os.environ.get", "decouple.config"}


def literal_fallback(call: cst.Call, imports: ImportMap, env_names: set[str]) -> cst.BaseExpression | None:
    """The literal default of ``os.getenv("SECRET_KEY", "…")`` and friends, if non-empty."""
    func = imports.resolve(call.func)
    is_env_get = (
        isinstance(call.func, cst.Attribute) and call.func.attr.value == "get"
        and isinstance(call.func.value, cst.Name) and call.func.value.value in env_names
    )
    if func not in ENV_READERS and not is_env_get:
        return None
    args = call_args(call, "name", "default")
    if "name" not in args or string_value(args["name"].value) != "SECRET_KEY" or "default" not in args:
        return None
    value = string_value(args["default"].value)
    return args["default"].value if value else None


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
        ),
        Example.repo(settings('import os\nSECRET_KEY = os.getenv("SECRET_KEY", "dev-key")', preset=False), note="a literal fallback"),
        Example.repo(
            settings('SECRET_KEY = env.get("SECRET_KEY", default="dev-key")\nROOT_URLCONF = "acme.django.urls"'),
            fixed={SETTINGS_PATH: settings_text('ROOT_URLCONF = "acme.django.urls"')},
            note="a literal env.get default in the block: the fix deletes the assignment",
        ),
        Example.repo(settings('from decouple import config as cfg\nSECRET_KEY = cfg("SECRET_KEY", default="abc")', preset=False), note="python-decouple, aliased"),
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
        Example.repo({**settings("ROOT_URLCONF = 'x'"), "api/acme/apps/people/tests/test_views.py": 'SECRET_KEY = "x"\n'}, note="test code"),
    ]

    def check_file(self, file, preset_blocks):
        module = file.parsed
        block = preset_blocks.get(file.path)
        imports = ImportMap(module)
        env_names = env_manager_names(module, imports)
        handled: set[int] = set()
        for st in statements(module, block):
            for name, value in assigned_names(st.small):
                if name != "SECRET_KEY" or value is None:
                    continue
                fallback = literal_fallback(value, imports, env_names) if isinstance(value, cst.Call) else None
                if not string_value(value) and fallback is None:
                    continue
                handled.add(id(value))
                fix = deletion_fix(self, file, st, "delete the assignment: the preset reads SECRET_KEY from the environment")
                message = (
                    "literal SECRET_KEY fallback: a missing variable must fail, not fall back to a committed key"
                    if fallback is not None
                    else "literal SECRET_KEY in settings: read it from the environment (the preset does)"
                )
                yield self.finding_at_node(file, st.small, message, fix)
        for call in all_calls(module).calls:
            if id(call) in handled:
                continue
            fallback = literal_fallback(call, imports, env_names)
            if fallback is not None:
                yield self.finding_at_node(
                    file, fallback,
                    "literal SECRET_KEY fallback: a missing variable must fail, not fall back to a committed key",
                )
