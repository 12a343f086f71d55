"""Configuration: ``[tool.modelw-lint]`` in pyproject.toml, or modelw-lint.toml / .modelw-lint.toml.

Every problem here is a :class:`ConfigError` (exit code 2) that names the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from modelw_lint.project.files import DEFAULT_MAX_FILE_SIZE
from modelw_lint.core.finding import Severity
from modelw_lint.project.inventory import CONFIG_FILES
from modelw_lint.project.safeio import UnsafePath, is_inside, read_regular


class ConfigError(Exception):
    """Bad configuration or usage: the CLI prints it and exits with code 2."""


@dataclass(frozen=True)
class Key:
    """One key of the configuration: its type (what :func:`load_config` checks and the JSON
    schema says), what it does, an example. The schema is made from these, so the two cannot
    drift apart."""

    kind: str  # codes | globs | strings | bool | string | severity | format | size | ignores | reasons
    description: str
    example: Any = None


OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit", "markdown")  # reporters.FORMATS
KEYS: dict[str, Key] = {
    "select": Key("codes", "Rules to enable: codes (MW201), prefixes (MW2), families (settings) or ALL. Replaces the default (ALL).",
                  ["ALL"]),
    "extend-select": Key("codes", "Rules to enable on top of `select`.", ["MW2"]),
    "ignore": Key("codes", "Rules to disable: codes, prefixes or families.", ["MW103"]),
    "per-file-ignores": Key("ignores", "Rules to disable in the files a gitignore-style glob matches.", {"api/**/tests/**": ["MW201"]}),
    "exclude": Key("globs", "Files and folders never checked (gitignore-style globs); replaces the default (none).", ["legacy/"]),
    "extend-exclude": Key("globs", "Files and folders never checked, on top of `exclude`.", ["vendor/"]),
    "fail-on": Key("severity", "The lowest severity that makes `check` exit 1 (default: warning).", "warning"),
    "ignore-reasons": Key("reasons", "Why a rule is ignored, by code: the audit and --show-settings say it.",
                          {"MW306": "Celery stays until 2026.10"}),
    "packs": Key("strings", "Rule packs of the repository itself (dotted module names); loaded only with --local-packs.",
                 ["tools.lint"]),
    "max-file-size": Key("size", "Files larger than this (bytes) are not read (MW001 when a rule needs one); a repository's "
                         "configuration may not raise it above 64 MiB.", 2097152),
    "release": Key("string", "The Model W release the project is on (YYYY.MM), when it should not be detected.", "2026.10"),
    "baseline": Key("string", "A baseline file (relative to the configuration's folder): its findings are not reported.",
                    ".modelw-lint-baseline.json"),
    "root": Key("bool", "This folder is a project of its own: a check from a parent folder does not look into it.", True),
    "output-format": Key("format", "check's output format when the command line and MODELW_LINT_OUTPUT_FORMAT do not say.",
                         "concise"),
}
KNOWN_KEYS = set(KEYS)


def config_schema() -> dict[str, Any]:
    """The JSON schema of ``[tool.modelw-lint]`` and ``.modelw-lint.toml``, made from
    :data:`KEYS` (what the reader checks)."""
    codes = {"type": "array", "items": {"type": "string", "pattern": "^(ALL|[A-Za-z]+[0-9]*|[a-z][a-z-]*)$"}}
    kinds: dict[str, dict[str, Any]] = {
        "codes": codes,
        "globs": {"type": "array", "items": {"type": "string"}},
        "strings": {"type": "array", "items": {"type": "string"}},
        "bool": {"type": "boolean"},
        "string": {"type": "string"},
        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
        "format": {"type": "string", "enum": list(OUTPUT_FORMATS)},
        "size": {"type": "integer", "minimum": 1},
        "ignores": {"type": "object", "additionalProperties": codes},
        "reasons": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
    }
    properties = {}
    for name, key in KEYS.items():
        prop = {**kinds[key.kind], "description": key.description}
        if key.example is not None:
            prop["examples"] = [key.example]
        if name == "release":
            prop["pattern"] = r"^\d{4}\.\d{2}$"
        properties[name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/modelw/modelw-lint/raw/main/docs/modelw-lint.schema.json",
        "title": "modelw-lint configuration",
        "description": "[tool.modelw-lint] in pyproject.toml, or modelw-lint.toml / .modelw-lint.toml",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _checked(where: str, name: str, value: Any) -> None:
    """Raise :class:`ConfigError` when ``value`` is not of the type :data:`KEYS` says."""
    kind = KEYS[name].kind
    ok = {
        "codes": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "globs": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "bool": lambda v: isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "severity": lambda v: isinstance(v, str),
        "format": lambda v: isinstance(v, str),
        "size": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
        "ignores": lambda v: isinstance(v, dict) and all(isinstance(c, list) and all(isinstance(x, str) for x in c) for c in v.values()),
        "reasons": lambda v: isinstance(v, dict),
    }[kind](value)
    if not ok:
        what = {
            "codes": "a list of strings", "globs": "a list of strings", "strings": "a list of strings", "bool": "true or false",
            "string": "a string", "severity": "error, warning or info", "format": "one of " + ", ".join(OUTPUT_FORMATS),
            "size": "a positive whole number of bytes", "ignores": "a table mapping globs to lists of codes",
            "reasons": "a table of code = \"reason\"",
        }[kind]
        raise ConfigError(f"{where}: {name!r} must be {what}, not {value!r}")


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
    output_format: str | None = None  # check's output format when neither the command line nor the environment says
    baseline: str | None = None  # path of a baseline file, relative to the root
    root: bool = False  # its folder is a project of its own (never part of a larger one)
    keys: frozenset[str] = frozenset()  # the keys the file sets
    folder: str = ""  # the folder it governs, relative to the root ("": the whole repository)
    # Where each repository-wide key was set, as (file, its text): a folder's config may set
    # one the root's does not (see adopt_repository_keys).
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a run must say about this configuration

    @property
    def where(self) -> str:
        return self.source or "the command line"

    def exclude_spec(self) -> Any:
        return gitignore_spec([*self.exclude, *self.extend_exclude])


class _Nothing:
    """What an empty list of patterns matches: nothing (and pathspec is not imported)."""

    def match_file(self, path: str) -> bool:
        return False


def gitignore_spec(patterns: list[str]) -> Any:
    """A gitignore spec of the configuration's patterns, matched in linear time (pathspec is
    imported only when there are some); an invalid pattern is a :class:`ConfigError`."""
    if not patterns:
        return _Nothing()
    from modelw_lint.lang.globs import gitignore_spec as compile_spec

    try:
        return compile_spec(patterns, strict=True)
    except ValueError as exc:
        raise ConfigError(f"exclude/per-file-ignores: {exc}") from None


CONFIG_SIZE_LIMIT = 4 * 1024 * 1024  # bytes: a configuration is a few hundred
# A repository's own configuration may raise max-file-size up to this and no further (a file
# it commits could otherwise make a run read gigabytes); a configuration the user names with
# --config may go up to the hard limit.
MAX_FILE_SIZE_CEILING = 64 * 1024 * 1024
MAX_FILE_SIZE_HARD_LIMIT = 512 * 1024 * 1024


def find_config(folder: str, root: str | None = None) -> str | None:
    """The configuration file of ``folder`` (the root unless said): ``modelw-lint.toml``,
    ``.modelw-lint.toml``, else a ``pyproject.toml`` with a ``[tool.modelw-lint]`` table. A
    dedicated config file that is not a regular file inside the root is an error; a
    pyproject.toml that cannot be read is not ours to judge (a rule that needs it reports it)."""
    root = root or folder
    for name in CONFIG_FILES:
        path = os.path.join(folder, name)
        if os.path.lexists(path):
            if not is_inside(root, path):
                raise ConfigError(f"{path} points outside the repository: not read")
            return path
    path = os.path.join(folder, "pyproject.toml")
    if not os.path.lexists(path) or not is_inside(root, path):
        return None
    try:
        raw = read_regular(path, CONFIG_SIZE_LIMIT, "pyproject.toml")
        if b"modelw-lint" not in raw:
            return None
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
    text = raw.decode("utf-8")
    cfg = Config(source=where, path=path, text=text, keys=frozenset(data))
    cfg.origins = {key: (path, text) for key in data if key in REPOSITORY_KEYS}

    for key, value in data.items():
        _checked(where, key, value)
    for key in ("select", "extend-select", "ignore", "exclude", "extend-exclude", "packs"):
        if key in data:
            setattr(cfg, key.replace("-", "_"), list(data[key]))
    if "per-file-ignores" in data:
        cfg.per_file_ignores = {k: list(v) for k, v in data["per-file-ignores"].items()}
    if "ignore-reasons" in data:
        table = data["ignore-reasons"]
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
        if value > MAX_FILE_SIZE_CEILING and not user_named:
            cfg.notes.append(
                f"{where}: max-file-size = {value:,} is above the ceiling a repository's configuration may set: "
                f"files over {MAX_FILE_SIZE_CEILING:,} bytes are still not read"
            )
            value = MAX_FILE_SIZE_CEILING
        cfg.max_file_size = min(value, MAX_FILE_SIZE_HARD_LIMIT)
    if "baseline" in data:
        cfg.baseline = data["baseline"]
    if "root" in data:
        cfg.root = data["root"]
    if "release" in data:
        cfg.release = data["release"]
    if "output-format" in data:
        if data["output-format"] not in OUTPUT_FORMATS:
            raise ConfigError(f"{where}: 'output-format' must be one of {', '.join(OUTPUT_FORMATS)}, not {data['output-format']!r}")
        cfg.output_format = data["output-format"]
    return cfg


# -- folder configurations ---------------------------------------------------------------------

# Keys that concern the whole repository: set in a folder's configuration, they apply to the
# whole repository when the root's does not set them (two folders disagreeing is an error).
REPOSITORY_KEYS = ("release", "baseline", "fail-on", "max-file-size", "packs")


def folder_configs(root: str, paths: Iterable[str]) -> list[Config]:
    """The configurations of sub-folders (``api/pyproject.toml`` with ``[tool.modelw-lint]``,
    ``api/modelw-lint.toml``…) among the repository's ``paths``, outermost first. Each governs
    its folder: see :class:`RuleSelection` and :func:`folder_pattern`. One that says
    ``root = true`` marks a project of its own (its files are not this one's); what lies under
    it is not looked at."""
    folders = sorted(
        {p.rpartition("/")[0] for p in paths if "/" in p and p.rpartition("/")[2] in (*CONFIG_FILES, "pyproject.toml")},
        key=lambda f: (f.count("/"), f),
    )
    out = []
    nested_roots: list[str] = []
    for folder in folders:
        if any(folder.startswith(r + "/") for r in nested_roots):
            continue
        path = find_config(os.path.join(root, *folder.split("/")), root)
        if path is None:
            continue
        cfg = load_config(path)
        cfg.folder = folder
        if cfg.root:
            nested_roots.append(folder)
        out.append(cfg)
    return out


def adopt_repository_keys(config: Config, folders: list[Config]) -> None:
    """Give ``config`` (the root's) the repository-wide keys that only a folder's config sets:
    a newcomer's ``release`` in ``api/pyproject.toml`` counts for the whole repository. Local
    packs are named at the root only (they run code: one place to review)."""
    adopted: dict[str, Config] = {}
    for folder in folders:
        if folder.root:
            continue  # another project
        if "packs" in folder.keys:
            raise ConfigError(f"{folder.where}: 'packs' applies to the whole repository: set it in the root's configuration")
        for key in REPOSITORY_KEYS:
            if key not in folder.keys or key in config.keys:
                continue
            attr = key.replace("-", "_")
            value = getattr(folder, attr)
            if key == "baseline":
                value = f"{folder.folder}/{value}"
            first = adopted.get(key)
            if first is not None:
                if getattr(config, attr) != value:
                    raise ConfigError(
                        f"{folder.where} and {first.where} set {key} differently: set it once, in the root's configuration"
                    )
                continue
            adopted[key] = folder
            setattr(config, attr, value)
            config.origins[key] = folder.origins[key]


def folder_pattern(folder: str, pattern: str) -> str:
    """A gitignore-style ``pattern`` of a folder's configuration, relative to the root: anchored
    (it holds a ``/``) under the folder, else matching at any depth under it."""
    negate = pattern.startswith("!")
    body = pattern[1:] if negate else pattern
    if "/" in body.rstrip("/"):
        body = f"{folder}/{body.lstrip('/')}"
    else:
        body = f"{folder}/**/{body}"
    return ("!" if negate else "") + body


# -- rule selection ----------------------------------------------------------------------------


class RuleSelection:
    """Which rules run, and where. The root's ``select``/``ignore`` (or the command line's)
    apply everywhere; a folder's configuration extends the one above it for the files under
    its folder: its ``select`` replaces the selection, its ``extend-select`` and ``ignore`` add
    to it (the command line's ``--select`` replaces every ``select``; ``--extend-select`` and
    ``--ignore`` apply everywhere). Rules enabled in any folder run; a finding is kept where its
    rule is enabled for its file."""

    def __init__(self, rules: list[Any], config: Config, folders: Sequence[Config] = (),
                 select: list[str] | None = None, extend_select: Sequence[str] = (), ignore: Sequence[str] = ()):
        self.rules = rules
        for cfg in (config, *(f for f in folders if not f.root)):
            where = cfg.where
            validate_selectors(cfg.select, rules, where, "select")
            validate_selectors(cfg.extend_select, rules, where, "extend-select")
            validate_selectors(cfg.ignore, rules, where, "ignore")
            validate_selectors(cfg.ignore_reasons, rules, where, "ignore-reasons")
            for glob, codes in cfg.per_file_ignores.items():
                validate_selectors(codes, rules, where, f"per-file-ignores[{glob!r}]")
        if select is not None:
            validate_selectors(select, rules, "--select", "--select")
        validate_selectors(extend_select, rules, "--extend-select", "--extend-select")
        validate_selectors(ignore, rules, "--ignore", "--ignore")
        root_select = list(select if select is not None else config.select) + config.extend_select + list(extend_select)
        root_ignore = config.ignore + list(config.ignore_reasons) + list(ignore)
        # (folder, select, ignore), innermost first
        scopes: dict[str, tuple[list[str], list[str]]] = {"": (root_select, root_ignore)}
        for cfg in folders:  # outermost first: a folder's parent scope is known
            if cfg.root:
                continue  # another project: its files are not checked (see Linter.inventory)
            parent = scopes[self._scope_of(cfg.folder + "/x", scopes)]
            sel = list(parent[0]) if select is not None or "select" not in cfg.keys else list(cfg.select) + list(extend_select)
            sel += cfg.extend_select
            ign = parent[1] + cfg.ignore + list(cfg.ignore_reasons)
            scopes[cfg.folder] = (sel, ign)
        self.scopes = scopes
        self.enabled_in = {
            folder: {r.code for r in rules if is_selected(r, sel, ign)} for folder, (sel, ign) in scopes.items()
        }
        anywhere = set().union(*self.enabled_in.values())
        self.enabled = [r for r in rules if r.code in anywhere]

    @staticmethod
    def _scope_of(path: str, scopes: Iterable[str]) -> str:
        best = ""
        for folder in scopes:
            if folder and path.startswith(folder + "/") and len(folder) > len(best):
                best = folder
        return best

    def enabled_at(self, code: str, path: str) -> bool:
        """Whether the rule ``code`` is enabled for the file ``path``."""
        return code in self.enabled_in[self._scope_of(path, self.enabled_in)]



def _specificity(selector: str, code: str, family: str) -> int:
    """How precisely ``selector`` names the rule (0: it does not). Codes are read whatever
    their case (``mw201``), as ruff and flake8 read ``noqa`` codes."""
    if selector == "ALL":
        return 1
    if selector == family:
        return 2
    if code.startswith(selector.upper()):
        return 2 + len(selector)
    return 0


def validate_selectors(selectors: Iterable[str], rules: Iterable[Any], where: str, key: str) -> None:
    rules = list(rules)
    families = {r.family for r in rules}
    for sel in selectors:
        if sel == "ALL" or sel in families or any(r.code.startswith(sel.upper()) for r in rules):
            continue
        place = where if where == key else f"{where}: {key}"
        raise ConfigError(
            f"{place}: unknown rule code or family {sel!r} (codes like MW201 or prefixes like MW2, families: "
            f"{', '.join(sorted(families))}, or ALL)"
        )


def is_selected(rule: Any, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Ruff's way: the most specific selector wins; on a tie, ignore wins."""
    best_select = max((_specificity(s, rule.code, rule.family) for s in select), default=0)
    best_ignore = max((_specificity(s, rule.code, rule.family) for s in ignore), default=0)
    return best_select > 0 and best_select > best_ignore


def matches_selector(code: str, family: str, selectors: Iterable[str]) -> bool:
    return any(_specificity(s, code, family) for s in selectors)
