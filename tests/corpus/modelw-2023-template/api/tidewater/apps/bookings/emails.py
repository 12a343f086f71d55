from typing import Mapping

from wailer.interfaces import EmailType, JsonType


class BookingConfirmed(EmailType):
    def get_context(self, context: Mapping[str, JsonType]) -> Mapping[str, JsonType]:
        return context

    def get_locale(self, context: Mapping[str, JsonType]) -> str:
        return "en"

    def get_subject(self, context: Mapping[str, JsonType]) -> str:
        return f"Berth {context['berth']} is yours"

    def get_template_html_path(self, context: Mapping[str, JsonType]) -> str:
        return "bookings/emails/confirmed.html"

    def get_template_text_path(self, context: Mapping[str, JsonType]) -> str:
        return "bookings/emails/confirmed.txt"

    def get_to(self, context: Mapping[str, JsonType]) -> str:
        return context["email"]
