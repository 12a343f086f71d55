from __future__ import annotations

from typing import TYPE_CHECKING

import ast

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.pyast import ImportMap, call_args

from .._examples import with_files
from ..facts.python_file import UploadField

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

FSS = "django.core.files.storage.FileSystemStorage"
MODELS = "api/acme/apps/people/models.py"


class FilesystemStorageInCode(FileRule):
    """
    ## What it does
    Reports `FileSystemStorage` used for uploads in project code: as the `storage=` of a
    `FileField`/`ImageField`, or created at module level (`fs = FileSystemStorage(location=…)`).
    A `FileSystemStorage` made inside a function (a management command reading a local
    folder) is left alone, as is test code.

    ## Why it matters
    A field with its own `FileSystemStorage` bypasses the project's S3 storage: its files
    land on the container's disk and disappear with it.

    ## Example
    ```python
    invoices = FileSystemStorage(location="/srv/invoices")

    class Order(models.Model):
        invoice = models.FileField(storage=invoices)
    ```

    ## Use instead
    ```python
    class Order(models.Model):
        invoice = models.FileField(upload_to="invoices/")  # the default (S3) storage
    ```

    ## Fix safety
    No fix: existing files must be moved to the bucket.

    ## References
    - model-w-reference §3d (MW-D03)
    """

    code = "MW402"
    name = "filesystem-storage-in-code"
    family = "storage"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("FileSystemStorage",)
    scope = "project_python"

    fires = [
        Example.repo(
            with_files({MODELS: 'from django.core.files.storage import FileSystemStorage\nfrom django.db import models\n\n\n'
                'class Doc(models.Model):\n    f = models.FileField(storage=FileSystemStorage(location="/srv/docs"))\n'}),
            note="as a field's storage",
            line=6, message="a FileField/ImageField on FileSystemStorage",
        ),
        Example.repo(
            with_files({MODELS: "from django.core.files import storage as st\n\n"
                'invoices = st.FileSystemStorage(location="/srv/invoices")\n'}),
            note="at module level, through an alias",
        ),
    ]
    silent = [
        Example.repo(
            with_files({"api/acme/apps/people/management/commands/import_photos.py": 'from django.core.files.storage import '
                'FileSystemStorage\n\n\ndef handle(path):\n    return FileSystemStorage(location=path).listdir(".")\n'}),
            note="inside a function",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/tests/test_models.py": "from django.core.files.storage import FileSystemStorage\n"
                "fs = FileSystemStorage()\n"}),
            note="test code",
        ),
        Example.repo(
            with_files({MODELS: "class FileSystemStorage:\n    pass\n\nfs = FileSystemStorage()\n"}),
            note="a class of the project with the same name",
        ),
    ]

    def check_file(self, file: SourceFile, imports: ImportMap, upload_field_calls: list[UploadField]):
        tree = file.module
        reported = set()
        for stmt in tree.body:
            value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) else None
            if isinstance(value, ast.Call) and imports.resolve(value.func) == FSS:
                reported.add(id(value))
                yield self.finding_at_node(
                    file,
                    value,
                    "a module-level FileSystemStorage: uploads would stay on the container's disk; use the default (S3) storage",
                )
        for field in upload_field_calls:
            storage = call_args(field.call).get("storage")
            if not isinstance(storage, ast.Call) or imports.resolve(storage.func) != FSS:
                continue
            if id(storage) not in reported:
                yield self.finding_at_node(
                    file,
                    storage,
                    "a FileField/ImageField on FileSystemStorage: uploads would stay on the container's disk; use the default (S3) storage",
                )
