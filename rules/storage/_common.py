"""What the storage rules share: which backends count as S3-like (through the project's own
subclasses), and what default storage production ends up with (a fact the storage family
owns)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from modelw_lint.lang.pyast import string_value
from modelw_lint.lang.pyindex import PythonIndex

from ..facts.dependencies import Dependency
from ..facts.environment import unless_text
from ..facts.registry import fact
from ..facts.settings import PRESET, UNKNOWN, Assignment, PresetBlock, ProductionSettings, StorageReason, dict_lookup, preset_storages

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
    """What production's default file storage is, out of the box (with no variable set)."""

    kind: str  # "s3", "local" or "unknown"
    why: str
    assignment: Assignment | None = None  # the setting that decides it, when one does
    node: ast.expr | None = None  # its backend value
    setting: str = ""  # STORAGES["default"]["BACKEND"] or DEFAULT_FILE_STORAGE
    backend: str = ""  # the dotted class, when it is a literal
    unless: tuple[str, ...] = ()  # variables that would change it
    switched: Assignment | None = None  # a later storage production runs only when a variable is set
    reason: StorageReason = StorageReason.SETTING  # why, for rules choosing a fix


SETTINGS = (("STORAGES", ("default", "BACKEND"), 'STORAGES["default"]["BACKEND"]'), ("DEFAULT_FILE_STORAGE", (), "DEFAULT_FILE_STORAGE"))


def _explicit(view: ProductionSettings, index: PythonIndex) -> DefaultStorage | None:
    """The default storage production's settings set explicitly (the last setting wins),
    read out of the box: an environment read's literal default is what runs unless its
    variable is set, and a storage set only when a variable is set is skipped."""
    candidates = []
    switched = None
    for name, keys, setting in SETTINGS:
        value = view.out_of_the_box(name, keys)
        if value.assignment is not None:
            candidates.append((value, setting))
        elif value.switched is not None and switched is None and _switches_to_s3(value.switched, keys, index):
            switched = value
    if not candidates:
        if switched is None:
            return None
        return DefaultStorage("none", "", None, unless=switched.unless, switched=switched.switched, reason=StorageReason.SWITCHED)
    # STORAGES wins over DEFAULT_FILE_STORAGE when both are set (Django 4.2+).
    value, setting = candidates[0]
    node, assignment = value.node, value.assignment
    unless, later = value.unless, value.switched
    if node is UNKNOWN or node is None or node is PRESET:
        return DefaultStorage("unknown", f"{setting} is not a literal", assignment, setting=setting)
    backend = string_value(node)
    if backend is None:
        return DefaultStorage("unknown", f"{setting} is not a literal", assignment, node, setting=setting)
    kind = classify_backend(backend, index)
    why = f"{setting} = {backend!r}" + value.unless_text()
    return DefaultStorage(kind, why, assignment, node, setting, backend, unless, later)


def _switches_to_s3(a: Assignment, keys: tuple, index: PythonIndex) -> bool:
    """Whether an assignment production skips out of the box sets an S3-like storage."""
    node = dict_lookup(a.value, keys[len(a.keys):]) if a.keys == keys[: len(a.keys)] else None
    backend = string_value(node) if isinstance(node, ast.AST) else None
    return backend is not None and classify_backend(backend, index) == "s3"


def _from_preset(block: PresetBlock, preset_extras: set[str], python_dependencies: list[Dependency]) -> DefaultStorage:
    decided = preset_storages(block, preset_extras, python_dependencies)
    kind = "s3" if decided.on is True else "local" if decided.on is False else "unknown"
    return DefaultStorage(kind, decided.why, reason=decided.reason)


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
        if view.unread:
            out[path] = DefaultStorage("unknown", f"{', '.join(view.unread)} could not be read", reason=StorageReason.UNREAD)
            continue
        explicit = _explicit(view, python_index)
        if explicit is not None and explicit.kind != "none":
            out[path] = explicit
            continue
        block = next((preset_blocks[f] for f in view.files if f in preset_blocks), None)
        if block is not None:
            verdict = _from_preset(block, preset_extras, python_dependencies)
        elif preset_status.get(path) is None:
            verdict = DefaultStorage("unknown", "an EnvManager preset modelw-lint cannot see", reason=StorageReason.PRESET_UNSEEN)
        else:
            verdict = DefaultStorage(
                "local", "no S3-like default storage in the settings (Django's default is the file system)",
                reason=StorageReason.NO_SETTING,
            )
        if explicit is not None:  # a storage set only when a variable is set
            verdict.unless, verdict.switched = explicit.unless, explicit.switched
            if verdict.kind == "local":
                when = unless_text(explicit.unless).removeprefix(" unless ") or "a condition holds"
                verdict.why = f"S3-like storage only if {when}; out of the box, Django's file system"
                verdict.reason = StorageReason.SWITCHED
        out[path] = verdict
    return out
