import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.MEDIA_ROOT = tmp_path
