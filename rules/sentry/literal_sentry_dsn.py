from __future__ import annotations

from typing import TYPE_CHECKING

import ast
import re

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import ImportMap, call_args, drop_argument_edit, find, string_value

from .._examples import with_files

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

JS_DSN = re.compile(r"""\bdsn\s*+:\s*+(['"`])(https?://[^'"`\s]*+)\1""")
WSGI = "api/acme/django/wsgi.py"
HOOKS = "front/src/hooks.client.ts"


class LiteralSentryDsn(FileRule):
    """
    ## What it does
    Reports a Sentry DSN written as a literal: `sentry_sdk.init(dsn="https://…")` (or as its
    first argument) in the back-end, and `Sentry.init({ dsn: "https://…" })` in the front's
    code and configuration.

    ## Why it matters
    The DSN says where events go: with a literal, every environment (local, staging,
    production) reports to the same Sentry project, and changing it needs a release. Model W
    reads it from the environment: `SENTRY_DSN` for the back-end (the preset, or sentry-sdk
    itself), `PUBLIC_SENTRY_DSN` / `NUXT_PUBLIC_SENTRY_DSN` for the front.

    ## Example
    ```python
    sentry_sdk.init(dsn="https://abc@o1.ingest.sentry.io/1", integrations=[DjangoIntegration()])
    ```

    ## Use instead
    ```python
    sentry_sdk.init(integrations=[DjangoIntegration()])  # sentry-sdk reads SENTRY_DSN
    ```
    and in the front: `Sentry.init({ dsn: env.PUBLIC_SENTRY_DSN })`.

    ## Fix safety
    Unsafe, back-end only: the `dsn=` argument is removed, so sentry-sdk reads `SENTRY_DSN`
    from the environment; until the variable is set, nothing is reported. No fix in the
    front: how it reads a public variable depends on its framework and needs an import.

    ## References
    - model-w-reference §3e (MW-E01, MW-E04)
    """

    code = "MW503"
    name = "literal-sentry-dsn"
    family = "sentry"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("python", "other")
    needles = ("sentry_sdk", "dsn")
    scope = "code_files"

    fires = [
        Example.repo(
            with_files({WSGI: 'import sentry_sdk\n\nsentry_sdk.init(dsn="https://abc@o1.ingest.sentry.io/1", traces_sample_rate=0.1)\n'}),
            fixed={WSGI: "import sentry_sdk\n\nsentry_sdk.init(traces_sample_rate=0.1)\n"},
            note="the unsafe fix drops dsn=",
            line=3, message="literal Sentry DSN",
        ),
        Example.repo(
            with_files({WSGI: 'from sentry_sdk import init as sentry\n\nsentry("https://abc@o1.ingest.sentry.io/1")\n'}),
            note="positional, through an alias",
        ),
        Example.repo(
            with_files({HOOKS: 'import * as Sentry from "@sentry/sveltekit";\n'
                'Sentry.init({ dsn: "https://abc@o1.ingest.sentry.io/1" });\n'}),
            note="front code",
        ),
    ]
    silent = [
        Example.repo(
            with_files({WSGI: 'import os\nimport sentry_sdk\n\nsentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"))\n'}),
            note="from the environment",
        ),
        Example.repo(
            with_files({HOOKS: 'import * as Sentry from "@sentry/sveltekit";\nimport { env } from "$env/dynamic/public";\n'
                'Sentry.init({ dsn: env.PUBLIC_SENTRY_DSN });\n'}),
            note="front, from the environment",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/tests/test_sentry.py": 'import sentry_sdk\n'
                'sentry_sdk.init(dsn="https://x@o1.ingest.sentry.io/1")\n'}),
            note="test code",
        ),
        Example.repo(with_files({"docs/setup.md": 'Sentry.init({ dsn: "https://abc@o1.ingest.sentry.io/1" })\n'}), note="documentation"),
    ]

    def check_file(self, file: SourceFile, imports: ImportMap):
        if file.kind == "other":
            for m in JS_DSN.finditer(file.text or ""):
                line = file.line_of(m.start(2))
                col = m.start(2) - file.line_starts[line - 1] + 1
                yield self.finding(
                    file.path,
                    "literal Sentry DSN in the front: read it from the environment (PUBLIC_SENTRY_DSN)",
                    line,
                    col,
                    line,
                    col + len(m.group(2)),
                )
            return
        for call in find(file.module, ast.Call):
            if imports.resolve(call.func) != "sentry_sdk.init":
                continue
            arg = call_args(call, "dsn").get("dsn")
            if not string_value(arg):
                continue
            yield self.finding_at_node(
                file,
                arg,
                "literal Sentry DSN: read it from the environment (SENTRY_DSN)",
                self._fix(file, call, arg),
            )

    def _fix(self, file, call, arg):
        """Drop the ``dsn`` argument (with its comma): sentry-sdk then reads SENTRY_DSN."""
        edit = drop_argument_edit(file, call, arg)
        return self.make_fix("drop dsn=: sentry-sdk reads SENTRY_DSN from the environment", [edit]) if edit else None
