"""Reporters turn a run's findings into text. Each format is one small module with a
``render(result, context) -> str`` function; they see findings only and never write files."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit", "markdown")


@dataclass
class ReportContext:
    version: str
    color: bool = False
    unsafe_fixes: bool = False
    fix_mode: bool = False
    list_fixes: bool = False  # --show-fixes: list each fix applied
    quiet: bool = False  # --quiet: the findings only
    metadata: dict[str, Any] = field(default_factory=dict)


def render(fmt: str, result: Any, context: ReportContext) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = import_module(f"{__name__}.{fmt}_format")
    return str(module.render(result, context))


def summary(result: Any) -> dict[str, Any]:
    """Counts shared by every format."""
    from modelw_lint.core.finding import FixSafety

    by_sev = {"error": 0, "warning": 0, "info": 0}
    by_family: dict[str, int] = {}
    safe = unsafe = 0
    for f in result.findings:
        by_sev[f.severity.label] += 1
        by_family[f.family] = by_family.get(f.family, 0) + 1
        if f.fix:
            if f.fix.safety is FixSafety.SAFE:
                safe += 1
            else:
                unsafe += 1
    return {
        "total": len(result.findings),
        "by_severity": by_sev,
        "by_family": dict(sorted(by_family.items())),
        "fixable": safe,
        "fixable_unsafe": unsafe,
        "fixed": len(result.fixed),
        "files_checked": result.files_checked,
    }


def statistics(result: Any) -> list[dict[str, Any]]:
    """Counts per rule, most frequent first (``--statistics``)."""
    from modelw_lint.core.finding import FixSafety

    rows: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        row = rows.setdefault(
            f.code, {"code": f.code, "name": f.name, "family": f.family, "severity": f.severity.label, "count": 0, "fixable": 0},
        )
        row["count"] += 1
        if f.fix and f.fix.safety is FixSafety.SAFE:
            row["fixable"] += 1
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


def statistics_json(result: Any) -> str:
    """``--statistics --format json``: the per-rule counts as a JSON list."""
    import json

    return json.dumps(statistics(result), indent=2) + "\n"


def statistics_text(result: Any) -> str:
    rows = statistics(result)
    if not rows:
        return "No findings.\n"
    width = max(len(r["name"]) for r in rows)
    lines = [
        (
            f"{r['count']:>5}  {r['code']}  {r['name']:<{width}}  {r['severity']:<7}"
            + (f"  ({r['fixable']} fixable)" if r["fixable"] else "")
        ).rstrip()
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def closing(result: Any, context: "ReportContext", style: Any = None) -> list[str]:
    """The lines that end a report: what the configuration ignores, what --fix did, the counts
    (the text and the concise formats)."""
    from modelw_lint.report.formats.escape import printable as _printable

    style = style or (lambda text, **_kw: text)
    out: list[str] = []
    s = summary(result)
    if result.ignored_reasons:
        for code, reason in sorted(result.ignored_reasons.items()):
            out.append(_printable(f"Ignored by configuration: {code} ({reason})"))
    if context.fix_mode:
        baselined = getattr(result, "fixed_in_baseline", 0)
        note = f" ({baselined} of them in the baseline: --update-baseline drops their entries)" if baselined else ""
        out.append(f"Fixed {s['fixed']} finding{'s' if s['fixed'] != 1 else ''}{note}.")
    if s["total"] == 0:
        out.append(style("No findings.", fg="green"))
    else:
        sev = s["by_severity"]
        parts = [
            f"{sev['error']} error{'s' if sev['error'] != 1 else ''}",
            f"{sev['warning']} warning{'s' if sev['warning'] != 1 else ''}",
            f"{sev['info']} info",
        ]
        fixable = f"{s['fixable']} fixable with --fix"
        if s["fixable_unsafe"]:
            fixable += f", {s['fixable_unsafe']} more with --unsafe-fixes"
        noun = "finding" if s["total"] == 1 else "findings"
        out.append(f"{s['total']} {noun} ({fixable}): {', '.join(parts)}.")
    return out
