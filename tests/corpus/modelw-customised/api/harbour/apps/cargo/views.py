from rest_framework import viewsets

from .models import Manifest


class ManifestViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Manifest.objects.all()
