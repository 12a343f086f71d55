from rest_framework import serializers, viewsets

from .models import Booking
from .tasks import confirm


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["id", "berth", "starts", "ends", "confirmed"]


class BookingViewSet(viewsets.ModelViewSet):
    serializer_class = BookingSerializer

    def get_queryset(self):
        return Booking.objects.filter(skipper=self.request.user)

    def perform_create(self, serializer):
        booking = serializer.save(skipper=self.request.user)
        confirm.delay(booking.pk)
