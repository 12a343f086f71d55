from django.conf import settings
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
    cover = models.ImageField(upload_to="covers/", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="books")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.title
