"""Findings and fixes: the plain data every rule produces and every reporter reads."""

from __future__ import annotations

from typing import Any

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How bad a finding is. Ordered, so ``fail-on`` can compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (use error, warning or info)") from None


class FixSafety(str, enum.Enum):
    """Safe fixes keep behaviour and run with ``--fix``; unsafe ones need ``--unsafe-fixes``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the file at ``path`` with ``replacement``.

    Offsets are character offsets into the file's current text. A file that does not exist
    yet is created by an edit with ``start == end == 0``.
    """

    path: str
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    description: str
    safety: FixSafety
    edits: tuple[Edit, ...]

    def to_json(self) -> dict[str, Any]:
        return {"safety": self.safety.value, "description": self.description}


@dataclass
class Finding:
    code: str
    name: str
    family: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix: Fix | None = None
    # True when the problem concerns the repository (a missing folder) and the location is
    # only the most relevant real file to point at.
    repo_level: bool = False
    # Data a rule attaches for the engine; it is cached with the finding, so it stays JSON.
    # The engine reads two keys: "folds" (codes whose problems this finding's message also
    # states: fix verification lets them appear once it is fixed; MW904 sets it) and "anchor"
    # (a fingerprint anchor to use instead of the finding's text; no rule of the Model W pack
    # sets it today). Nothing else reads it.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "severity": self.severity.label,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "repo_level": self.repo_level,
            "fix": self.fix.to_json() if self.fix else None,
        }
