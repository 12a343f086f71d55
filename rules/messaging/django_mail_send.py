from __future__ import annotations

from typing import TYPE_CHECKING

import ast

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import ImportMap, walk

from .._examples import with_files

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

MAIL_API = {
    f"django.core.mail.{name}"
    for name in ("send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives", "get_connection")
} | {"django.core.mail.message.EmailMessage", "django.core.mail.message.EmailMultiAlternatives"}
SMTP_API = {"smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP"}
VIEWS = "api/acme/apps/people/views.py"
NO_FIX = "no automatic fix: moving to Wailer needs an EmailType, its templates and a WAILER_EMAIL_TYPES entry"


class DjangoMailSend(FileRule):
    """
    ## What it does
    Reports emails sent around Wailer in project code: Django's `send_mail`,
    `send_mass_mail`, `mail_admins`, `mail_managers`, `EmailMessage`,
    `EmailMultiAlternatives` and `get_connection` (called, or subclassed), `user.email_user(...)`,
    and `smtplib`. Names are resolved through imports and aliases
    (`from django.core import mail as m; m.send_mail(...)`). Tests and migrations are
    left alone, and so is a project function that happens to be called `send_mail`.

    ## Why it matters
    Model W sends every email and SMS through Wailer: typed messages (an `EmailType` per
    kind of email) with HTML and text templates, stored so each has a permalink, rendered in
    the recipient's language, and sent by the backend that `EMAIL_MODE` selects. Raw sends
    skip all of it, and skip the console backend in development.

    ## Example
    ```python
    from django.core.mail import send_mail

    send_mail("Welcome", f"Hi {user.first_name}", None, [user.email])
    ```

    ## Use instead
    ```python
    # acme/apps/people/emails.py
    from wailer.interfaces import EmailType

    class Welcome(EmailType):
        def get_to(self): return self.user.email
        def get_locale(self): return "en"
        def get_context(self): return {"name": self.user.first_name}
        def get_subject(self): return "Welcome"
        def get_template_html_path(self): return "people/wailer/welcome.html"
        def get_template_text_path(self): return "people/wailer/welcome.txt"

    # settings.py, in the preset block
    WAILER_EMAIL_TYPES = {"welcome": "acme.apps.people.emails.Welcome"}

    # the call site
    from wailer.models import Email

    Email.send("welcome", {}, user)
    ```

    ## Fix safety
    No fix: moving to Wailer needs an `EmailType`, its templates and a registry entry, which
    a person has to write.

    ## References
    - Model W architecture, "External communications"
    - model-w-reference §3f (MW-F01)
    """

    code = "MW601"
    name = "django-mail-send"
    family = "messaging"
    severity = Severity.WARNING
    kinds = ("python",)
    needles = (
        "send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives",
        "get_connection", "email_user", "smtplib", "core.mail", "core import mail",
    )
    scope = "project_python"

    fires = [
        Example.repo(
            with_files({VIEWS: 'from django.core import mail as m\n\n\ndef welcome(user):\n'
                '    m.send_mail("Hi", "Welcome", None, [user.email])\n'}),
            note="an aliased module",
            line=5, message="send_mail() bypasses Wailer",
        ),
        Example.repo(
            with_files({VIEWS: 'import django.core.mail\n\n\ndef report():\n    django.core.mail.mail_admins("Report", "…")\n'}),
            note="a dotted import",
        ),
        Example.repo(
            with_files({VIEWS: 'from django.core.mail import EmailMultiAlternatives\n\n\ndef send(to):\n'
                '    EmailMultiAlternatives("s", "b", to=[to]).send()\n'}),
            note="a message chain",
        ),
        Example.repo(
            with_files({VIEWS: "from django.core.mail import EmailMessage\n\n\nclass InvoiceMail(EmailMessage):\n    pass\n"}),
            note="a subclass",
        ),
        Example.repo(with_files({VIEWS: 'def notify(user):\n    user.email_user("Subject", "Body")\n'}), note="AbstractUser.email_user"),
        Example.repo(
            with_files({VIEWS: 'import smtplib\n\n\ndef send(msg):\n    with smtplib.SMTP("smtp.acme.io") as s:\n'
                '        s.send_message(msg)\n'}),
            note="smtplib",
        ),
    ]
    silent = [
        Example.repo(
            with_files({VIEWS: 'from wailer.models import Email\n\n\ndef send_mail(user):\n    return Email.send("welcome", {}, user)\n\n\n'
                'def signup(user):\n    send_mail(user)\n'}),
            note="a project function named send_mail that uses Wailer",
        ),
        Example.repo(
            with_files({VIEWS: "from django.core.mail import BadHeaderError\n\n\ndef safe(f):\n    try:\n        return f()\n"
                "    except BadHeaderError:\n        return None\n"}),
            note="importing an exception only",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/tests/test_mail.py": "from django.core import mail\n\n\ndef test_outbox():\n"
                "    assert len(mail.outbox) == 0\n    mail.send_mail('s', 'b', None, ['a@b.c'])\n"}),
            note="tests",
        ),
        Example.repo(
            with_files({"api/acme/test_utils/mailers.py": "from django.core.mail import send_mail\n\n\n"
                "def send_sample(to):\n    send_mail('s', 'b', None, [to])\n"}),
            note="helpers of a test_* folder",
        ),
    ]

    def check_file(self, file: SourceFile, imports: ImportMap):
        tree = file.module
        for node, what in _mail_uses(tree, imports):
            yield self.finding_at_node(file, node, f"{what} bypasses Wailer: send emails with wailer.models.Email.send ({NO_FIX})")


def _mail_uses(tree: ast.Module, imports: ImportMap):
    for node in walk(tree):
        if isinstance(node, ast.Call):
            name = imports.resolve(node.func)
            if name in MAIL_API:
                yield node, name.rsplit(".", 1)[-1] + "()"
            elif name in SMTP_API:
                yield node, f"{name}()"
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "email_user":
                yield node, "email_user()"
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = imports.resolve(base)
                if name in MAIL_API:
                    yield base, f"a subclass of {name.rsplit('.', 1)[-1]}"
