from celery import shared_task
from django.utils import timezone

from .models import Manifest


@shared_task
def purge_expired_slots():
    return Manifest.objects.filter(arrived__lt=timezone.now()).count()
