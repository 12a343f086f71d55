from rest_framework.routers import DefaultRouter

from harbour.apps.cargo.views import ManifestViewSet

router = DefaultRouter()
router.register("manifests", ManifestViewSet)

urlpatterns = router.urls
