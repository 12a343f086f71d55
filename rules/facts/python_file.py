"""What one Python file says, worked out once per file and shared by every rule that asks (as
ruff's checker is built once per file for all its rules): its imports, relative ones resolved;
its environment reads; its ``EnvManager`` ``env.get`` calls; its upload fields.

A per-file fact is a function whose first parameter is the ``file`` it describes; a rule names
it as a parameter of ``check_file`` (``def check_file(self, file: SourceFile, imports: ImportMap)``) and
receives the value for the file it is checking. Pack code outside a rule asks
``project.file_fact("imports", file)``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelw_lint.lang.pyast import ImportMap, find, module_package

from .environment import EnvReads
from .registry import fact

if TYPE_CHECKING:
    from modelw_lint.lang.pyindex import PythonIndex
    from modelw_lint.project.files import SourceFile

_EMPTY = ast.Module(body=[], type_ignores=[])


@fact
def imports(file: SourceFile, python_index: PythonIndex) -> ImportMap:
    """Local name -> qualified name for every import of the file, anywhere in it; relative
    imports (``from .storage import S3``) resolved when the file's module name is known from
    the package roots, skipped otherwise. The same map the back-end's index holds for the
    module, when it has read it."""
    info = python_index.module(file.path) if file.tree is not None else None
    if info is not None:
        return info.imports
    name = python_index.module_name(file.path)
    return ImportMap(file.tree or _EMPTY, module_package(name, file.path.endswith("__init__.py")))


@fact
def env_reads(file: SourceFile, imports: ImportMap, python_index: PythonIndex) -> EnvReads:
    """The file's environment reads (``EnvReads.read(node)``): Model W's ``env.get``,
    ``os.environ``, django-environ (also an ``env`` imported from another settings module),
    environs and python-decouple."""
    return EnvReads(file.tree or _EMPTY, imports, python_index, file.path)


@fact
def env_get_calls(file: SourceFile, env_reads: EnvReads) -> list[ast.Call]:
    """``<env>.get(...)`` calls, where ``<env>`` is bound by ``with EnvManager(...) as <env>``."""
    names = env_reads.env_managers
    if not names or file.tree is None:
        return []
    return [
        node for node in find(file.tree, ast.Call)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name) and node.func.value.id in names
    ]


UPLOAD_FIELD_NAMES = ("FileField", "ImageField")


@dataclass(frozen=True)
class UploadField:
    """A call of a field class named ``FileField`` or ``ImageField`` (Django's when ``qualified``
    starts with ``django.``), by the name it resolves to through the file's imports."""

    call: ast.Call
    qualified: str


@fact
def upload_field_calls(file: SourceFile, imports: ImportMap) -> list[UploadField]:
    """The file's upload field calls, in the order they are written."""
    if file.tree is None or not file.contains_any(UPLOAD_FIELD_NAMES):
        return []
    out = []
    for node in find(file.tree, ast.Call):
        name = imports.resolve(node.func) or ""
        if name.rsplit(".", 1)[-1] in UPLOAD_FIELD_NAMES:
            out.append(UploadField(node, name))
    return out
