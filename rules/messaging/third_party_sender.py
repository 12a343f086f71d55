from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, Severity
from modelw_lint.pysyntax import ImportMap, call_args, dotted, string_value, walk

from .._examples import with_files

SENDER_MODULES = {
    "anymail": "django-anymail", "sendgrid": "SendGrid", "mailjet_rest": "the Mailjet API client",
    "postmarker": "Postmark", "twilio": "Twilio", "vonage": "Vonage", "nexmo": "Nexmo", "sms": "django-sms",
}
SERVICES = "api/acme/apps/people/services.py"


class ThirdPartySender(FileRule):
    """
    ## What it does
    Reports project code that sends email or SMS through a provider's library instead of
    Wailer: imports of `anymail`, `sendgrid`, `mailjet_rest`, `postmarker`, `twilio`,
    `vonage`/`nexmo` and `sms` (django-sms, which Wailer wraps), and `boto3.client("ses")`.

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
    needles = tuple(SENDER_MODULES) + ("boto3",)
    scope = "project_python"

    fires = [
        Example.repo(with_files({SERVICES: "from twilio.rest import Client\n"}), note="Twilio"),
        Example.repo(with_files({SERVICES: "import sendgrid as sg\n"}), note="SendGrid"),
        Example.repo(with_files({SERVICES: 'import boto3\n\nses = boto3.client("ses", region_name="eu-west-1")\n'}), note="Amazon SES"),
        Example.repo(with_files({SERVICES: "from sms import send_sms\n"}), note="django-sms used directly"),
        Example.repo(with_files({SERVICES: "from anymail.message import AnymailMessage\n"}), note="anymail"),
    ]
    silent = [
        Example.repo(with_files({SERVICES: 'import boto3\n\ns3 = boto3.client("s3")\n'}), note="boto3 for S3"),
        Example.repo(with_files({SERVICES: "from wailer.models import Sms\n"}), note="Wailer"),
        Example.repo(with_files({SERVICES: "from acme.apps.sms import models\nimport smsutils\n"}), note="look-alike module names"),
    ]

    def check_file(self, file):
        module = file.parsed
        imports = ImportMap(module)
        for node, what in _senders(module, imports):
            yield self.finding_at_node(file, node, f"{what} bypasses Wailer: send messages with wailer.models.Email/Sms")


def _module(name):
    return SENDER_MODULES.get(name.split(".")[0]) if name else None


def _senders(module, imports):
    for node in walk(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                what = _module(dotted(alias.name))
                if what:
                    yield node, what
        elif isinstance(node, cst.ImportFrom):
            if node.relative or node.module is None:
                continue
            what = _module(dotted(node.module))
            if what:
                yield node, what
        elif isinstance(node, cst.Call):
            name = imports.resolve(node.func) or ""
            if name.startswith("boto3") and name.endswith(".client"):
                service = call_args(node, "service_name").get("service_name")
                if service is not None and string_value(service.value) in ("ses", "sesv2"):
                    yield node, "Amazon SES (boto3)"
