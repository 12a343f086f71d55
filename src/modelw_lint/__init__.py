"""modelw-lint: an architecture-conformance linter. The engine; rule packs import from here."""

__version__ = "0.1.0"

from .finding import Edit, Finding, Fix, FixSafety, Severity  # noqa: E402
from .rule import Example, FileRule, Pack, RepoRule, Rule  # noqa: E402

__all__ = [
    "__version__", "Edit", "Example", "FileRule", "Finding", "Fix", "FixSafety", "Pack", "RepoRule",
    "Rule", "Severity",
]
