"""Django settings as the project runs them, one module per concern:

- :mod:`.discovery`: which modules are settings (named by ``DJANGO_SETTINGS_MODULE`` wherever
  a project sets it) and which of them production uses (``settings_modules``,
  ``project_settings``);
- :mod:`.branches`: which statements production runs (``if DEBUG:`` is development only) and
  where each sits relative to the preset block (``statements``), deleting an override;
- :mod:`.preset`: the Model W preset block, through subclasses and variables
  (``preset_blocks``, ``preset_status``), what the preset sets itself;
- :mod:`.storage`: what the preset decides about file storage, with a typed reason;
- :mod:`.production`: what production finally assigns to a setting, through star-import
  chains, as written or out of the box (``production_settings``, ``root_urlconfs``).

Importing the package registers the facts of every module; the names rules use are
re-exported here.
"""

from .branches import Statement, classify_condition, deletion_fix, module_bindings, statements
from .discovery import _DSM, PRESET_CLASSES, SettingsModule, project_settings, settings_modules
from .preset import PRESET, PRESET_SETS, UNKNOWN, PresetBlock, preset_blocks, preset_in_use, preset_status
from .production import Assignment, ProductionSettings, Value, anchor_line, dict_lookup, final_statements, production_settings
from .storage import S3_DEFAULT, UPLOAD_EXTRAS, StorageReason, preset_storages

__all__ = [
    "_DSM", "PRESET", "PRESET_CLASSES", "PRESET_SETS", "S3_DEFAULT", "UNKNOWN", "UPLOAD_EXTRAS", "Assignment", "PresetBlock",
    "ProductionSettings", "SettingsModule", "Statement", "StorageReason", "Value", "anchor_line", "classify_condition",
    "deletion_fix", "dict_lookup", "final_statements", "module_bindings", "preset_blocks", "preset_in_use", "preset_status",
    "preset_storages", "production_settings", "project_settings", "settings_modules", "statements",
]
