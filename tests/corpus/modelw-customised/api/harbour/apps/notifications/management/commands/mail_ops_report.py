from django.core.mail import mail_admins
from django.core.management.base import BaseCommand

from harbour.apps.cargo.models import Manifest


class Command(BaseCommand):
    help = "Mail the nightly operations report to the admins."

    def handle(self, *args, **options):
        count = Manifest.objects.count()
        mail_admins("Nightly operations report", f"{count} manifests on file.")
