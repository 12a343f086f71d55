from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("events/", include("tickets.events.urls")),
    path("", RedirectView.as_view(url="/events/")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
