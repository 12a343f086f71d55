"""Finding rule packs: the ``modelw_lint.rules`` entry points, plus local packs from the config."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from types import ModuleType
from typing import Any, Callable, Iterable

from modelw_lint.config import ConfigError
from modelw_lint.engine.engine_rules import ENGINE_RULES
from modelw_lint.engine.entrypoints import entry_points
from modelw_lint.core.rule import EngineRule, Family, FileRule, Pack, RepoRule, Rule

ENGINE_FAMILY = Family("engine", "Engine", "MW0", "files read and parsed, suppressions and baseline in order")

ENTRY_POINT_GROUP = "modelw_lint.rules"


def collect_rules(package: ModuleType, skip: tuple[str, ...] = ()) -> list[type[Rule]]:
    """Every rule class defined in ``package`` and its sub-modules (for a pack's ``__init__``),
    less the sub-modules named in ``skip`` (relative names: tools that hold no rule, such as a
    maintainer's script, are not imported by every run)."""
    modules = [package]
    skipped = tuple(f"{package.__name__}.{name}" for name in skip)
    if hasattr(package, "__path__"):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name in skipped or info.name.startswith(tuple(s + "." for s in skipped)):
                continue
            modules.append(importlib.import_module(info.name))
    found: dict[str, type[Rule]] = {}
    for module in modules:
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, (FileRule, RepoRule))
                and obj not in (FileRule, RepoRule)
                and obj.__module__ == module.__name__
                and getattr(obj, "code", None)
            ):
                found[obj.code] = obj
    return [found[c] for c in sorted(found)]


def _as_pack(obj: object, label: str) -> Pack:
    if isinstance(obj, Pack):
        return obj
    if isinstance(obj, ModuleType):
        pack = getattr(obj, "pack", None)
        if isinstance(pack, Pack):
            return pack
        return Pack(name=label, rules=collect_rules(obj))
    raise ConfigError(f"rule pack {label!r} is neither a Pack nor a module")


def load_packs() -> list[Pack]:
    """The installed packs: every ``modelw_lint.rules`` entry point."""
    packs: list[Pack] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            packs.append(_as_pack(ep.load(), ep.name))
        except ConfigError:
            raise
        except Exception as exc:  # a broken third-party pack must say so, not crash the run
            raise ConfigError(f"cannot load rule pack {ep.name!r} ({ep.value}): {exc!r}") from None
    return packs


LOCAL_PACKS_ENV = "MODELW_LINT_LOCAL_PACKS"


def load_local_packs(dotted_names: Iterable[str], root: str) -> list[Pack]:
    """Packs the repository itself holds (``packs = [...]`` in its configuration), imported from
    the root. This runs the repository's own Python: only call it when the person running
    modelw-lint trusts the repository (``--local-packs`` or ``MODELW_LINT_LOCAL_PACKS=1``)."""
    packs = []
    for dotted in dotted_names:
        added = False
        if root not in sys.path:
            sys.path.insert(0, root)
            added = True
        try:
            packs.append(_as_pack(importlib.import_module(dotted), dotted))
        except ImportError as exc:
            raise ConfigError(f"cannot import local rule pack {dotted!r}: {exc}") from None
        except ConfigError:
            raise
        except Exception as exc:
            raise ConfigError(f"cannot load local rule pack {dotted!r}: {type(exc).__name__}: {exc}") from None
        finally:
            if added:
                sys.path.remove(root)
    return packs


class Registry:
    """All rules and facts of the loaded packs, with the engine's own MW0xx rules."""

    def __init__(self, packs: list[Pack], skipped_local: Iterable[str] = ()):
        self.packs = packs
        # Local packs the configuration names but that were not loaded (not trusted).
        self.skipped_local = list(skipped_local)
        self.rules: dict[str, type[Rule]] = {r.code: r for r in ENGINE_RULES}
        self.facts: dict[str, Callable[..., Any]] = {}
        self.file_kinds: dict[str, str] = {}
        self.report: dict[str, str] = {}
        self.explain: list[tuple[str, str]] = []  # (pack name, fact explaining the project)
        for pack in packs:
            for rule in pack.rules:
                if rule.code in self.rules and self.rules[rule.code] is not rule:
                    raise ConfigError(
                        f"rule code {rule.code} is defined twice ({self.rules[rule.code].__module__} "
                        f"and {rule.__module__})"
                    )
                self.rules[rule.code] = rule
            self.facts.update(pack.facts)
            self.file_kinds.update(pack.file_kinds)
            self.report.update(pack.report)
            if pack.explain:
                self.explain.append((pack.name, pack.explain))

    def families(self) -> list[Family]:
        """Every family: the engine's, then each pack's as it declares them (in its order), then
        any family a rule names that its pack does not declare (titled after its name)."""
        out = [ENGINE_FAMILY]
        for pack in self.packs:
            out += [f for f in pack.families if f.name not in {x.name for x in out}]
        known = {f.name for f in out}
        for rule in self.sorted_rules():
            if rule.family not in known:
                prefix = rule.code.rstrip("0123456789")
                out.append(Family(rule.family, rule.family.capitalize(), prefix))
                known.add(rule.family)
        return out

    def sorted_rules(self) -> list[type[Rule]]:
        return [self.rules[c] for c in sorted(self.rules)]

    def checking_rules(self) -> list[type[Rule]]:
        return [r for r in self.sorted_rules() if not issubclass(r, EngineRule)]

    def lookup(self, code_or_name: str) -> type[Rule] | None:
        key = code_or_name.strip()
        if key.upper() in self.rules:
            return self.rules[key.upper()]
        for rule in self.rules.values():
            if rule.name == key:
                return rule
        return None


def configured(root: str, config_file: str | None, local_packs: bool = False) -> tuple[Any, "Registry", list[str]]:
    """The root's configuration (or the one named with --config), the rule packs (the
    installed ones, and the repository's own only when trusted: --local-packs), and the notes
    a run must say about them."""
    from modelw_lint.config import find_config, load_config
    from modelw_lint.project.safeio import is_inside

    cfg_path = config_file if config_file else find_config(root)
    config = load_config(cfg_path, user_named=bool(config_file))
    notes = list(config.notes)
    packs = load_packs()
    skipped: list[str] = []
    if config.packs:
        if local_packs:
            packs += load_local_packs(config.packs, root)
        else:
            skipped = list(config.packs)
            if cfg_path is None or not is_inside(root, cfg_path):  # no file of the repository to point a finding at
                notes += [f"local rule pack {name!r} ({cfg_path}) not loaded: pass --local-packs to trust its code" for name in skipped]
    return config, Registry(packs, skipped), notes
