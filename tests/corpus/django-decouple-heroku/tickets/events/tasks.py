from celery import shared_task

from .mailgun import send_reminder
from .models import Ticket


@shared_task
def remind(ticket_id):
    send_reminder(Ticket.objects.get(pk=ticket_id))
