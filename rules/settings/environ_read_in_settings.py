from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import replace_node_edit, source_of

from .._examples import SETTINGS_PATH, settings
from ._common import PRESET_SIGNATURES, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.environment import EnvReads

    from ..facts.settings import PresetBlock

HELPERS = {
    "os": "os.environ",
    "django-environ": "django-environ",
    "python-decouple": "python-decouple",
    "dj-database-url": "dj-database-url",
}


class EnvironReadInSettings(FileRule):
    """
    ## What it does
    Reports environment reads inside (or after) the preset block of a settings module that
    bypass Model W's `env.get`: `os.environ[...]`, `os.environ.get()`, `os.getenv()`,
    django-environ (`env("X")`, `env.bool("X")`) and python-decouple (`config("X")`).
    Reads before the block (to configure the preset: `LOCAL = os.environ.get(...)`) and
    writes (`os.environ["X"] = …`, `del os.environ[…]`) are fine; a module without the
    preset is reported once, by MW210.

    ## Why it matters
    `EnvManager` is what makes Model W settings work everywhere: it loads `.env` in
    development, applies `build_default` while the Docker image is built (`BUILD_MODE`),
    collects every missing variable into one clear error at start-up, and lists the
    variables a project uses (`manage.py list_used_env_vars`). Direct reads skip all of it:
    a missing variable crashes later, or the image build fails.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        MAILJET_SENDER = os.getenv("MAILJET_SENDER", "noreply@acme.io")
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")
    ```

    ## Fix safety
    Unsafe: `os.getenv("X", d)` and `os.environ.get("X", d)` inside the preset block become
    `env.get("X", default=d)`, `os.getenv("X")` becomes `env.get("X", default=None)`; an
    import the fix leaves unused goes with it. The value stays a string, but the variable now
    also counts in EnvManager's checks and `.env` loading. Not offered for `os.environ["X"]`
    (a required variable needs a `build_default` only a person can choose, or the image build
    fails), for names the preset reads itself (delete the assignment instead), for values used
    with a method (`.lower() == "true"`: use `is_yaml=True`), outside the block, or when two
    fixes together would read one variable with two defaults (MW205).

    ## References
    - model-w-reference §2.1, §3b (MW-B05)
    """

    code = "MW204"
    name = "environ-read-in-settings"
    family = "settings"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("environ", "getenv", "decouple", "dotenv")
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('MAILJET_SENDER = os.getenv("MAILJET_SENDER", "noreply@acme.io")', before="import os"),
            fixed={SETTINGS_PATH: settings('MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")')[SETTINGS_PATH]},
            note="os.getenv in the block: the unsafe fix uses env.get (and drops the import it made unused)",
            line=7, message="os.environ read in settings",
        ),
        Example.repo(
            settings('STRIPE_KEY = os.environ["STRIPE_KEY"]', before="import os"),
            note="os.environ[...] in the block: no fix (env.get without a build default breaks the image build)",
        ),
        Example.repo(
            settings('ENVIRON = environ.Env()\nSENTRY_ENV = ENVIRON("SENTRY_ENV")', before="import environ"),
            note="django-environ in the block",
        ),
        Example.repo(
            settings('API_URL = ge("API_URL")', before="from os import getenv as ge"),
            fixed={SETTINGS_PATH: settings('API_URL = env.get("API_URL", default=None)')[SETTINGS_PATH]},
            note="an aliased os.getenv",
        ),
        Example.repo(
            settings('FEATURE = os.environ.get("FEATURE", "no").lower() == "yes"', before="import os"),
            note="a boolean idiom: reported, no fix",
        ),
        Example.repo(
            settings(
                'FLAG_A = os.getenv("FLAG", "on")\nFLAG_B = os.getenv("FLAG", "off")\nPATH_X = os.path.join("a", "b")',
                before="import os",
            ),
            fixed={SETTINGS_PATH: settings(
                'FLAG_A = env.get("FLAG", default="on")\nFLAG_B = os.getenv("FLAG", "off")\nPATH_X = os.path.join("a", "b")',
                before="import os",
            )[SETTINGS_PATH]},
            note="two reads with different defaults: fixed together they would crash (MW205), so only the first is",
        ),
    ]
    silent = [
        Example.repo(settings('MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")'), note="env.get"),
        Example.repo(
            {**settings("ROOT_URLCONF = 'x'"), "api/acme/apps/people/views.py": 'import os\nX = os.getenv("X")\n'},
            note="code outside settings",
        ),
        Example.repo(settings('ENVIRONMENT_NAME = "prod"  # not an environ read'), note="a name that merely contains 'environ'"),
        Example.repo(
            settings("ROOT_URLCONF = 'x'", before='import os\nLOCAL = os.environ.get("ENVIRONMENT") == "local"'),
            note="a read before the block, to configure the preset",
        ),
        Example.repo(
            settings(
                'os.environ["CELERY_BROKER_URL"] = env.get("REDIS_URL", default="redis://localhost")\ndel os.environ["DEBUG_SQL"]',
                before="import os",
            ),
            note="writes are not reads",
        ),
        Example.repo(
            settings('import os\nSECRET_KEY = os.environ["SECRET_KEY"]', preset=False),
            note="no preset: MW210 reports the module once",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], env_reads: EnvReads):
        block = preset_blocks.get(file.path)
        if block is None:
            return  # no EnvManager to read with: MW210 reports the module once
        tree = file.module
        reads = env_reads
        receivers = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Call)}
        for st in statements(tree, block):
            if st.where == "before":
                continue
            for read in reads.reads(st.stmt):
                if read.helper == "modelw":
                    continue
                fix = self._fix(file, read, block, receivers) if st.where == "block" else None
                yield self.finding_at_node(
                    file, read.node,
                    f"{HELPERS[read.helper]} read in settings: read configuration with {block.env_name or 'env'}.get() "
                    "in the EnvManager block",
                    fix,
                )

    def _fix(self, file, read, block, receivers):
        """``env.get`` for a plain string read of a variable the preset does not read."""
        if read.helper != "os" or not block.env_name or not read.name or read.name in PRESET_SIGNATURES:
            return None
        if id(read.node) in receivers:
            return None  # `.lower() == "true"` idioms need is_yaml=True: a person's call
        if read.method == "[]":
            return None  # a required variable: env.get needs a build default only a person can choose
        if len(read.node.args) + len(read.node.keywords) > 2 or not read.node.args:
            return None
        key = source_of(file, read.node.args[0])
        default = source_of(file, read.default) if read.default is not None else "None"
        replacement = f"{block.env_name}.get({key}, default={default})"
        return self.make_fix(f'use {block.env_name}.get("{read.name}"…)', [replace_node_edit(file, read.node, replacement)])
