"""``--format text`` (default): location, code, message, a short code frame, a fix hint, a summary."""

from __future__ import annotations

from typing import Any

import click

from modelw_lint.core.finding import FixSafety
from modelw_lint.report.formats import ReportContext, closing
from modelw_lint.report.formats.concise_format import line as concise_line
from modelw_lint.report.formats.escape import printable

SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}
BOM = "\ufeff"  # a UTF-8 byte order mark: not shown in a code frame


def _frame(result: Any, f: Any) -> list[str]:
    file = result.project.file(f.path)
    if file is None or file.text is None or not file.text:
        return []
    lines = file.lines()
    if not 0 < f.line <= len(lines):
        return []
    last = min(f.end_line, f.line + 2, len(lines))
    width = len(str(last))
    out = []
    for n in range(f.line, last + 1):
        shown = lines[n - 1].rstrip()
        out.append(f"  {n:>{width}} | {printable(shown[1:] if n == 1 and shown.startswith(BOM) else shown)}")
    if f.end_line == f.line and f.end_column > f.column:
        out.append(f"  {'':>{width}} | {' ' * (f.column - 1)}{'^' * (f.end_column - f.column)}")
    return out


def render(result: Any, context: ReportContext) -> str:
    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if context.color else text

    out: list[str] = [] if context.quiet else [style(printable(item.text), dim=True) for item in result.metadata.values()]
    if out:
        out.append("")
    for f in result.findings:
        loc = style(printable(f"{f.path}:{f.line}:{f.column}:"), bold=True)
        sev = style(f"[{f.severity.label}]", fg=SEVERITY_COLORS[f.severity.label])
        out.append(f"{loc} {style(f.code, bold=True)} {sev} {printable(f.message)}")
        out.extend(_frame(result, f))
        if f.fix:
            if f.fix.safety is FixSafety.SAFE:
                out.append(style(f"  = fix (safe, --fix): {printable(f.fix.description)}", fg="green"))
            else:
                out.append(style(f"  = fix (unsafe, --fix --unsafe-fixes): {printable(f.fix.description)}", fg="cyan"))
        out.append("")
    if context.quiet:
        return "\n".join(out) + "\n" if out else ""
    if context.fix_mode and context.list_fixes:
        out.extend(_fixed(result))
    out.extend(closing(result, context, style))
    return "\n".join(out) + "\n"




def _fixed(result: Any) -> list[str]:
    """``--fix --show-fixes``: each fix applied, by file (as ruff lists them)."""
    if not result.fixed:
        return []
    by_path: dict[str, list[Any]] = {}
    for f in result.fixed:
        by_path.setdefault(f.path, []).append(f)
    out = [f"Applied {len(result.fixed)} fix{'es' if len(result.fixed) != 1 else ''}:"]
    for path in sorted(by_path):
        out.append(printable(f"- {path}:"))
        for f in sorted(by_path[path], key=lambda f: f.sort_key):
            out.append(printable(f"    {f.line}:{f.column} {f.code} {f.fix.description}"))
    out.append("")
    return out


__all__ = ["render", "concise_line"]
