from modelw_lint import Example, FileRule, Severity

from .._examples import settings
from ._common import default_storage_backends, is_s3_like


class LocalDefaultStorage(FileRule):
    """
    ## What it does
    Reports a default file storage that is not S3-like in a settings module:
    `DEFAULT_FILE_STORAGE` or `STORAGES["default"]["BACKEND"]` (as a dict literal or by
    subscript) set to `FileSystemStorage`, `InMemoryStorage` or another backend that is not
    S3, Google Cloud or Azure storage. `STORAGES["staticfiles"]` is WhiteNoise's and left
    alone; so are test-only settings.

    ## Why it matters
    Model W images are twelve-factor: any container can be replaced at any time and several
    run side by side. Uploads written to a container's disk are lost on the next deploy and
    invisible to the other containers. User content belongs in an S3-like bucket behind a
    CDN.

    ## Example
    ```python
    STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango(enable_storages=True)) as env:
        ...  # S3Boto3Storage, configured from AWS_* / STORAGES_MODE
    ```

    ## Fix safety
    No fix: enabling S3 needs a bucket and credentials in every environment.

    ## References
    - Model W architecture, "User-generated content — S3-like"
    - model-w-reference §2.2 (Storage), §3d (MW-D01)
    """

    code = "MW401"
    name = "local-default-storage"
    family = "storage"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("DEFAULT_FILE_STORAGE", "STORAGES")
    scope = "project_settings"

    fires = [
        Example.repo(settings('STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}', preset=False), note="a dict literal"),
        Example.repo(settings('STORAGES["default"]["BACKEND"] = "django.core.files.storage.FileSystemStorage"'), note="a subscript assignment"),
        Example.repo(settings('DEFAULT_FILE_STORAGE = "django.core.files.storage.InMemoryStorage"', preset=False), note="the old setting, in-memory"),
        Example.repo(settings('STORAGES["default"] = {"BACKEND": "acme.storage.LocalStorage"}'), note="a custom local backend"),
    ]
    silent = [
        Example.repo(settings('STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}'), note="static files"),
        Example.repo(settings('STORAGES = {"default": {"BACKEND": "storages.backends.s3boto3.S3Boto3Storage"}}', preset=False), note="S3"),
        Example.repo(settings('DEFAULT_FILE_STORAGE = "storages.backends.gcloud.GoogleCloudStorage"', preset=False), note="Google Cloud"),
        Example.repo(
            {
                **settings("X = 1"),
                "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.settings_test\n",
                "api/acme/django/settings_test.py": 'from .settings import *\nSTORAGES["default"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}\n',
            },
            note="InMemoryStorage in test settings",
        ),
    ]

    def check_file(self, file, preset_blocks):
        for node, backend, setting in default_storage_backends(file.parsed, preset_blocks.get(file.path)):
            if not is_s3_like(backend):
                short = backend.rsplit(".", 1)[-1]
                yield self.finding_at_node(
                    file, node,
                    f"{setting} is {short}: user uploads must go to S3-like storage, not the container's disk",
                )
