from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def private_storage():
    return storages.create_storage({"BACKEND": settings.PRIVATE_STORAGE})


class Manifest(models.Model):
    vessel = models.CharField(max_length=120)
    document = models.FileField(upload_to="manifests/", storage=private_storage)
    arrived = models.DateTimeField(null=True, blank=True)
