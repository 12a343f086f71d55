from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import ImportMap, call_args, find, string_value

from .._examples import settings

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ._common import WailerRegistry

VIEWS = "api/acme/apps/people/views.py"
SENDER = ('from wailer.models import Email as E, Sms\n\n\ndef welcome(user):\n    E.send("{email}", {{}}, user)\n'
    '    Sms.send("{sms}", {{}}, user)\n')
CLASSES = {"wailer.models.Email": "email", "wailer.models.Sms": "sms"}
REGISTRY_NAME = {"email": "WAILER_EMAIL_TYPES", "sms": "WAILER_SMS_TYPES"}


def _with_registry(email_types: str, sms_types: str = "{}", email="welcome", sms="shipped"):
    repo = settings(f"WAILER_EMAIL_TYPES = {email_types}\nWAILER_SMS_TYPES = {sms_types}")
    repo[VIEWS] = SENDER.format(email=email, sms=sms)
    return repo


class UnknownWailerType(FileRule):
    """
    ## What it does
    Reports `Email.send("x", …)` and `Sms.send("x", …)` (Wailer's models, resolved through
    imports) where `"x"` is not a key of `WAILER_EMAIL_TYPES` / `WAILER_SMS_TYPES` as the
    settings declare them (dict literals, subscript assignments, `.update({...})`). When a
    registry is built in a way the linter cannot read, unknown keys are not reported.

    ## Why it matters
    Wailer looks the type up in the registry when the message is sent: an unknown key
    raises at that moment, in production, in the middle of a request or a task.

    ## Example
    ```python
    WAILER_EMAIL_TYPES = {"welcome": "acme.apps.people.emails.Welcome"}

    Email.send("wellcome", {}, user)
    ```

    ## Use instead
    ```python
    Email.send("welcome", {}, user)
    ```

    ## Fix safety
    No fix: the right key (or the missing registration) is a human decision.

    ## References
    - model-w-reference §3f (Wailer API, MW-F04)
    """

    code = "MW604"
    name = "unknown-wailer-type"
    family = "messaging"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("wailer",)  # Email and Sms must be imported from wailer (".send(" is everywhere)
    scope = "project_python"

    fires = [
        Example.repo(
            _with_registry(
                '{"welcome": "acme.apps.people.emails.Welcome"}',
                '{"shipped": "acme.apps.people.sms.Shipped"}',
                email="wellcome",
            ),
            note="a typo in the email type",
            line=5, message="Email.send(\"wellcome\")",
        ),
        Example.repo(_with_registry('{"welcome": "acme.apps.people.emails.Welcome"}'), note="an SMS type never registered"),
    ]
    silent = [
        Example.repo(
            _with_registry('{"welcome": "acme.apps.people.emails.Welcome"}', '{"shipped": "acme.apps.people.sms.Shipped"}'),
            note="both registered",
        ),
        Example.repo(
            _with_registry("load_types()", "load_types()", email="anything", sms="anything"),
            note="registries the linter cannot read",
        ),
        Example.repo({**settings("X = 1"), VIEWS: 'def go(mailer):\n    mailer.send("x")\n'}, note="another .send()"),
    ]

    def check_file(self, file: SourceFile, wailer_registries: dict[str, WailerRegistry], imports: ImportMap):
        for call in find(file.module, ast.Call):
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "send"):
                continue
            kind = CLASSES.get(imports.resolve(func.value) or "")
            if kind is None:
                continue
            registry = wailer_registries[kind]
            arg = call_args(call, "type_").get("type_")
            key = string_value(arg)
            if key is None or not registry.complete or key in registry.entries:
                continue
            known = ", ".join(sorted(registry.entries)) or "none"
            yield self.finding_at_node(
                file, arg,
                f'{"Email" if kind == "email" else "Sms"}.send("{key}"): "{key}" is not a key of {REGISTRY_NAME[kind]} '
                f"(registered: {known}); Wailer raises when it sends",
            )
