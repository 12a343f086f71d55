from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import ImportMap, assigned_names, source_of

from .._examples import PYPROJECT, SETTINGS_PATH, SETTINGS_PY, settings, with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from ..facts.settings import PresetBlock, ProductionSettings
    from ._common import DefaultStorage

URLS = "api/acme/django/urls.py"
STATIC_URLS = """\
from django.conf import settings
from django.conf.urls.static import static
from django.urls import path

urlpatterns = [path("back/admin/", admin.site.urls)]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
"""


class MediaServedLocally(FileRule):
    """
    ## What it does
    Reports local media handling: `MEDIA_ROOT` set in a settings module, and media served by
    Django itself (`static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)` in a
    URL configuration).

    ## Why it matters
    The preset never sets `MEDIA_ROOT` or `MEDIA_URL`: uploads go to an S3-like bucket and
    are served by a CDN on its own domain. A `MEDIA_ROOT` means files on the container's
    disk, and Django serving them means the application process streams files it should
    never see.

    ## Example
    ```python
    MEDIA_ROOT = BASE_DIR / "media"
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango(enable_storages=True)) as env:
        ...  # no MEDIA_ROOT; uploads on S3, served by the CDN
    ```

    ## Fix safety
    No fix: while production stores uploads on the local disk, `MEDIA_ROOT` is where they go and
    `static()` serves them in development: deleting either changes where files are. The fix is
    S3 storage (MW404 adds the `storages` extra); then this rule no longer reports them.

    ## References
    - model-w-reference §2.2 ("MEDIA_URL/MEDIA_ROOT are never set"), §3d (MW-D03)
    """

    code = "MW403"
    name = "media-served-locally"
    family = "storage"
    severity = Severity.WARNING
    kinds = ("python",)
    needles = ("MEDIA_ROOT", "MEDIA_URL")
    scope = "project_python"

    fires = [
        Example.repo(settings('MEDIA_ROOT = BASE_DIR / "media"'), note="MEDIA_ROOT in settings", line=6, message="MEDIA_ROOT in settings"),
        Example.repo(with_files({URLS: STATIC_URLS}), note="media served by Django"),
        Example.repo(
            settings(
                'import environ\n\nenv = environ.Env()\nMEDIA_ROOT = env.str("MEDIA_ROOT", "/app/media")\nSTORAGES = {"default": '
                '{"BACKEND": env.str("DJANGO_STORAGES_DEFAULT_BACKEND", "django.core.files.storage.FileSystemStorage")}}',
                preset=False,
            ),
            note="MEDIA_ROOT with a disk default, storage on the file system unless a variable is set",
            line=4,
        ),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="no MEDIA_ROOT"),
        Example.repo(
            settings(
                'import environ\n\nenv = environ.Env()\nMEDIA_ROOT = env.str("MEDIA_ROOT", "/app/media")\nSTORAGES = {"default": '
                '{"BACKEND": env.str("DJANGO_STORAGES_DEFAULT_BACKEND", "storages.backends.s3.S3Storage")}}',
                preset=False,
            ),
            note="MEDIA_ROOT while the storage is S3 unless a variable is set",
        ),
        Example.repo(
            with_files({URLS: STATIC_URLS.replace("settings.MEDIA_URL, document_root=settings.MEDIA_ROOT", "settings.STATIC_URL, "
                "document_root=settings.STATIC_ROOT")}),
            note="static files",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/views.py": "from django.conf import settings\n\nROOT = settings.MEDIA_ROOT\n"}),
            note="reading MEDIA_ROOT outside settings",
        ),
        Example.repo(
            with_files({URLS: STATIC_URLS.replace("urlpatterns += static(", "if settings.DEBUG:\n    urlpatterns += static(")}),
            note="media served by the development server only (if settings.DEBUG)",
        ),
        Example.repo(
            with_files({
                URLS: STATIC_URLS,
                "api/pyproject.toml": PYPROJECT.replace('"procrastinate"]', '"procrastinate", "storages"]'),
                SETTINGS_PATH: SETTINGS_PY.replace("    LANGUAGES", '    MEDIA_ROOT = BASE_DIR / "media"\n    LANGUAGES'),
            }),
            note="S3 storage in production: MEDIA_ROOT and static() only matter in development",
        ),
    ]

    def check_file(
        self, file, project_settings: set[str], preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings],
        default_storage: dict[str, DefaultStorage], imports: ImportMap,
    ):
        tree = file.tree
        local_files = {
            f for path, v in production_settings.items()
            if default_storage.get(path) and default_storage[path].kind == "local" for f in v.files
        }
        in_settings = file.path in project_settings
        for st in statements(tree, preset_blocks.get(file.path)):
            if in_settings and st.production and file.path in local_files:
                for name, _value in assigned_names(st.stmt):
                    if name == "MEDIA_ROOT":
                        yield self.finding_at_node(
                            file,
                            st.stmt,
                            "MEDIA_ROOT in settings: uploads belong on S3-like storage, not the container's disk",
                        )
            for call in (n for n in ast.walk(st.stmt) if isinstance(n, ast.Call)):
                if imports.resolve(call.func) != "django.conf.urls.static.static" or "MEDIA_" not in source_of(file, call):
                    continue
                if not st.production or not local_files:
                    continue  # under `if settings.DEBUG:`, or uploads are on S3 in production
                yield self.finding_at_node(
                    file, call,
                    "media served by Django (static(MEDIA_URL, …)): static() serves files only while DEBUG is on, so in "
                    "production these uploads are served by nothing; put them on S3 behind a CDN",
                    severity=Severity.INFO,
                )
