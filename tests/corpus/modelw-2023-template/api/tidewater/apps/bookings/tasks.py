from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from wailer.models import Email

from .models import Booking


@shared_task
def release_expired_holds():
    limit = timezone.now() - timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    Booking.objects.filter(confirmed=False, held_until__lt=limit).delete()


@shared_task
def confirm(booking_id: int):
    booking = Booking.objects.select_related("berth", "skipper").get(pk=booking_id)
    booking.confirmed = True
    booking.save(update_fields=["confirmed"])
    Email.send("booking-confirmed", {"berth": booking.berth.name, "email": booking.skipper.email}, booking.skipper)
