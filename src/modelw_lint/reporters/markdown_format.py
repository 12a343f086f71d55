"""``--format markdown``: findings grouped by family, for PR comments, tickets and job summaries."""

from __future__ import annotations

from typing import Any

from ..docs import FAMILY_ORDER
from ..docs import anchor as doc_anchor
from ..docs import docs_url
from . import ReportContext, summary

ICONS = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _family_key(name: str) -> tuple:
    return (FAMILY_ORDER.index(name) if name in FAMILY_ORDER else len(FAMILY_ORDER), name)


def counts_table(result: Any) -> list[str]:
    families: dict[str, dict[str, int]] = {}
    for f in result.findings:
        families.setdefault(f.family, {"error": 0, "warning": 0, "info": 0})[f.severity.label] += 1
    out = ["| family | errors | warnings | info |", "| --- | ---: | ---: | ---: |"]
    for fam in sorted(families, key=_family_key):
        c = families[fam]
        out.append(f"| {fam} | {c['error']} | {c['warning']} | {c['info']} |")
    s = summary(result)["by_severity"]
    out.append(f"| **total** | **{s['error']}** | **{s['warning']}** | **{s['info']}** |")
    return out


def findings_table(findings: list) -> list[str]:
    out = ["| severity | location | rule | message |", "| --- | --- | --- | --- |"]
    for f in findings:
        rule = f"[{f.code}]({docs_url()}#{doc_anchor(f)}) {f.name}"
        out.append(f"| {ICONS[f.severity.label]} | `{cell(f.path)}:{f.line}` | {rule} | {cell(f.message)} |")
    return out


def render(result: Any, context: ReportContext) -> str:
    s = summary(result)
    out = ["## modelw-lint", ""]
    for item in result.metadata.values():
        out += [f"_{item.text}_", ""]
    if not result.findings:
        out += ["No findings. ✅", ""]
        return "\n".join(out)
    out += [f"**{s['total']} findings** ({s['fixable']} fixable with `--fix`, {s['fixable_unsafe']} more with `--unsafe-fixes`).", ""]
    out += counts_table(result) + [""]
    by_family: dict[str, list] = {}
    for f in result.findings:
        by_family.setdefault(f.family, []).append(f)
    for fam in sorted(by_family, key=_family_key):
        items = by_family[fam]
        out += [f"### {fam} ({len(items)})", ""] + findings_table(items) + [""]
    if result.ignored_reasons:
        out += ["Ignored by configuration:", ""] + [f"- {c}: {cell(r)}" for c, r in sorted(result.ignored_reasons.items())] + [""]
    return "\n".join(out)
