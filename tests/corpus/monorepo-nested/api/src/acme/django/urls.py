from django.contrib import admin
from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI()

urlpatterns = [
    path("back/admin/", admin.site.urls),
    path("back/api/", api.urls),
]
