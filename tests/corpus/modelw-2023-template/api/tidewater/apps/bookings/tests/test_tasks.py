import pytest
from django.core import mail

from tidewater.apps.bookings.tasks import confirm


@pytest.mark.django_db
def test_confirm_sends_the_email(booking, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    confirm(booking.pk)
    assert len(mail.outbox) == 1
