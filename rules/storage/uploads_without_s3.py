from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, FixSafety, RepoRule, Severity

from .._examples import PYPROJECT, SETTINGS_PATH, SETTINGS_PY, UV_PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..facts.settings import StorageReason
from ..pyproject_edits import add_extra

if TYPE_CHECKING:
    from ..facts.components import DjangoProject
    from ..facts.dependencies import Dependency
    from ._common import DefaultStorage

MODELS = "api/acme/apps/people/models.py"
MODELS_PY = 'from django.db import models\n\n\nclass Profile(models.Model):\n    avatar = models.ImageField(upload_to="avatars/")\n'
STORAGES_PYPROJECT = PYPROJECT.replace('"procrastinate"]', '"procrastinate", "storages"]')
PRESET = "modelw-preset-django"


class UploadsWithoutS3(RepoRule):
    """
    ## What it does
    Reports a project with uploads (a model `FileField` or `ImageField`, or Wagtail) while
    S3 storage is off: `ModelWDjango(enable_storages=False)`, or neither the `storages` nor
    the `wagtail` extra of `modelw-preset-django` nor `enable_storages=True`. Without the
    preset: no S3-like default storage in the settings.

    ## Why it matters
    With storages off, Django falls back to `FileSystemStorage`: every upload is written to
    the container that received it and lost on the next deploy.

    ## Example
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```
    with `avatar = models.ImageField(...)` in a model.

    ## Use instead
    ```toml
    modelw-preset-django = {extras = ["psycopg", "storages"], version = ">=2026.7.0,<2026.8.0"}
    ```
    and the `AWS_*` / `STORAGES_MODE` variables in each environment.

    ## Fix safety
    Unsafe: when S3 is off only because the `storages` extra is missing (no
    `enable_storages=False`), the extra is added to the `modelw-preset-django` dependency in
    `pyproject.toml` (tomlkit keeps comments and layout). The preset then stores uploads on
    S3-like storage, which needs a bucket and the `AWS_*` variables in every environment, and
    a refreshed lock file. `enable_storages=False` is a choice the project made: no fix.

    ## References
    - model-w-reference §2.2 (Storage), §3d (MW-D02)
    """

    code = "MW404"
    name = "uploads-without-s3"
    family = "storage"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    reads = (*DEPENDENCY_FILES, "**/*.py")

    fires = [
        Example.repo(
            with_files({MODELS: MODELS_PY}), fixed={"api/pyproject.toml": STORAGES_PYPROJECT},
            note="an ImageField, no storages extra",
            line=5, message="upload fields (FileField/ImageField) but S3 storage is off",
        ),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                "api/pyproject.toml": STORAGES_PYPROJECT,
                SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_storages=False)"),
            }),
            note="enable_storages=False despite the extra",
        ),
        Example.repo(
            with_files({MODELS: MODELS_PY, "api/pyproject.toml": UV_PYPROJECT}),
            fixed={"api/pyproject.toml": UV_PYPROJECT.replace("procrastinate]", "procrastinate,storages]")},
            note="uv: the extra joins the requirement string, in its own style",
        ),
        Example.repo(
            with_files({MODELS: MODELS_PY, SETTINGS_PATH: 'INSTALLED_APPS = ["acme.apps.people"]\n'}),
            note="no preset, no S3 backend",
        ),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                SETTINGS_PATH: (
                    "from model_w.env_manager import EnvManager\n\nfrom .preset import AcmePreset\n\n"
                    "model_w_django = AcmePreset(enable_celery=False)\n\nwith EnvManager(model_w_django) as env:\n"
                    "    LANGUAGES = [('en', 'English')]\n"
                ),
                "api/acme/django/preset.py": (
                    "from model_w.preset.django import ModelWDjango\n\n\nclass AcmePreset(ModelWDjango):\n"
                    "    def pre_acme(self, env):\n        yield 'ACME', 1\n"
                ),
            }),
            note="a preset subclass in a variable, no storages extra",
        ),
    ]
    silent = [
        Example.repo(with_files({MODELS: MODELS_PY, "api/pyproject.toml": STORAGES_PYPROJECT}), note="the storages extra"),
        Example.repo(
            with_files({MODELS: MODELS_PY, SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_storages=True)")}),
            note="enable_storages=True",
        ),
        Example.repo(with_files({}), note="no uploads"),
        Example.repo(
            with_files({"api/acme/apps/people/migrations/0002_avatar.py": 'from django.db import models\n'
                'F = models.ImageField(upload_to="a/")\n'}),
            note="a migration",
        ),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                SETTINGS_PATH: SETTINGS_PY.replace("DEBUG = False\n", "import os\n\nLOCAL = os.environ.get('ENVIRONMENT') == 'local'\n")
                .replace("ModelWDjango()", "ModelWDjango(enable_storages=not LOCAL)"),
            }),
            note="enable_storages computed from the environment: unknown, not a finding",
        ),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                SETTINGS_PATH: SETTINGS_PY.replace(
                    '    LANGUAGES',
                    '    STORAGES["default"] = {"BACKEND": "acme.django.storage.MediaStorage"}\n    LANGUAGES',
                ),
                "api/acme/django/storage.py": "from storages.backends.s3boto3 import S3Boto3Storage\n\n\n"
                    "class MediaStorage(S3Boto3Storage):\n    location = 'media'\n",
            }),
            note="a custom S3 storage class set in the preset block",
        ),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                SETTINGS_PATH: (
                    "from model_w.env_manager import EnvManager\n\nfrom .preset import AcmePreset\n\n"
                    "with EnvManager(AcmePreset()) as env:\n    LANGUAGES = [('en', 'English')]\n"
                ),
                "api/acme/django/preset.py": (
                    "from model_w.preset.django import ModelWDjango\n\n\nclass AcmePreset(ModelWDjango):\n"
                    "    def __init__(self, **kwargs):\n        super().__init__(enable_storages=True, **kwargs)\n"
                ),
            }),
            note="a preset subclass with its own arguments: unknown",
        ),
    ]

    def check(
        self, project, django_projects: list[DjangoProject], default_storage: dict[str, DefaultStorage], preset_extras: set[str],
        python_dependencies: list[Dependency],
    ):
        if not django_projects:
            return  # no Django back-end (MW106 says so): nothing stores uploads
        local = [v for v in default_storage.values() if v.kind == "local"]
        if not local:
            return  # S3-like, or a storage modelw-lint cannot see: never a finding on a guess
        why, reason = local[0].why, local[0].reason
        upload = project.fact("upload_fields")  # reads the back-end's code: only when storage is local
        if upload is not None:
            path, line = upload
            what = "upload fields (FileField/ImageField)"
        elif "wagtail" in preset_extras or any(d.name == "wagtail" for d in python_dependencies):
            dep = next(d for d in python_dependencies if d.name in ("wagtail", "modelw-preset-django"))
            path, line, what = dep.path, dep.line, "Wagtail (images and documents)"
        else:
            return
        fix = None
        preset = next((d for d in python_dependencies if d.name == PRESET), None)
        if reason is StorageReason.NO_STORAGES_EXTRA and preset is not None:
            dep = preset
            file = project.file(dep.path)
            edit = add_extra(file, dep, "storages") if file is not None else None
            if edit is not None:
                fix = self.make_fix("add the storages extra to modelw-preset-django", [edit])
        yield self.finding(path, f"{what} but S3 storage is off ({why}): uploads would be written to the container's disk", line, fix=fix)
