"""Configuration: ``[tool.modelw-lint]`` in pyproject.toml, or modelw-lint.toml / .modelw-lint.toml.

Every problem here is a :class:`ConfigError` (exit code 2) that names the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from typing import Iterable

import pathspec

from .files import DEFAULT_MAX_FILE_SIZE
from .finding import Severity
from .inventory import CONFIG_FILES
from .safeio import UnsafePath, is_inside, read_regular


class ConfigError(Exception):
    """Bad configuration or usage: the CLI prints it and exits with code 2."""


KNOWN_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "exclude", "extend-exclude",
    "fail-on", "ignore-reasons", "packs", "max-file-size", "release", "baseline",
}


@dataclass
class Config:
    source: str | None = None  # the file the settings came from (None: defaults)
    path: str | None = None  # that file's path
    text: str = ""  # and its text (to point findings at a key)
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    ignore_reasons: dict[str, str] = field(default_factory=dict)
    packs: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    release: str | None = None
    baseline: str | None = None  # path of a baseline file, relative to the root

    @property
    def where(self) -> str:
        return self.source or "the command line"

    def exclude_spec(self) -> pathspec.PathSpec:
        return pathspec.GitIgnoreSpec.from_lines([*self.exclude, *self.extend_exclude])


CONFIG_SIZE_LIMIT = 4 * 1024 * 1024  # bytes: a configuration is a few hundred


def find_config(root: str) -> str | None:
    """The configuration file at the root: ``modelw-lint.toml``, ``.modelw-lint.toml``, else a
    ``pyproject.toml`` with a ``[tool.modelw-lint]`` table. A dedicated config file that is not
    a regular file inside the root is an error; a pyproject.toml that cannot be read is not
    ours to judge (a rule that needs it reports it)."""
    for name in CONFIG_FILES:
        path = os.path.join(root, name)
        if os.path.lexists(path):
            if not is_inside(root, path):
                raise ConfigError(f"{path} points outside the repository: not read")
            return path
    path = os.path.join(root, "pyproject.toml")
    if not os.path.lexists(path) or not is_inside(root, path):
        return None
    try:
        raw = read_regular(path, CONFIG_SIZE_LIMIT, "pyproject.toml")
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnsafePath, RecursionError):
        return None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if b"[tool.modelw-lint" in raw:
            raise ConfigError(f"cannot read the configuration in {path}: {exc}") from None
        return None  # not our configuration: a rule that needs the file reports the problem
    tool = data.get("tool")
    if isinstance(tool, dict) and "modelw-lint" in tool:
        return path
    return None


def load_config(path: str | None, user_named: bool = False) -> Config:
    """Read and type-check a config file (codes are checked later against the loaded rules).
    ``user_named``: passed with ``--config`` (``/dev/null`` is then fine)."""
    if path is None:
        return Config()
    try:
        raw = read_regular(path, CONFIG_SIZE_LIMIT, "config file", user_named=user_named)
    except UnsafePath as exc:
        raise ConfigError(str(exc)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid UTF-8 (byte offset {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in config file {path}: {exc}") from None
    except RecursionError:
        raise ConfigError(f"config file {path} is nested too deeply") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("modelw-lint", {}) if isinstance(tool, dict) else {}
        where = f"{path} [tool.modelw-lint]"
    else:
        where = path
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (known keys: {', '.join(sorted(KNOWN_KEYS))})"
        )
    cfg = Config(source=where, path=path, text=raw.decode("utf-8"))

    def str_list(key: str) -> list[str]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key!r} must be a list of strings")
        return list(value)

    for key in ("select", "extend-select", "ignore", "exclude", "extend-exclude", "packs"):
        if key in data:
            setattr(cfg, key.replace("-", "_"), str_list(key))
    if "per-file-ignores" in data:
        table = data["per-file-ignores"]
        if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(c, str) for c in v) for v in table.values()
        ):
            raise ConfigError(f"{where}: 'per-file-ignores' must map globs to lists of codes")
        cfg.per_file_ignores = {k: list(v) for k, v in table.items()}
    if "ignore-reasons" in data:
        table = data["ignore-reasons"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: 'ignore-reasons' must be a table of code = \"reason\"")
        for code, reason in table.items():
            if not isinstance(reason, str) or not reason.strip():
                raise ConfigError(f"{where}: ignore-reasons.{code} must say why (a non-empty string)")
        cfg.ignore_reasons = dict(table)
    if "fail-on" in data:
        try:
            cfg.fail_on = Severity.parse(str(data["fail-on"]))
        except ValueError as exc:
            raise ConfigError(f"{where}: fail-on: {exc}") from None
    if "max-file-size" in data:
        value = data["max-file-size"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{where}: 'max-file-size' must be a positive number of bytes")
        cfg.max_file_size = value
    if "baseline" in data:
        if not isinstance(data["baseline"], str):
            raise ConfigError(f"{where}: 'baseline' must be a path")
        cfg.baseline = data["baseline"]
    if "release" in data:
        if not isinstance(data["release"], str):
            raise ConfigError(f"{where}: 'release' must be a string like \"2026.07\"")
        cfg.release = data["release"]
    return cfg


# -- rule selection ----------------------------------------------------------------------------


def _specificity(selector: str, code: str, family: str) -> int:
    """How precisely ``selector`` names the rule (0: it does not)."""
    if selector == "ALL":
        return 1
    if selector == family:
        return 2
    if code.startswith(selector):
        return 2 + len(selector)
    return 0


def validate_selectors(selectors: Iterable[str], rules: Iterable[type], where: str, key: str) -> None:
    rules = list(rules)
    families = {r.family for r in rules}
    for sel in selectors:
        if sel == "ALL" or sel in families or any(r.code.startswith(sel) for r in rules):
            continue
        raise ConfigError(f"{where}: {key}: unknown rule code or family {sel!r}")


def is_selected(rule: type, select: list[str], ignore: list[str]) -> bool:
    """Ruff's way: the most specific selector wins; on a tie, ignore wins."""
    best_select = max((_specificity(s, rule.code, rule.family) for s in select), default=0)
    best_ignore = max((_specificity(s, rule.code, rule.family) for s in ignore), default=0)
    return best_select > 0 and best_select > best_ignore


def matches_selector(code: str, family: str, selectors: Iterable[str]) -> bool:
    return any(_specificity(s, code, family) for s in selectors)
