from djmail import template_mail
from djmail.template_mail import MagicMailBuilder
from templated_mail.mail import BaseEmailMessage


class TicketEmail(BaseEmailMessage):
    template_name = "events/ticket.html"


def send_ticket(ticket):
    mails = MagicMailBuilder()
    email = mails.ticket(ticket.email, {"ticket": ticket})
    email.send()
    return template_mail
