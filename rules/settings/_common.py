"""What the settings rules share: the deletion fix, how environment reads look (Model W's
``env.get``, ``os.environ``, django-environ, python-decouple), and the signatures the preset
uses for ``env.get``."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modelw_lint.lang.pyast import NOT_LITERAL, call_args, dotted, literal, string_value

from ..facts.registry import fact
from ..facts.environment import ENV_MANAGER, TRUTHY, EnvRead, EnvReads, truthy_default
from ..facts.settings import Statement, deletion_fix, statements

if TYPE_CHECKING:
    from modelw_lint.lang.pyindex import PythonIndex

    from ..facts.dependencies import Dependency
    from ..facts.settings import PresetBlock
    from ..releases import ReleaseInfo

__all__ = ["Statement", "statements", "deletion_fix", "EnvRead", "EnvReads", "PRESET_SIGNATURES", "TRUTHY", "truthy_default"]


CREDENTIAL_URL = re.compile(r"^[a-z][\w+.-]*://[^/@:\s]*:[^/@\s]+@", re.I)


def credential_url(value: Any) -> bool:
    """Whether a value is a URL holding a password (``postgres://user:pass@host/db``)."""
    return isinstance(value, str) and bool(CREDENTIAL_URL.match(value.strip()))


# -- env.get signatures -------------------------------------------------------------------------

MISSING = object()  # EnvManager's no_default
ANY = object()  # depends on the machine or the preset's arguments: not compared


@dataclass(frozen=True)
class Signature:
    default: Any = MISSING
    build_default: Any = MISSING
    is_yaml: Any = None

    def describe(self) -> str:
        parts = []
        if self.default is not MISSING:
            parts.append("default=…" if self.default is ANY else f"default={py_literal(self.default)}")
        if self.build_default is not MISSING:
            parts.append("build_default=…" if self.build_default is ANY else f"build_default={py_literal(self.build_default)}")
        if self.is_yaml is not None:
            parts.append(f"is_yaml={py_literal(self.is_yaml)}")
        return ", ".join(parts) if parts else "no default"

    @property
    def concrete(self) -> bool:
        return ANY not in (self.default, self.build_default, self.is_yaml)


# The preset's own reads (model-w-reference §2.3, modelw-preset-django 2023.3 to 2026.7).
PRESET_SIGNATURES: dict[str, Signature] = {
    "SECRET_KEY": Signature(build_default="xxx"),
    "DEBUG": Signature(default=False, is_yaml=True),
    "DATABASE_URL": Signature(build_default=ANY),  # postgresql:// or postgis:// dummy URL
    "POOL_DB_CONNECTIONS": Signature(default=False, is_yaml=True),
    "DB_CONN_HEALTH_CHECKS": Signature(default=True, is_yaml=True),
    "REDIS_URL": Signature(default="redis://localhost"),
    "ENVIRONMENT": Signature(default=ANY, build_default="_build"),
    "HOME": Signature(default=""),
    "USER": Signature(default=""),
    "SENTRY_DSN": Signature(default=None),
    "TIME_ZONE": Signature(default=ANY),  # ModelWDjango(default_time_zone=...), see preset_reads
    "EMAIL_MODE": Signature(default="console"),
    "MAILJET_API_KEY_PUBLIC": Signature(),
    "MAILJET_API_KEY_PRIVATE": Signature(),
    "MANDRILL_API_KEY": Signature(),
    "SMS_MODE": Signature(default="console"),
    "MAILJET_API_TOKEN": Signature(),
    "STORAGES": Signature(default={}),
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": Signature(default=""),
    "STORAGES_MODE": Signature(default="s3"),
    "AWS_ACCESS_KEY_ID": Signature(build_default="xxx"),
    "AWS_SECRET_ACCESS_KEY": Signature(build_default="xxx"),
    "AWS_STORAGE_BUCKET_NAME": Signature(build_default="xxx"),
    "STORAGE_MAKE_FILES_PUBLIC": Signature(build_default=False, is_yaml=True),
    "AWS_S3_CUSTOM_DOMAIN": Signature(),
    "DO_REGION": Signature(default="ams3"),
    "AWS_S3_ENDPOINT_URL": Signature(default=ANY),
    "IM_SACKED_IF_I_USE_THIS_FOR_NON_PERFORMANCE_TESTING": Signature(default="https:"),
    "BASE_URL": Signature(build_default="https://example.com"),
    "NO_ENV_CHECK": Signature(default=False, is_yaml=True),
}


# Reads the preset added in a version (model-w-reference §5): older presets do not read them.
READ_SINCE = {
    "STORAGES": "2025.4.0", "AWS_S3_ENDPOINT_URL": "2025.4.0",
    "IM_SACKED_IF_I_USE_THIS_FOR_NON_PERFORMANCE_TESTING": "2025.4.0", "DB_CONN_HEALTH_CHECKS": "2025.10.0",
}
# Reads the preset makes only in some branches: the variables, and what the project's
# configuration must say for the branch to run.
STORAGE_READS = {
    "STORAGES_MODE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_STORAGE_BUCKET_NAME", "STORAGE_MAKE_FILES_PUBLIC", "AWS_S3_CUSTOM_DOMAIN", "DO_REGION", "AWS_S3_ENDPOINT_URL",
    "IM_SACKED_IF_I_USE_THIS_FOR_NON_PERFORMANCE_TESTING",
}
DO_MODE_READS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DO_REGION", "AWS_S3_ENDPOINT_URL"}
MODE_READS = {
    "MAILJET_API_KEY_PUBLIC": ("EMAIL_MODE", "mailjet"), "MAILJET_API_KEY_PRIVATE": ("EMAIL_MODE", "mailjet"),
    "MANDRILL_API_KEY": ("EMAIL_MODE", "mandrill"), "MAILJET_API_TOKEN": ("SMS_MODE", "mailjet"),
    "AWS_S3_CUSTOM_DOMAIN": ("STORAGE_MAKE_FILES_PUBLIC", "yes"),
}


# The preset's hooks and the variables each reads itself (modelw-preset-django 2026.10's
# ``ModelWDjango``): a project preset class that overrides a hook without calling the
# preset's own (``super().pre_database(…)``) takes those reads away from the preset.
HOOK_READS = {
    "pre_sentry": ("SENTRY_DSN",),
    "pre_basic_stuff": ("SECRET_KEY",),
    "pre_database": ("DATABASE_URL", "POOL_DB_CONNECTIONS", "DB_CONN_HEALTH_CHECKS"),
    "pre_languages": ("TIME_ZONE",),
    "post_email": ("EMAIL_MODE", "MAILJET_API_KEY_PUBLIC", "MAILJET_API_KEY_PRIVATE", "MANDRILL_API_KEY"),
    "post_sms": ("SMS_MODE", "MAILJET_API_TOKEN"),
    "pre_storages": tuple(sorted(STORAGE_READS | {"STORAGES"})),
    "pre_base_url": ("BASE_URL",),
}


def overridden_hooks(index: Any, preset_class: str) -> set[str]:
    """The preset hooks a project preset class (and its project bases) replaces: defined
    without a ``super().<hook>(…)`` call. Empty for ModelWDjango itself or a class modelw-lint
    cannot see."""
    from ..facts.settings import PRESET_CLASSES

    out: set[str] = set()
    current = preset_class
    for _ in range(20):
        if current in PRESET_CLASSES:
            break
        found = index.definition(current)
        if found is None or not isinstance(found[1], ast.ClassDef):
            break
        for node in found[1].body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in HOOK_READS and not _calls_super(node):
                out.add(node.name)
        bases = [b for b in index.bases(current) or [] if index.is_subclass(b, PRESET_CLASSES)]
        if len(bases) != 1:
            break
        current = bases[0]
    return out


def _calls_super(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a method calls ``super().<its own name>(…)`` (or ``ModelWDjango.<name>(self, …)``)."""
    for node in ast.walk(method):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method.name:
            owner = node.func.value
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                return True
            if isinstance(owner, ast.Name) and owner.id != "self":
                return True
    return False


@dataclass
class PresetReads:
    """The preset's ``env.get`` reads in this project, by the project's own preset version."""

    certain: dict[str, Signature]  # read whatever the environment: a different signature crashes
    possible: set[str]  # read in some branch (another EMAIL_MODE, STORAGES_MODE…) or by any version


@fact
def preset_reads(
    preset_blocks: dict[str, PresetBlock], backend_release: ReleaseInfo, preset_extras: set[str],
    python_dependencies: list[Dependency],
    configured_values: dict[str, set[str]], celery_in_use: bool, python_index: PythonIndex,
) -> PresetReads:
    """Which variables the preset reads, and with which signature, for this project: its
    preset version's reads (they only grow: STORAGES in 2025.4.0, DB_CONN_HEALTH_CHECKS in
    2025.10.0), and the branches it takes (storage variables only with storages on, the
    DigitalOcean ones only with STORAGES_MODE=do, MAILJET_*/MANDRILL_* only for that
    EMAIL_MODE/SMS_MODE, REDIS_URL only with the cache, Celery or Channels)."""
    from packaging.version import Version

    from ..facts.settings import UNKNOWN, preset_storages
    from ..versions import lower_bound

    version = lower_bound(backend_release.spec) if backend_release.path else None
    block = next(iter(preset_blocks.values()), None)
    certain: dict[str, Signature] = {}
    possible = set(PRESET_SIGNATURES)
    if block is None:
        return PresetReads(certain, possible)
    storages = preset_storages(block, preset_extras, python_dependencies).on
    # Hooks a project preset class replaces: the preset no longer reads their variables.
    taken = {name for hook in overridden_hooks(python_index, block.preset_class) for name in HOOK_READS[hook]}
    possible -= taken

    def configured(variable: str, value: str) -> bool:
        values = {v.strip().strip("\"'").lower() for v in configured_values.get(variable, set())}
        return value in values or (value == "yes" and bool(values & TRUTHY))

    for name, sig in PRESET_SIGNATURES.items():
        if name in taken:
            continue
        since = READ_SINCE.get(name)
        if since is not None and version is not None and version < Version(since):
            possible.discard(name)  # this preset version does not read it at all
            continue
        if name in STORAGE_READS and storages is not True:
            continue
        if name in DO_MODE_READS and not configured("STORAGES_MODE", "do"):
            continue
        if name in MODE_READS and not configured(*MODE_READS[name]):
            continue
        if name == "REDIS_URL" and block.kwarg("enable_cache") is False and not celery_in_use:
            continue
        if name == "TIME_ZONE":
            zone = block.kwargs.get("default_time_zone")
            default = "Europe/Madrid" if zone is None else literal(zone)
            sig = Signature(default=ANY if default is NOT_LITERAL or default is UNKNOWN else default)
        certain[name] = sig
    return PresetReads(certain, possible)


def call_signature(call: ast.Call) -> tuple[str | None, Signature | None]:
    """(name, signature) of an ``env.get(...)`` call; signature None when not all literal."""
    args = call_args(call, "name", "default", "build_default", "is_yaml")
    name = string_value(args.get("name"))
    if name is None:
        return None, None
    values = {}
    for key in ("default", "build_default", "is_yaml"):
        if key in args:
            value = literal(args[key])
            if value is NOT_LITERAL:
                return name, None
            values[key] = value
    return name, Signature(values.get("default", MISSING), values.get("build_default", MISSING), values.get("is_yaml", None))


def matches(user: Signature, preset: Signature) -> bool:
    """Whether EnvManager would record the same (default, build_default, is_yaml)."""
    for a, b in ((user.default, preset.default), (user.build_default, preset.build_default), (user.is_yaml, preset.is_yaml)):
        if b is ANY:
            continue
        if (a is MISSING) != (b is MISSING) or (a is not MISSING and a != b):
            return False
    return True


def py_literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


__all__ += ["ENV_MANAGER", "dotted", "truthy_default", "call_signature", "matches"]
