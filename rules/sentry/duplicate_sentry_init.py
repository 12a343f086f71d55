from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import delete_statement_edit, dotted, source_of

from .._examples import PYPROJECT, SETTINGS_PATH, settings, with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.code import SentryInit
    from ..facts.settings import PresetBlock, Statement


class DuplicateSentryInit(FileRule):
    """
    ## What it does
    Reports a `sentry_sdk.init(...)` call in the project code of a project that uses the
    Model W preset.

    ## Why it matters
    The preset already calls `sentry_sdk.init` when `SENTRY_DSN` is set, with the Django
    (and Celery) integrations, the environment name and the sample rate. A second call
    re-initialises the SDK: whichever runs last wins, and options from the other are lost.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        sentry_sdk.init(dsn=env.get("SENTRY_DSN", default=None), traces_sample_rate=0.2)
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango(sentry_sample_rate=0.2)) as env:
        ...
    ```

    ## Fix safety
    Unsafe: a standalone `sentry_sdk.init(...)` statement is deleted, when it sets nothing the
    preset's own init does not (the DSN, Django's and Celery's integrations, the environment,
    `send_default_pii`). One that sets more (`before_send`, a sample rate, other
    integrations, a release) gets no edit: the finding names what a person must carry over
    (`traces_sample_rate` becomes `ModelWDjango(sentry_sample_rate=…)`).

    ## References
    - model-w-reference §2.2 (Sentry), §3e (MW-E02)
    """

    code = "MW504"
    name = "duplicate-sentry-init"
    family = "sentry"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("sentry_sdk",)
    scope = "project_python"

    fires = [
        Example.repo(
            settings('sentry_sdk.init(dsn=env.get("SENTRY_DSN", default=None), send_default_pii=True)\nX = 1',
                     before="import sentry_sdk"),
            fixed={SETTINGS_PATH: settings("X = 1")[SETTINGS_PATH]},
            note="in the preset block: the unsafe fix deletes it, and the import it leaves unused",
            line=7, message="sentry_sdk.init() in a preset project",
        ),
        Example.repo(
            settings("sentry_sdk.init(traces_sample_rate=0.2, before_send=scrub)\nX = 1", before="import sentry_sdk"),
            note="options the preset's init does not set: no edit, the finding says what to carry over",
            message="sentry_sample_rate=0.2",
        ),
        Example.repo(with_files({"api/acme/django/asgi.py": "import sentry_sdk as s\n\ns.init()\n"}), note="elsewhere in project code"),
        Example.repo(
            with_files({
                "sdk/pyproject.toml": '[project]\nname = "acme-client"\nversion = "1.0"\n',
                "sdk/acme_client/__init__.py": "import sentry_sdk\n\nsentry_sdk.init()\n",
                "api/pyproject.toml": PYPROJECT + 'acme-client = {path = "../sdk", develop = true}\n',
            }),
            note="a package of the repository the back-end installs (a path dependency): back-end code",
        ),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="the preset alone"),
        Example.repo(
            with_files({
                "sdk/pyproject.toml": '[project]\nname = "acme-client"\nversion = "1.0"\ndependencies = ["httpx", "sentry-sdk"]\n',
                "sdk/acme_client/__init__.py": "import sentry_sdk\n\n\ndef setup(dsn):\n    sentry_sdk.init(dsn=dsn)\n",
            }),
            note="a client SDK in the repository, a package of its own the back-end does not install",
        ),
        Example.repo(
            with_files({"api/acme/django/settings.py": "import sentry_sdk\nsentry_sdk.init()\n"}),
            note="no preset: that init is the only one",
        ),
        Example.repo(settings("sentry_sdk.capture_message('hi')", before="import sentry_sdk"), note="other sentry_sdk calls"),
    ]

    def check_file(self, file: SourceFile, preset_in_use: bool, sentry_inits: list[SentryInit], preset_blocks: dict[str, PresetBlock]):
        if not preset_in_use:
            return
        mine = {id(i.call) for i in sentry_inits if i.path == file.path}
        if not mine:
            return
        standalone: dict[int, Statement] = {}
        for st in statements(file.module, preset_blocks.get(file.path)):
            if st.direct and isinstance(st.stmt, ast.Expr) and id(st.stmt.value) in mine:
                standalone[id(st.stmt.value)] = st
        for init in (i for i in sentry_inits if i.path == file.path):
            fix = None
            message = (
                "sentry_sdk.init() in a preset project: the preset already initialises Sentry (set SENTRY_DSN; sentry_sample_rate= for "
                "traces)"
            )
            extra = _beyond_the_preset(init.call, file)
            alone = standalone.get(id(init.call))
            if extra:
                message += f"; it also sets {', '.join(extra)}: carry that over by hand, then delete it"
            elif alone is not None:
                edit = delete_statement_edit(file, alone.stmt, alone.siblings if alone.where == "block" else None)
                if edit:
                    fix = self.make_fix("delete the call: the preset initialises Sentry from SENTRY_DSN", [edit])
            yield self.finding_at_node(file, init.call, message, fix)


# What the preset's own sentry_sdk.init() sets (model-w-reference §2.2): a duplicate that sets
# only these loses nothing when it goes.
PRESET_SENTRY_OPTIONS = {"dsn", "environment", "send_default_pii"}
PRESET_INTEGRATIONS = {"DjangoIntegration", "CeleryIntegration"}


def _beyond_the_preset(call, file) -> list[str]:
    """What a ``sentry_sdk.init(...)`` sets that the preset's init does not (as people read it:
    ``before_send``, ``sentry_sample_rate=0.2`` for a traces rate, other integrations)."""
    out = []
    if call.args[1:]:
        out.append("positional options")
    for kw in call.keywords:
        if kw.arg is None:
            out.append("**options")
        elif kw.arg == "traces_sample_rate":
            out.append(f"traces_sample_rate (ModelWDjango(sentry_sample_rate={source_of(file, kw.value)}))")
        elif kw.arg == "integrations":
            names = [(dotted(el.func) or "?").rsplit(".", 1)[-1] if isinstance(el, ast.Call) and not el.args and not el.keywords else "?"
                     for el in (kw.value.elts if isinstance(kw.value, (ast.List, ast.Tuple)) else [kw.value])]
            others = [n for n in names if n not in PRESET_INTEGRATIONS]
            if others:
                out.append(f"integrations ({', '.join(others)})")
        elif kw.arg not in PRESET_SENTRY_OPTIONS:
            out.append(kw.arg)
    return out
