from celery import shared_task
from django.core.mail import send_mail

from .models import Book


@shared_task()
def notify_owner(book_id):
    book = Book.objects.select_related("owner").get(pk=book_id)
    send_mail(
        subject=f"Your book {book.title} was added",
        message="Happy reading!",
        from_email=None,
        recipient_list=[book.owner.email],
    )
