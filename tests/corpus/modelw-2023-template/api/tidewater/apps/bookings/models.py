from django.conf import settings
from django.db import models


class Berth(models.Model):
    name = models.CharField(max_length=80)
    length_m = models.DecimalField(max_digits=5, decimal_places=2)
    plan = models.FileField(upload_to="berths/plans/", blank=True)


class Booking(models.Model):
    berth = models.ForeignKey(Berth, on_delete=models.PROTECT, related_name="bookings")
    skipper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    starts = models.DateField()
    ends = models.DateField()
    held_until = models.DateTimeField(null=True, blank=True)
    confirmed = models.BooleanField(default=False)
