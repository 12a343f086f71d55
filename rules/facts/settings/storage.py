"""What the preset decides about file storage: whether its S3 storages are on, and why, as a
typed reason rules choose their fix from (never from the explanation's text)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .preset import UNKNOWN, PresetBlock


UPLOAD_EXTRAS = {"storages", "wagtail"}
S3_DEFAULT = "storages.backends.s3boto3.S3Boto3Storage"


class StorageReason(Enum):
    """Why production's default file storage is what it is. Rules choose a fix from the
    reason (MW404 adds the ``storages`` extra only for :attr:`NO_STORAGES_EXTRA`), never from
    the sentence that explains it."""

    SETTING = "a storage setting decides"
    PRESET_ARGUMENT = "the preset's enable_storages argument decides"
    PRESET_EXTRA = "the preset's storages (or wagtail) extra turns S3 on"
    NO_STORAGES_EXTRA = "the preset has no storages extra and no enable_storages=True"
    PRESET_UNSEEN = "a preset modelw-lint cannot see decides"
    NO_SETTING = "nothing sets a storage: Django's file system"
    SWITCHED = "S3-like only when a variable is set"
    UNREAD = "settings modelw-lint could not read"


@dataclass(frozen=True)
class PresetStorages:
    """Whether the preset turns its S3 storages on (True, False or :data:`UNKNOWN`), why in
    words, and the typed reason."""

    on: Any
    why: str
    reason: StorageReason


def preset_storages(block: PresetBlock, preset_extras: set[str], python_dependencies: list) -> PresetStorages:
    """Whether the preset turns its S3 storages on: ``enable_storages=`` when given, else
    ModelWDjango's default (on when django-storages is installed: the ``storages`` or
    ``wagtail`` extra, or a direct dependency)."""
    value = block.kwarg("enable_storages")
    if value is True:
        return PresetStorages(True, "enable_storages=True", StorageReason.PRESET_ARGUMENT)
    if value is False:
        return PresetStorages(False, "enable_storages=False", StorageReason.PRESET_ARGUMENT)
    if value is UNKNOWN:
        return PresetStorages(UNKNOWN, "enable_storages is not a literal, or a preset subclass decides", StorageReason.PRESET_UNSEEN)
    if UPLOAD_EXTRAS & preset_extras or any(d.name == "django-storages" for d in python_dependencies):
        return PresetStorages(True, "the storages (or wagtail) extra of modelw-preset-django", StorageReason.PRESET_EXTRA)
    return PresetStorages(
        False, "neither the storages nor the wagtail extra of modelw-preset-django, nor enable_storages=True",
        StorageReason.NO_STORAGES_EXTRA,
    )
