from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import ImportMap, call_args, string_prefix, string_value, walk

from .._examples import with_files

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from modelw_lint.lang.pyindex import PythonIndex

SENDER_MODULES = {
    "anymail": "django-anymail", "sendgrid": "SendGrid", "mailjet_rest": "the Mailjet API client",
    "postmarker": "Postmark", "twilio": "Twilio", "vonage": "Vonage", "nexmo": "Nexmo", "sms": "django-sms",
    "djmail": "djmail", "templated_mail": "django-templated-mail", "mailgun": "the Mailgun SDK",
    "sib_api_v3_sdk": "the Brevo (Sendinblue) SDK", "brevo_python": "the Brevo SDK", "mailchimp_transactional": "Mandrill",
    "sparkpost": "SparkPost", "postmark": "Postmark", "resend": "Resend",
}
# Sending endpoints of mail and SMS APIs, called over plain HTTP.
MAIL_API_URL = re.compile(
    r"^https?://(api\.(eu\.)?mailgun\.net/|api\.sendgrid\.com/v3/mail/send|api\.mailjet\.com/v3(\.1)?/send|"
    r"api\.postmarkapp\.com/email|api\.sparkpost\.com/api/v1/transmissions|api\.(brevo|sendinblue)\.com/v3/smtp/email|"
    r"mandrillapp\.com/api/[\d.]+/messages|api\.resend\.com/emails|api\.twilio\.com/[\d-]+/Accounts/[^/]+/Messages|"
    r"rest\.nexmo\.com/sms|api\.mailersend\.com/v1/email)",
    re.I,
)
HTTP_METHODS = {"post", "put", "request", "urlopen", "Request", "fetch"}
SERVICES = "api/acme/apps/people/services.py"


class ThirdPartySender(FileRule):
    """
    ## What it does
    Reports project code that sends email or SMS through a provider's library instead of
    Wailer: imports of `anymail`, `sendgrid`, `mailjet_rest`, `postmarker`, `mailgun`,
    `djmail`, `templated_mail` (django-templated-mail), `twilio`, `vonage`/`nexmo` and `sms`
    (django-sms, which Wailer wraps), `boto3.client("ses")`, and HTTP calls to the sending
    endpoints of mail APIs (`requests.post("https://api.mailgun.net/v3/…/messages")`,
    SendGrid, Mailjet, Postmark, Brevo, Mandrill…). One finding per library and file.

    ## Why it matters
    Wailer is Model W's one way to send messages: typed, templated, stored with a
    permalink, and sent through the backend that `EMAIL_MODE`/`SMS_MODE` select (Mailjet
    recommended). A direct provider client hard-codes the provider, skips the console
    backend in development, and keeps no trace of what was sent.

    ## Example
    ```python
    from twilio.rest import Client

    Client(sid, token).messages.create(to=phone, from_=sender, body=text)
    ```

    ## Use instead
    ```python
    from wailer.models import Sms

    Sms.send("order-shipped", {"order": order.pk}, user)
    ```
    with an `SmsType` registered in `WAILER_SMS_TYPES` and `SMS_MODE=mailjet`.

    ## Fix safety
    No fix: the message needs an `EmailType`/`SmsType` and a registry entry.

    ## References
    - Model W architecture, "External communications"
    - model-w-reference §3f (MW-F02)
    """

    code = "MW602"
    name = "third-party-sender"
    family = "messaging"
    severity = Severity.WARNING
    kinds = ("python",)
    needles = tuple(SENDER_MODULES) + ("boto3", "://api.", "mandrillapp", "rest.nexmo")
    scope = "project_python"

    fires = [
        Example.repo(with_files({SERVICES: "from twilio.rest import Client\n"}), note="Twilio", line=1, message="Twilio bypasses Wailer"),
        Example.repo(with_files({SERVICES: "import sendgrid as sg\n"}), note="SendGrid"),
        Example.repo(with_files({SERVICES: 'import boto3\n\nses = boto3.client("ses", region_name="eu-west-1")\n'}), note="Amazon SES"),
        Example.repo(with_files({SERVICES: "from sms import send_sms\n"}), note="django-sms used directly"),
        Example.repo(with_files({SERVICES: "from anymail.message import AnymailMessage\n"}), note="anymail"),
        Example.repo(with_files({SERVICES: "from djmail.template_mail import MagicMailBuilder\n"}), note="djmail"),
        Example.repo(with_files({SERVICES: "from templated_mail.mail import BaseEmailMessage\n"}), note="django-templated-mail"),
        Example.repo(
            with_files({SERVICES: (
                "import requests\n\nMAILGUN = 'acme.io'\n\n\ndef send(to, text):\n"
                "    return requests.post(\n        f\"https://api.mailgun.net/v3/{MAILGUN}/messages\",\n"
                "        auth=(\"api\", KEY), data={\"to\": to, \"text\": text},\n    )\n"
            )}),
            note="raw HTTP to Mailgun",
        ),
        Example.repo(
            with_files({SERVICES: "import httpx\n\n\ndef send(payload):\n"
                "    httpx.post('https://api.mailjet.com/v3.1/send', json=payload)\n"}),
            note="raw HTTP to Mailjet",
        ),
    ]
    silent = [
        Example.repo(with_files({SERVICES: 'import boto3\n\ns3 = boto3.client("s3")\n'}), note="boto3 for S3"),
        Example.repo(with_files({SERVICES: "from wailer.models import Sms\n"}), note="Wailer"),
        Example.repo(with_files({SERVICES: "from acme.apps.sms import models\nimport smsutils\n"}), note="look-alike module names"),
        Example.repo(
            with_files({SERVICES: "import requests\n\nrequests.post('https://api.acme.io/v3/mail/send-later', json={})\n"}),
            note="HTTP to the project's own API",
        ),
        Example.repo(
            with_files({SERVICES: "from sms import helpers\n", "api/sms/__init__.py": "", "api/sms/helpers.py": "X = 1\n"}),
            note="a project package named sms",
        ),
    ]

    def check_file(self, file: SourceFile, python_index: PythonIndex, imports: ImportMap):
        tree = file.tree
        reported: set[str] = set()
        for node, what in _senders(tree, imports, python_index):
            if what in reported:
                continue  # one finding per library and file, at its first use
            reported.add(what)
            yield self.finding_at_node(file, node, f"{what} bypasses Wailer: send messages with wailer.models.Email/Sms")


def _module(name, python_index):
    if not name:
        return None
    top = name.split(".")[0]
    if top in SENDER_MODULES and python_index.module_file(top) is not None:
        return None  # the project's own package with that name
    return SENDER_MODULES.get(top)


def _senders(tree, imports, python_index):
    for node in walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                what = _module(alias.name, python_index)
                if what:
                    yield node, what
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                continue
            what = _module(node.module, python_index)
            if what:
                yield node, what
        elif isinstance(node, ast.Call):
            name = imports.resolve(node.func) or ""
            if name.startswith("boto3") and name.endswith(".client"):
                service = call_args(node, "service_name").get("service_name")
                if string_value(service) in ("ses", "sesv2"):
                    yield node, "Amazon SES (boto3)"
                continue
            method = name.rsplit(".", 1)[-1]
            if method in HTTP_METHODS:
                url = call_args(node, "url").get("url")
                if method == "request":
                    url = call_args(node, "method", "url").get("url")
                prefix = string_prefix(url) if url is not None else None
                if prefix and MAIL_API_URL.match(prefix):
                    host = prefix.split("/")[2]
                    yield node, f"a direct call to {host}"
