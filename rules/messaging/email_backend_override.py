from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import assigned_names, literal

from .._examples import SETTINGS_PATH, settings
from ..facts.settings import deletion_fix, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock

EMAIL_HOST_SETTINGS = {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL"}


class EmailBackendOverride(FileRule):
    """
    ## What it does
    Reports, in the settings of a project on the Model W preset, an `EMAIL_BACKEND` set to
    Django's SMTP backend or to an anymail backend, and `EMAIL_HOST*`, `EMAIL_PORT`,
    `EMAIL_USE_TLS`/`SSL` settings.

    ## Why it matters
    The preset chooses the email backend from `EMAIL_MODE` (`mailjet`, `mandrill`, or the
    console) in a hook that runs after the settings block: an `EMAIL_BACKEND` set in the
    block is silently replaced, and SMTP settings are dead configuration that misleads the
    next reader.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = "smtp.mailgun.org"
    ```

    ## Use instead
    ```
    EMAIL_MODE=mailjet
    MAILJET_API_KEY_PUBLIC=…
    MAILJET_API_KEY_PRIVATE=…
    ```

    ## Fix safety
    In the preset block only (not under a condition): deleting `EMAIL_BACKEND` is safe, since
    the preset replaces it after the block anyway; deleting an `EMAIL_HOST*`/`EMAIL_PORT`/
    `EMAIL_USE_*` setting is unsafe, because code that reads `settings.EMAIL_HOST` would get
    Django's default instead. Choosing the provider (`EMAIL_MODE` and its keys) stays with
    the project.

    ## References
    - model-w-reference §2.2 (Wailer, Email), §3f (MW-F03)
    """

    code = "MW603"
    name = "email-backend-override"
    family = "messaging"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("EMAIL_",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"'),
            fixed={SETTINGS_PATH: settings("pass")[SETTINGS_PATH].replace("\n    pass\n", "\n")},
            note="the SMTP backend",
            line=6, message="EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend' in a preset project",
        ),
        Example.repo(settings('EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"'), note="an anymail backend"),
        Example.repo(settings('EMAIL_HOST = env.get("EMAIL_HOST", default="smtp.acme.io")\nEMAIL_PORT = 587'), note="SMTP settings"),
    ]
    silent = [
        Example.repo(settings('DEFAULT_FROM_EMAIL = "Acme <noreply@acme.io>"'), note="the sender address"),
        Example.repo(
            settings('EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = "smtp.acme.io"', preset=False),
            note="no preset",
        ),
        Example.repo(
            settings('if DEBUG:\n    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"'),
            note="the console backend",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock]):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        for st in statements(file.module, block):
            for name, value in assigned_names(st.stmt):
                if name == "EMAIL_BACKEND":
                    backend = literal(value)
                    if isinstance(backend, str) and ("smtp" in backend or backend.startswith("anymail")):
                        yield self.finding_at_node(
                            file, st.stmt,
                            f"EMAIL_BACKEND = {backend!r} in a preset project: the preset picks the backend from EMAIL_MODE "
                            "after this block, so the override is silently replaced",
                            fix=deletion_fix(self, file, st, "delete EMAIL_BACKEND: the preset replaces it after the block"),
                        )
                elif name in EMAIL_HOST_SETTINGS:
                    fix = deletion_fix(self, file, st, f"delete {name}: the preset's email backend does not read it")
                    if fix is not None:
                        fix = self.make_fix(fix.description, fix.edits, FixSafety.UNSAFE)
                    yield self.finding_at_node(
                        file, st.stmt,
                        f"{name} in a preset project: emails go through Wailer's backend (EMAIL_MODE), SMTP settings are not used",
                        fix=fix,
                    )
