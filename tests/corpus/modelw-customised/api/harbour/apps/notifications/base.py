from django.conf import settings
from wailer.interfaces import EmailType


class HarbourEmail(EmailType):
    """Common sender, locale and base URL for Harbour's emails."""

    def get_from(self):
        return settings.DEFAULT_FROM_EMAIL

    def get_locale(self):
        return self.user.language if self.user else "en"
