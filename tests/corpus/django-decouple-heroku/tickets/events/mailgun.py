import requests
from django.conf import settings


def send_reminder(ticket):
    return requests.post(
        f"https://api.mailgun.net/v3/{settings.MAILGUN_DOMAIN}/messages",
        auth=("api", settings.MAILGUN_API_KEY),
        data={
            "from": f"Tickets <noreply@{settings.MAILGUN_DOMAIN}>",
            "to": [ticket.email],
            "subject": f"{ticket.event.name} starts soon",
            "text": "See you there!",
        },
        timeout=10,
    )
