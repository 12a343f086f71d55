from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("back/_/ht/", include("health_check.urls")),
    path("back/admin/", admin.site.urls),
    path("back/api/", include("harbour.apps.api.urls")),
    path("back/api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("back/api/docs/", SpectacularSwaggerView.as_view(url_name="schema")),
    path("back/cms/", include(wagtailadmin_urls)),
    path("back/documents/", include(wagtaildocs_urls)),
    path("back/wailer/", include("wailer.urls")),
    path("", include(wagtail_urls)),
]

if settings.DEBUG:
    import debug_toolbar

    urlpatterns = [
        path("back/__debug__/", include(debug_toolbar.urls)),
    ] + urlpatterns
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
