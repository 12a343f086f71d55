from __future__ import annotations

import re


from modelw_lint.lazy import cst
from modelw_lint import Example, RepoRule, Severity
from modelw_lint.pysyntax import ImportMap, find, literal

from .._examples import PYPROJECT, SETTINGS_PATH, SETTINGS_PY, with_files
from ._common import default_storage_backends, is_s3_like

MODELS = "api/acme/apps/people/models.py"
MODELS_PY = 'from django.db import models\n\n\nclass Profile(models.Model):\n    avatar = models.ImageField(upload_to="avatars/")\n'
STORAGES_PYPROJECT = PYPROJECT.replace('"procrastinate"]', '"procrastinate", "storages"]')
FIELD = re.compile(r"\b(FileField|ImageField)\b")


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
    No fix: enabling storages needs a bucket and credentials in every environment.

    ## References
    - model-w-reference §2.2 (Storage), §3d (MW-D02)
    """

    code = "MW404"
    name = "uploads-without-s3"
    family = "storage"
    severity = Severity.ERROR
    reads = ("**/*.py", "*/pyproject.toml", "*/requirements*.txt")

    fires = [
        Example.repo(with_files({MODELS: MODELS_PY}), note="an ImageField, no storages extra"),
        Example.repo(
            with_files({
                MODELS: MODELS_PY,
                "api/pyproject.toml": STORAGES_PYPROJECT,
                SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_storages=False)"),
            }),
            note="enable_storages=False despite the extra",
        ),
        Example.repo(with_files({MODELS: MODELS_PY, SETTINGS_PATH: 'INSTALLED_APPS = ["acme.apps.people"]\n'}), note="no preset, no S3 backend"),
    ]
    silent = [
        Example.repo(with_files({MODELS: MODELS_PY, "api/pyproject.toml": STORAGES_PYPROJECT}), note="the storages extra"),
        Example.repo(
            with_files({MODELS: MODELS_PY, SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_storages=True)")}),
            note="enable_storages=True",
        ),
        Example.repo(with_files({}), note="no uploads"),
        Example.repo(with_files({"api/acme/apps/people/migrations/0002_avatar.py": 'from django.db import models\nF = models.ImageField(upload_to="a/")\n'}), note="a migration"),
    ]

    def check(self, project, django_projects, project_python, preset_mentioned, preset_extras, python_dependencies, project_settings):
        if not django_projects:
            return  # no Django back-end (MW106 says so): nothing stores uploads
        # Cheap questions first: S3 on or off needs no parsing of models, and the preset block
        # is parsed only when a settings module passes enable_storages.
        extras_on = bool({"storages", "wagtail"} & preset_extras)
        if preset_mentioned and not any("enable_storages" in text for text in preset_mentioned.values()) and extras_on:
            return
        preset_blocks = project.fact("preset_blocks") if preset_mentioned else {}
        if preset_blocks:
            explicit = [literal(b.kwargs["enable_storages"].value) for b in preset_blocks.values() if "enable_storages" in b.kwargs]
            explicit = [v for v in explicit if isinstance(v, bool)]
            if explicit:
                enabled, why = explicit[-1], f"enable_storages={explicit[-1]}"
            else:
                enabled = extras_on
                why = "neither the storages nor the wagtail extra of modelw-preset-django, nor enable_storages=True"
        else:
            enabled = self._s3_configured(project, project_settings)
            why = "no S3-like default storage in the settings"
        if enabled:
            return
        upload = self._first_upload_field(project, project_python)
        if upload is not None:
            path, line = upload
            what = "upload fields (FileField/ImageField)"
        elif "wagtail" in preset_extras or any(d.name == "wagtail" for d in python_dependencies):
            dep = next(d for d in python_dependencies if d.name in ("wagtail", "modelw-preset-django"))
            path, line, what = dep.path, dep.line, "Wagtail (images and documents)"
        else:
            return
        yield self.finding(path, f"{what} but S3 storage is off ({why}): uploads would be written to the container's disk", line)

    def _first_upload_field(self, project, project_python):
        for path in sorted(project_python):
            file = project.file(path)
            if file is None or not FIELD.search(file.text or "") or file.parsed is None:
                continue
            imports = ImportMap(file.parsed)
            if not any(v.startswith("django.") for v in imports.names.values()):
                continue
            for node in find(file.parsed, cst.Call):
                name = imports.resolve(node.func) or ""
                if name.startswith("django.") and name.rsplit(".", 1)[-1] in ("FileField", "ImageField"):
                    return path, file.range_of(node)[0]
        return None

    def _s3_configured(self, project, project_settings):
        for path in project_settings:
            file = project.file(path)
            if file is None or "storages.backends" not in (file.text or "") or file.parsed is None:
                continue
            if any(is_s3_like(b) for _n, b, _s in default_storage_backends(file.parsed, None)):
                return True
        return False
