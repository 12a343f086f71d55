"""What the storage rules share: which backends count as S3-like (through the project's own
subclasses), and what default storage production ends up with (a fact the storage family
owns)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from modelw_lint.pyast import string_value
from modelw_lint.pyindex import PythonIndex

from ..facts.dependencies import Dependency
from ..facts.registry import fact
from ..facts.settings import UNKNOWN, Assignment, PresetBlock, ProductionSettings, preset_storages

# django-storages' object storages: S3 and the S3-like services of other clouds (Google Cloud
# Storage, Azure Blob Storage, libcloud): all keep uploads off the container, which is what
# the architecture asks ("S3-like"); model-w-reference §3d.
S3_LIKE = (
    "storages.backends.s3boto3.", "storages.backends.s3.", "storages.backends.s3boto.",
    "storages.backends.gcloud.", "storages.backends.google.", "storages.backends.azure_storage.",
    "storages.backends.apache_libcloud.",
)
LOCAL = ("django.core.files.storage.",)


def is_s3_like(backend: str) -> bool:
    return backend.startswith(S3_LIKE)


def classify_backend(backend: str, index: PythonIndex | None) -> str:
    """"s3", "local" or "unknown" for a storage class by its dotted path, following the
    project's subclasses (``PublicMediaS3Storage(S3Boto3Storage)``) through any depth."""
    if is_s3_like(backend):
        return "s3"
    if backend.startswith(LOCAL):
        return "local"
    if index is None:
        return "unknown"
    if index.is_subclass(backend, lambda name: name.startswith(S3_LIKE)):
        return "s3"
    if index.is_subclass(backend, lambda name: name.startswith(LOCAL)):
        return "local"
    return "unknown"


@dataclass
class DefaultStorage:
    """What production's default file storage is."""

    kind: str  # "s3", "local" or "unknown"
    why: str
    assignment: Assignment | None = None  # the setting that decides it, when one does
    node: ast.expr | None = None  # its backend value


def _explicit(view: ProductionSettings, index: PythonIndex) -> DefaultStorage | None:
    """The default storage production's settings set explicitly (the last setting wins)."""
    candidates = []
    for name, keys in (("STORAGES", ("default", "BACKEND")), ("DEFAULT_FILE_STORAGE", ())):
        node, assignment = view.final(name, keys)
        if assignment is not None:
            candidates.append((node, assignment, name))
    if not candidates:
        return None
    # STORAGES wins over DEFAULT_FILE_STORAGE when both are set (Django 4.2+).
    node, assignment, name = next((c for c in candidates if c[2] == "STORAGES"), candidates[0])
    setting = 'STORAGES["default"]["BACKEND"]' if name == "STORAGES" else name
    if node is UNKNOWN or node is None:
        return DefaultStorage("unknown", f"{setting} is not a literal", assignment)
    backend = string_value(node)
    if backend is None:
        return DefaultStorage("unknown", f"{setting} is not a literal", assignment, node)
    return DefaultStorage(classify_backend(backend, index), f"{setting} = {backend!r}", assignment, node)


def _from_preset(block: PresetBlock, preset_extras: set[str], python_dependencies: list[Dependency]) -> DefaultStorage:
    value, why = preset_storages(block, preset_extras, python_dependencies)
    return DefaultStorage("s3" if value is True else "local" if value is False else "unknown", why)


@fact
def default_storage(
    production_settings: dict[str, ProductionSettings], preset_blocks: dict[str, PresetBlock], preset_status: dict[str, bool | None],
    preset_extras: set[str], python_dependencies: list[Dependency], python_index: PythonIndex,
) -> dict[str, DefaultStorage]:
    """For each settings module production names: its default file storage ("s3", "local"
    or "unknown"), from the settings production finally assigns, else the preset's
    ``enable_storages`` and extras, else Django's default (the file system)."""
    out = {}
    for path, view in production_settings.items():
        explicit = _explicit(view, python_index)
        if explicit is not None:
            out[path] = explicit
            continue
        block = next((preset_blocks[f] for f in view.files if f in preset_blocks), None)
        if block is not None:
            out[path] = _from_preset(block, preset_extras, python_dependencies)
        elif preset_status.get(path) is None:
            out[path] = DefaultStorage("unknown", "an EnvManager preset modelw-lint cannot see")
        else:
            out[path] = DefaultStorage("local", "no S3-like default storage in the settings (Django's default is the file system)")
    return out
