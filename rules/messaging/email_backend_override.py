from modelw_lint import Example, FileRule, Severity
from modelw_lint.pyast import assigned_names, literal

from .._examples import settings
from ..facts.settings import statements

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
    No fix: which provider to use is a decision for the project.

    ## References
    - model-w-reference §2.2 (Wailer, Email), §3f (MW-F03)
    """

    code = "MW603"
    name = "email-backend-override"
    family = "messaging"
    severity = Severity.WARNING
    kinds = ("python",)
    needles = ("EMAIL_",)
    scope = "project_settings"

    fires = [
        Example.repo(settings('EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"'), note="the SMTP backend"),
        Example.repo(settings('EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"'), note="an anymail backend"),
        Example.repo(settings('EMAIL_HOST = env.get("EMAIL_HOST", default="smtp.acme.io")\nEMAIL_PORT = 587'), note="SMTP settings"),
    ]
    silent = [
        Example.repo(settings('DEFAULT_FROM_EMAIL = "Acme <noreply@acme.io>"'), note="the sender address"),
        Example.repo(settings('EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = "smtp.acme.io"', preset=False), note="no preset"),
        Example.repo(settings('if DEBUG:\n    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"'), note="the console backend"),
    ]

    def check_file(self, file, preset_blocks):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        for st in statements(file.tree, block):
            for name, value in assigned_names(st.stmt):
                if name == "EMAIL_BACKEND":
                    backend = literal(value)
                    if isinstance(backend, str) and ("smtp" in backend or backend.startswith("anymail")):
                        yield self.finding_at_node(
                            file, st.stmt,
                            f"EMAIL_BACKEND = {backend!r} in a preset project: the preset picks the backend from EMAIL_MODE "
                            "after this block, so the override is silently replaced",
                        )
                elif name in EMAIL_HOST_SETTINGS:
                    yield self.finding_at_node(
                        file, st.stmt,
                        f"{name} in a preset project: emails go through Wailer's backend (EMAIL_MODE), SMTP settings are not used",
                    )
