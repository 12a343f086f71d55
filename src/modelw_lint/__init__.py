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

from .finding import Edit, Finding, Fix, FixSafety, Severity  # noqa: E402
from .rule import Example, FileRule, Pack, RepoRule, Rule  # noqa: E402

__all__ = [
    "__version__", "Edit", "Example", "FileRule", "Finding", "Fix", "FixSafety", "Pack", "RepoRule",
    "Rule", "Severity",
]
