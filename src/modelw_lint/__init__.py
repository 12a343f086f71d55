"""modelw-lint: an architecture-conformance linter. The engine; rule packs import from here."""

import sys as _sys

# `python -m modelw_lint` puts the current directory first on sys.path, so a `yaml.py` or an
# `inspect.py` lying in the repository being checked would be imported instead of the real
# module. While this package is imported for `-m` (argv[0] is "-m" until the module runs),
# that entry is dropped before anything else is imported.
if _sys.argv[:1] == ["-m"] and _sys.path and not _sys.flags.safe_path:
    import os as _os

    if _sys.path[0] in ("", _os.getcwd()):
        del _sys.path[0]

__version__ = "0.2.0"

from modelw_lint.core.finding import Edit, Finding, Fix, FixSafety, Severity  # noqa: E402
from modelw_lint.core.rule import Example, FileRule, Pack, RepoRule, Rule  # noqa: E402

__all__ = [
    "__version__", "Edit", "Example", "FileRule", "Finding", "Fix", "FixSafety", "Pack", "RepoRule",
    "Rule", "Severity",
]


# -- the import paths rule packs used before the engine was split into packages ----------------
# `from modelw_lint.pyast import dotted` still works: each old path is the module at its new
# place (the same module object, imported on first use), so a pack written for 0.1 loads.
_MOVED = {
    "pyast": "lang.pyast", "pyindex": "lang.pyindex", "dockerfile": "lang.dockerfile", "yamledit": "lang.yamledit",
    "yamltree": "lang.yamltree", "textlines": "lang.textlines", "globs": "lang.globs", "finding": "core.finding",
    "rule": "core.rule", "packs": "engine.packs",
}


class _MovedModules:
    """A finder for the old paths of :data:`_MOVED` (PEP 451: a spec whose loader hands back
    the module at its new place, its own spec kept)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        import importlib.util

        if name.startswith(__name__ + ".") and name[len(__name__) + 1:] in _MOVED:
            return importlib.util.spec_from_loader(name, self)  # type: ignore[arg-type]  # a loader: create/exec_module
        return None

    def __init__(self) -> None:
        self.specs: dict[str, object] = {}

    def create_module(self, spec: object) -> object:
        import importlib

        module = importlib.import_module(f"{__name__}.{_MOVED[spec.name[len(__name__) + 1:]]}")  # type: ignore[attr-defined]
        self.specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: object) -> None:
        module.__spec__ = self.specs[module.__name__]  # type: ignore[attr-defined]  # its own spec, not the alias's


_sys.meta_path.append(_MovedModules())  # type: ignore[arg-type]
