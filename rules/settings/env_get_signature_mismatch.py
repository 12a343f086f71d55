from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import replace_node_edit, source_of

from .._examples import PYPROJECT, SETTINGS_PATH, settings
from ._common import MISSING, call_signature, matches, py_literal

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock
    from ._common import PresetReads, Signature


OVERRIDING_PRESET = """\
import dj_database_url
from model_w.env_manager import EnvManager
from model_w.preset.django import ModelWDjango


class AcmePreset(ModelWDjango):
    def pre_database(self, env):
        if (url := env.get("DATABASE_URL", default=None)) is None:
            url = "postgres://acme@localhost/acme"
        yield "DATABASES", {"default": dj_database_url.parse(url)}


with EnvManager(AcmePreset()) as env:
    LANGUAGES = [("en", "English")]
"""


class EnvGetSignatureMismatch(FileRule):
    """
    ## What it does
    Reports an `env.get()` call whose `(default, build_default, is_yaml)` differ from
    another read of the same variable: the preset's own read (every variable the preset
    reads is listed in the reference) or another `env.get()` of the project.

    ## Why it matters
    EnvManager records the signature of each `env.get(name, …)`. A second read with a
    different signature is a configuration bug it refuses: the application crashes at
    start-up with `get() calls mismatch: NAME`. The preset reads its variables first, so a
    project must use exactly the preset's signature, or not read the variable at all.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        DEBUG = env.get("DEBUG", default=False)
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        DEBUG = env.get("DEBUG", default=False, is_yaml=True)
    ```
    or drop the line: the preset already sets `DEBUG`.

    The preset's reads are those of the project's preset version, in the branches its
    configuration takes; a project preset class that overrides a hook (`pre_database`…)
    without calling the preset's own takes that hook's reads away from the preset.

    ## Fix safety
    Safe for the preset's variables when the call is the whole value of an assignment
    (`X = env.get(…)`): its arguments are rewritten to the preset's signature, which is the
    one EnvManager accepts and gives the value the preset uses. No fix when the value is
    tested or combined (`if (x := env.get("X", default=None)) is None:`): another default
    would change which branch runs. No fix when two project reads disagree: which one is
    right is a human decision.

    ## References
    - model-w-reference §2.1 (signature rule), §2.3 (the preset's reads), §3b (MW-B07)
    """

    code = "MW205"
    name = "env-get-signature-mismatch"
    family = "settings"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = (".get(",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('IS_DEBUG = env.get("DEBUG", default=False)'),
            fixed={SETTINGS_PATH: settings('IS_DEBUG = env.get("DEBUG", default=False, is_yaml=True)')[SETTINGS_PATH]},
            note="is_yaml missing: the fix aligns the call",
            line=6, message="but the preset reads it with default=False, is_yaml=True",
        ),
        Example.repo(settings('REDIS = env.get("REDIS_URL", default="redis://redis:6379")'), note="another default"),
        Example.repo(
            settings('A = env.get("FEATURE_X", default="no")\nB = env.get("FEATURE_X", default="yes")'),
            note="two project reads that disagree (no fix)",
        ),
        Example.repo(
            {**settings('KEY = env.get("MAILJET_API_TOKEN", default="")'), "api/.env-template": "SMS_MODE=mailjet\n"},
            note="MAILJET_API_TOKEN when the project sends SMS through Mailjet",
        ),
        Example.repo(
            settings('if (cache := env.get("REDIS_URL", default=None)) is None:\n    CACHES = {}'),
            note="a tested value: the finding, but no fix (another default would change the branch)",
            message="the value is tested",
        ),
    ]
    silent = [
        Example.repo(settings('IS_DEBUG = env.get("DEBUG", default=False, is_yaml=True)'), note="the preset's signature"),
        Example.repo(
            settings('A = env.get("FEATURE_X", default="no")\nB = env.get("FEATURE_X", default="no")'),
            note="two identical reads",
        ),
        Example.repo(settings('HOSTS = env.get("EXTRA_HOSTS", default=[], is_yaml=True)'), note="a project variable"),
        Example.repo(settings('X = cache.get("DEBUG", default=True)'), note="a .get() on something else"),
        Example.repo(
            settings('KEY = env.get("MAILJET_API_TOKEN", default="")'),
            note="MAILJET_API_TOKEN is read only with SMS_MODE=mailjet, which nothing sets",
        ),
        Example.repo(
            {**settings('HEALTH = env.get("DB_CONN_HEALTH_CHECKS", default=False)'),
             "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2025.7.0,<2025.8.0").replace("~3.14", "~3.13")},
            note="DB_CONN_HEALTH_CHECKS: the 2025.07 preset does not read it yet",
        ),
        Example.repo(
            settings('BUCKET = env.get("AWS_STORAGE_BUCKET_NAME", default="media")'),
            note="storages are off: the preset never reads the bucket",
        ),
        Example.repo(
            {SETTINGS_PATH: OVERRIDING_PRESET},
            note="a preset class overriding pre_database: the preset no longer reads DATABASE_URL",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], preset_reads: PresetReads, env_get_calls: list[ast.Call]):
        tree = file.module
        block = preset_blocks.get(file.path)
        seen: dict[str, Signature] = {}
        whole_values = {id(node.value) for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr))}
        for call in env_get_calls:
            name, sig = call_signature(call)
            if name is None or sig is None:
                continue
            preset = preset_reads.certain.get(name) if block is not None else None
            if preset is None and block is not None and name in preset_reads.possible:
                continue  # the preset reads it only in a branch this project does not take
            if preset is not None:
                if not matches(sig, preset):
                    message = (
                        f'env.get("{name}") with {sig.describe()}, but the preset reads it with {preset.describe()}: '
                        '"get() calls mismatch" at start-up'
                    )
                    if id(call) in whole_values:
                        fix = self._fix(file, call, name, preset)
                    else:
                        fix = None  # its value is tested or combined: another default changes what runs
                        message += "; the value is tested or combined here, so no automatic fix: align it by hand"
                    yield self.finding_at_node(file, call, message, fix)
                continue
            first = seen.setdefault(name, sig)
            if first is not sig and not matches(sig, first):
                yield self.finding_at_node(
                    file, call,
                    f'env.get("{name}") with {sig.describe()}, but it is also read with {first.describe()}: '
                    '"get() calls mismatch" at start-up',
                )

    def _fix(self, file, call, name, preset):
        if not preset.concrete:
            return None
        parts = [py_literal(name)]
        if preset.default is not MISSING:
            parts.append(f"default={py_literal(preset.default)}")
        if preset.build_default is not MISSING:
            parts.append(f"build_default={py_literal(preset.build_default)}")
        if preset.is_yaml is not None:
            parts.append(f"is_yaml={py_literal(preset.is_yaml)}")
        new = f"{source_of(file, call.func)}({', '.join(parts)})"
        return self.make_fix(f"use the preset's signature: env.get({', '.join(parts)})", [replace_node_edit(file, call, new)])
