"""``--format concise``: one line per finding, nothing else."""

from __future__ import annotations

from typing import Any

from . import ReportContext
from .escape import printable


def line(f: Any) -> str:
    return printable(f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity.label}] {f.message}")


def render(result: Any, context: ReportContext) -> str:
    return "".join(line(f) + "\n" for f in result.findings)
