from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import assigned_names, dict_items, literal, string_value, subscript_path

from .._examples import settings
from ._common import credential_url, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.environment import EnvReads

    from ..facts.settings import PresetBlock

# A secret-looking name: the secret word ends the name (TOKEN_MODEL is a class path, not a token).
SECRET_NAME = re.compile(r"(?:^|_)(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|DSN)(?:_(?:KEY|ACCESS_KEY|PRIVATE|PUBLIC))?$")
DB_KEYS = {"PASSWORD", "HOST", "USER"}
DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def looks_secret(name: str, value: object) -> bool:
    if name == "SECRET_KEY" or not isinstance(value, str) or not value.strip():
        return False
    if not SECRET_NAME.search(name.upper()):
        return False
    # Class paths (``TOKEN_SERIALIZER = "app.serializers.X"``) and URL paths are not secrets.
    return not DOTTED_PATH.match(value) and not value.startswith("/")


class HardcodedCredentials(FileRule):
    """
    ## What it does
    Reports credentials and hosts written as literals in a settings module: `DATABASES`
    with a literal `PASSWORD`, `HOST` or `USER`, and any setting (or dict key) whose name
    ends in `SECRET`, `PASSWORD`, `TOKEN`, `API_KEY` or `DSN` bound to a non-empty string.

    ## Why it matters
    Model W configuration comes 100% from environment variables: the same image runs in
    every environment, and secrets live in the platform's secret store, not in git.
    A committed password leaks with every clone and cannot be rotated without a release.

    ## Example
    ```python
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.acme.io", "PASSWORD": "hunter2"}}
    EMAIL_HOST_PASSWORD = "hunter2"
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # DATABASES comes from DATABASE_URL
        MAILJET_API_KEY = env.get("MAILJET_API_KEY", build_default="xxx")
    ```

    ## Fix safety
    No fix: the value has to move to the deployment's secrets, and a leaked secret must be
    rotated.

    ## References
    - model-w-reference §3b (MW-B04), §3d (MW-D04)
    """

    code = "MW203"
    name = "hardcoded-credentials"
    family = "settings"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "DSN", "DATABASES", "@")
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('EMAIL_HOST_PASSWORD = "hunter2"'),
            note="a password setting",
            line=6,
            message="literal EMAIL_HOST_PASSWORD in settings",
        ),
        Example.repo(
            settings(
                'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.acme.io", "PASSWORD": "hunter2"}}',
                preset=False,
            ),
            note="literal database credentials",
        ),
        Example.repo(settings('DATABASES["default"]["PASSWORD"] = "hunter2"'), note="a subscript assignment"),
        Example.repo(
            settings('AWS_SECRET_ACCESS_KEY = "AKIA/abc"\nSENTRY_DSN = "https://abc@o1.ingest.sentry.io/1"'),
            note="cloud secret and DSN",
        ),
        Example.repo(
            settings('SOCIALACCOUNT_PROVIDERS = {"github": {"APP": {"client_id": "x", "SECRET": "s3cr3t"}}}'),
            note="a nested dict key",
        ),
        Example.repo(
            settings(
                'import os\nimport dj_database_url\nDATABASES = {"default": dj_database_url.parse(os.getenv("DATABASE_URL", '
                '"postgres://shop:hunter2@db/shop"))}',
                preset=False,
            ),
            note="a database URL with a password as the fallback",
        ),
        Example.repo(
            settings('import environ\nenv = environ.Env()\nSTRIPE_API_KEY = env("STRIPE_API_KEY", default="sk_live_51H8")', preset=False),
            note="django-environ falling back to a literal key",
        ),
        Example.repo(settings('CELERY_BROKER_URL = "redis://:s3cret@cache.acme.io:6379/0"'), note="a literal URL with a password"),
    ]
    silent = [
        Example.repo(settings('MAILJET_API_KEY = env.get("MAILJET_API_KEY", build_default="xxx")'), note="read from the environment"),
        Example.repo(
            settings('REST_AUTH_TOKEN_MODEL = "rest_framework.authtoken.models.Token"\nPASSWORD_RESET_TIMEOUT = 3600'),
            note="class paths and numbers",
        ),
        Example.repo(settings('EMAIL_HOST_PASSWORD = ""\nAUTH_PASSWORD_VALIDATORS = []'), note="an empty string and a list"),
        Example.repo(settings('DATABASES["default"]["CONN_MAX_AGE"] = 60'), note="database options that are not credentials"),
        Example.repo(settings('SECRET_KEY = "abc"'), note="SECRET_KEY is MW201's business"),
        Example.repo(settings('LOGIN_URL = "/back/admin/login/"\nTOKEN_URL = "/back/api/token/"'), note="URL paths"),
        Example.repo(
            settings('import os\nDATABASE_URL = os.getenv("DATABASE_URL", "postgres://localhost/shop")', preset=False),
            note="a fallback URL without a password",
        ),
        Example.repo(
            settings(
                'import environ\nenv = environ.Env()\nif DEBUG:\n    STRIPE_API_KEY = env("STRIPE_API_KEY", default="sk_test_only")',
                preset=False,
            ),
            note="a development-only branch",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], env_reads: EnvReads):
        tree = file.module
        reads = env_reads
        for st in statements(tree, preset_blocks.get(file.path)):
            if not st.production:
                continue
            stmt = st.stmt
            for name, value in assigned_names(stmt):
                if value is None:
                    continue
                literal_value = literal(value)
                if looks_secret(name, literal_value):
                    yield self.finding_at_node(file, stmt, f"literal {name} in settings: read it from the environment")
                elif credential_url(literal_value):
                    yield self.finding_at_node(file, value, f"{name} is a literal URL with a password: read it from the environment")
                for keys, node in dict_items(value):
                    yield from self._check_key(file, node, name, keys)
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    sub = subscript_path(target)
                    if sub and sub[1]:
                        base, keys = sub
                        yield from self._check_key(file, stmt.value, base, keys)
                        for more, node in dict_items(stmt.value):
                            yield from self._check_key(file, node, base, [*keys, *more])
            yield from self._fallbacks(file, stmt, reads)

    def _fallbacks(self, file, stmt, reads):
        """Environment reads that fall back to a literal secret or a URL with a password."""
        target = next((name for name, _v in assigned_names(stmt)), "")
        for read in reads.reads(stmt):
            default = string_value(read.default)
            if not default or not default.strip():
                continue
            var = read.name or target
            if credential_url(default):
                yield self.finding_at_node(
                    file, read.default, f"{var} falls back to a literal URL with a password: a missing variable must fail",
                )
            elif looks_secret(var, default) or looks_secret(target, default):
                yield self.finding_at_node(file, read.default, f"{var} falls back to a literal secret: a missing variable must fail")

    def _check_key(self, file, node, base, keys):
        if not keys or not isinstance(keys[-1], str):
            return
        value = literal(node)
        key = keys[-1]
        label = base + "".join(f"[{k!r}]" for k in keys)
        if base == "DATABASES" and key.upper() in DB_KEYS:
            if isinstance(value, str) and value.strip():
                yield self.finding_at_node(file, node, f"literal {label} in settings: use DATABASE_URL from the environment")
        elif looks_secret(key, value):
            yield self.finding_at_node(file, node, f"literal {label} in settings: read it from the environment")
