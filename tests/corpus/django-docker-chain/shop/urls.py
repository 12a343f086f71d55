from django.contrib import admin
from django.urls import path

urlpatterns = [path("back/admin/", admin.site.urls)]
