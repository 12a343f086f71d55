from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import SETTINGS_PATH, settings, with_files
from ..facts.dependencies import DEPENDENCY_FILES

if TYPE_CHECKING:
    from ._common import DefaultStorage

STORAGE_MODULE = "api/acme/django/storage_backends.py"
CUSTOM_S3 = """\
from storages.backends.s3 import S3Storage


class AcmeS3Storage(S3Storage):
    file_overwrite = False


class PublicMediaStorage(AcmeS3Storage):
    default_acl = "public-read"
"""
COOKIECUTTER_BASE = """\
import environ

env = environ.Env()
INSTALLED_APPS = ["django.contrib.admin"]
STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
"""
COOKIECUTTER_PRODUCTION = """\
from .base import *  # noqa: F403

STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "media"}}}
"""


class LocalDefaultStorage(RepoRule):
    """
    ## What it does
    Reports the default file storage production ends up with when it is local:
    `DEFAULT_FILE_STORAGE` or `STORAGES["default"]["BACKEND"]` (a dict literal, a subscript,
    `STORAGES["default"] = {...}`) set to `FileSystemStorage`, `InMemoryStorage` or a
    project class derived from them. A project's own storage classes are followed to what
    they derive from, through any number of modules (`PublicMediaStorage(AcmeS3Storage)`
    then `AcmeS3Storage(S3Storage)` is S3); object storages of other clouds (Google Cloud
    Storage, Azure) count as S3-like. Only what production finally runs counts: a value that
    a later module overrides (`base.py` then `production.py`), a development-only branch
    (`if DEBUG:`) and test settings are left alone, and so is a class modelw-lint cannot see
    (from a library).

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
    reads = (*DEPENDENCY_FILES, "**/*.py")

    fires = [
        Example.repo(
            settings('STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}', preset=False),
            note="a dict literal",
            line=1, message="STORAGES[\"default\"][\"BACKEND\"] is FileSystemStorage",
        ),
        Example.repo(
            settings('STORAGES["default"]["BACKEND"] = "django.core.files.storage.FileSystemStorage"'),
            note="a subscript assignment",
        ),
        Example.repo(
            settings('DEFAULT_FILE_STORAGE = "django.core.files.storage.InMemoryStorage"', preset=False),
            note="the old setting, in-memory",
        ),
        Example.repo(
            {**settings('STORAGES["default"] = {"BACKEND": "acme.django.storage_backends.LocalStorage"}'),
             STORAGE_MODULE: "from django.core.files.storage import FileSystemStorage\n\n\nclass LocalStorage(FileSystemStorage):\n"
                 "    pass\n"},
            note="a project class derived from FileSystemStorage",
        ),
    ]
    silent = [
        Example.repo(
            settings('STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}'),
            note="static files",
        ),
        Example.repo(settings('STORAGES = {"default": {"BACKEND": "storages.backends.s3boto3.S3Boto3Storage"}}', preset=False), note="S3"),
        Example.repo(settings('DEFAULT_FILE_STORAGE = "storages.backends.gcloud.GoogleCloudStorage"', preset=False), note="Google Cloud"),
        Example.repo(
            {**settings('STORAGES["default"] = {"BACKEND": "acme.django.storage_backends.PublicMediaStorage"}'), STORAGE_MODULE: CUSTOM_S3},
            note="a project subclass of a subclass of S3Storage",
        ),
        Example.repo(settings('STORAGES["default"]["BACKEND"] = "agency_storages.CdnStorage"'), note="a class from a library: unknown"),
        Example.repo(
            {
                **settings("X = 1"),
                "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.settings_test\n",
                "api/acme/django/settings_test.py": 'from .settings import *\nSTORAGES["default"] = {"BACKEND": '
                    '"django.core.files.storage.InMemoryStorage"}\n',
            },
            note="InMemoryStorage in test settings",
        ),
        Example.repo(
            with_files({
                SETTINGS_PATH: None,
                "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.settings.local')\n",
                "api/acme/django/settings/__init__.py": "",
                "api/acme/django/settings/base.py": COOKIECUTTER_BASE,
                "api/acme/django/settings/local.py": "from .base import *  # noqa: F403\n",
                "api/acme/django/settings/production.py": COOKIECUTTER_PRODUCTION,
                "api/acme/django/wsgi.py": (
                    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.settings.production')\n"
                ),
            }),
            note="local in base.py, S3 in production.py",
        ),
        Example.repo(
            settings('if DEBUG:\n    STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}'),
            note="a development-only branch",
        ),
    ]

    def check(self, project, default_storage: dict[str, DefaultStorage]):
        seen = set()
        for verdict in default_storage.values():
            a = verdict.assignment
            if verdict.kind != "local" or a is None or id(a.statement.stmt) in seen:
                continue
            seen.add(id(a.statement.stmt))
            file = project.file(a.path)
            backend = verdict.why.split(" = ", 1)[-1].strip("'")
            setting = verdict.why.split(" = ", 1)[0]
            yield self.finding_at_node(
                file, verdict.node if verdict.node is not None else a.statement.stmt,
                f"{setting} is {backend.rsplit('.', 1)[-1]}: user uploads must go to S3-like storage, not the container's disk",
            )
