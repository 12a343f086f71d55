"""``--format concise``: one line per finding, then the summary line (as ruff's concise output);
``--quiet`` leaves the findings alone."""

from __future__ import annotations

from typing import Any

from modelw_lint.report.formats import ReportContext, closing
from modelw_lint.report.formats.escape import printable


def line(f: Any) -> str:
    return printable(f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity.label}] {f.message}")


def render(result: Any, context: ReportContext) -> str:
    lines = [line(f) for f in result.findings]
    if not context.quiet:
        lines += closing(result, context)
    return "".join(text + "\n" for text in lines)
