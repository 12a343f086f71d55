from django.urls import path

from .consumers import BerthConsumer

websocket_urlpatterns = [
    path("back/ws/berths/", BerthConsumer.as_asgi()),
]
