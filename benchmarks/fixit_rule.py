"""The Fixit rule the benchmark compares modelw-lint with: MW601's core (django.core.mail sends),
written the Fixit way (a LintRule with QualifiedNameProvider)."""

import libcst as cst
from fixit import LintRule
from libcst.metadata import QualifiedNameProvider

MAIL_API = {
    f"django.core.mail.{name}"
    for name in ("send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives", "get_connection")
}


class NoDjangoMailSend(LintRule):
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def visit_Call(self, node: cst.Call) -> None:
        names = self.get_metadata(QualifiedNameProvider, node.func, set())
        if any(n.name in MAIL_API for n in names):
            self.report(node, "send emails through Wailer")
