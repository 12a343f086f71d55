from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import SETTINGS_PATH, settings, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..facts.environment import unless_text

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ._common import DefaultStorage

STORAGE_MODULE = "api/acme/django/storage_backends.py"
CUSTOM_S3 = """\
from storages.backends.s3 import S3Storage


class AcmeS3Storage(S3Storage):
    file_overwrite = False


class PublicMediaStorage(AcmeS3Storage):
    default_acl = "public-read"
"""
ENV_DEFAULT = """\
import environ

env = environ.Env()
STORAGES = {
    "default": {"BACKEND": env.str("DJANGO_STORAGES_DEFAULT_BACKEND", "django.core.files.storage.FileSystemStorage")},
}
"""
S3_WHEN_SET = """\
from decouple import config

USE_S3 = config("USE_S3", default=False, cast=bool)
MEDIA_URL = "/media/"
if USE_S3:
    DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
"""
S3_WHEN_BUCKET = """\
import os

MEDIA_URL = "/media/"

if "AWS_STORAGE_BUCKET_NAME" in os.environ:
    STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
else:
    MEDIA_ROOT = "/app/media"
    STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
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
    (from a library). Production is read out of the box, with no variable set: a backend read
    from the environment with a literal default (`env.str("X", "…FileSystemStorage")`) is
    that default, and a storage switched to S3 only when a variable is set (`if USE_S3:`,
    `if "AWS_STORAGE_BUCKET_NAME" in os.environ:`) leaves the file system as the default;
    the finding names the variables that would change it.

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
            settings(ENV_DEFAULT, preset=False),
            note="read from the environment with a file-system default",
            line=5, message="FileSystemStorage unless DJANGO_STORAGES_DEFAULT_BACKEND is set",
        ),
        Example.repo(
            settings(S3_WHEN_SET, preset=False),
            note="S3 only when a variable is set",
            line=6, message="only if USE_S3 is set",
        ),
        Example.repo(
            settings(S3_WHEN_BUCKET, preset=False),
            note="S3 only when the bucket's variable is in the environment, the file system otherwise",
            line=10, message="FileSystemStorage unless AWS_STORAGE_BUCKET_NAME is set",
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
        Example.repo(
            settings(ENV_DEFAULT.replace("django.core.files.storage.FileSystemStorage", "storages.backends.s3.S3Storage"), preset=False),
            note="read from the environment with an S3 default",
        ),
        Example.repo(
            settings(S3_WHEN_SET.replace("default=False", "default=True"), preset=False),
            note="S3 unless a variable turns it off",
        ),
        Example.repo(
            settings('import environ\n\nenv = environ.Env()\nSTORAGES = {"default": {"BACKEND": env("STORAGE_BACKEND")}}', preset=False),
            note="read from the environment without a default: unknown",
        ),
    ]

    def check(self, project: Project, default_storage: dict[str, DefaultStorage]):
        seen = set()
        for verdict in default_storage.values():
            if verdict.kind != "local":
                continue
            a = verdict.assignment
            if a is not None and id(a.statement.stmt) not in seen:
                seen.add(id(a.statement.stmt))
                yield self.finding_at_node(
                    project.file(a.path), verdict.node if verdict.node is not None else a.statement.stmt,
                    f"{verdict.setting} is {verdict.backend.rsplit('.', 1)[-1]}{unless_text(verdict.unless)}: "
                    "user uploads must go to S3-like storage, not the container's disk",
                )
            elif a is None and verdict.switched is not None and id(verdict.switched.statement.stmt) not in seen:
                switched = verdict.switched
                seen.add(id(switched.statement.stmt))
                yield self.finding_at_node(
                    project.file(switched.path), switched.statement.stmt,
                    f"the default storage is set here only if{unless_text(verdict.unless).removeprefix(' unless')}: out of "
                    "the box uploads go to the container's disk (Django's FileSystemStorage); make S3-like storage the default",
                )
