from typing import Mapping

from django.utils.translation import gettext_lazy as _
from wailer.interfaces import EmailType, JsonType


class Welcome(EmailType):
    def get_context(self, context: Mapping[str, JsonType]) -> Mapping[str, JsonType]:
        return context

    def get_locale(self, context: Mapping[str, JsonType]) -> str:
        return self.recipient.language if self.recipient else "en"

    def get_subject(self, context: Mapping[str, JsonType]) -> str:
        return str(_("Welcome aboard"))

    def get_template_html_path(self, context: Mapping[str, JsonType]) -> str:
        return "people/emails/welcome.html"

    def get_template_text_path(self, context: Mapping[str, JsonType]) -> str:
        return "people/emails/welcome.txt"

    def get_to(self, context: Mapping[str, JsonType]) -> str:
        return self.recipient.email
