from django.db import models


class Event(models.Model):
    name = models.CharField(max_length=200)
    poster = models.ImageField(upload_to="posters/")
    starts = models.DateTimeField()


class Ticket(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    email = models.EmailField()
    pdf = models.FileField(upload_to="tickets/")
