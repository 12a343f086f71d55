"""``--format markdown``: findings grouped by family, for PR comments, tickets and job summaries.

GitHub cuts a PR comment at 65,536 characters (and a job summary at 1 MiB): the report keeps
its header and counts and stops adding rows before the limit, saying how many findings are
not shown. Text that GitHub would take for HTML (``<package>``) is escaped outside code spans.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from modelw_lint.report.docs import anchor as doc_anchor
from modelw_lint.report.docs import docs_url, family_order
from modelw_lint.report.formats import ReportContext, summary
from modelw_lint.report.formats.escape import printable

ICONS = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}


COMMENT_LIMIT = 65_536  # characters of a GitHub PR comment


class Escaped(str):
    """Markdown text already escaped (the audit's templates print it as it is)."""


def text(value: str) -> Escaped:
    """Markdown text as it should read: ``<``, ``>`` and ``&`` escaped outside code spans
    (GitHub drops ``<package>`` as an HTML tag), control characters made visible."""
    parts = re.split(r"(`[^`]*`)", printable(value))
    return Escaped("".join(
        p if p.startswith("`") and p.endswith("`") and len(p) > 1
        else p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for p in parts
    ))


def cell(value: str) -> Escaped:
    return Escaped(text(value).replace("|", "\\|").replace("\n", " "))


def data(value: object) -> Escaped:
    """Any value printed into Markdown that is not already :class:`Escaped`: one line, no HTML,
    no backtick to end a code span, no pipe to end a table cell."""
    if isinstance(value, Escaped):
        return value
    cleaned = printable(value).replace("`", "'").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Escaped(cleaned.replace("|", "\\|"))


def counts_table(result: Any) -> list[str]:
    families: dict[str, dict[str, int]] = {}
    for f in result.findings:
        families.setdefault(f.family, {"error": 0, "warning": 0, "info": 0})[f.severity.label] += 1
    out = ["| family | errors | warnings | info |", "| --- | ---: | ---: | ---: |"]
    for fam in family_order(result.findings):
        c = families[fam]
        out.append(f"| {fam} | {c['error']} | {c['warning']} | {c['info']} |")
    s = summary(result)["by_severity"]
    out.append(f"| **total** | **{s['error']}** | **{s['warning']}** | **{s['info']}** |")
    return out


TABLE_HEAD = ["| severity | location | rule | message |", "| --- | --- | --- | --- |"]


def row(f: Any) -> str:
    rule = f"[{f.code}]({docs_url()}#{doc_anchor(f)}) {f.name}"
    path = printable(f.path).replace("`", "'").replace("|", "\\|")
    return f"| {ICONS[f.severity.label]} | `{path}:{f.line}` | {rule} | {cell(f.message)} |"


def findings_table(findings: list[Any]) -> list[str]:
    return TABLE_HEAD + [row(f) for f in findings]


def render(result: Any, context: ReportContext) -> str:
    return document(result, COMMENT_LIMIT, len)


def document(result: Any, limit: int, size: Callable[[str], int] = len) -> str:
    """The report, at most ``limit`` long as ``size`` measures it (characters, or bytes for a
    job summary): whole rows only, and a last line saying how many findings are left out."""
    s = summary(result)
    out = ["## modelw-lint", ""]
    for item in result.metadata.values():
        out += [f"_{text(item.text)}_", ""]
    if not result.findings:
        out += ["No findings. ✅", ""]
        return "\n".join(out)
    out += [f"**{s['total']} findings** ({s['fixable']} fixable with `--fix`, {s['fixable_unsafe']} more with `--unsafe-fixes`).", ""]
    out += counts_table(result) + [""]
    tail: list[str] = []
    if result.ignored_reasons:
        tail = ["Ignored by configuration:", ""] + [f"- {c}: {cell(r)}" for c, r in sorted(result.ignored_reasons.items())] + [""]
    reserve = 400 + sum(size(line) + 1 for line in tail)  # room for the notice and the tail
    used = sum(size(line) + 1 for line in out)
    by_family: dict[str, list[Any]] = {}
    for f in result.findings:
        by_family.setdefault(f.family, []).append(f)
    shown = 0
    full = False
    for fam in family_order(result.findings):
        items = by_family[fam]
        block = [f"### {fam} ({len(items)})", "", *TABLE_HEAD]
        cost = sum(size(line) + 1 for line in block)
        if full or used + cost + reserve > limit:
            full = True
            break
        out += block
        used += cost
        for f in items:
            line = row(f)
            if used + size(line) + 1 + reserve > limit:
                full = True
                break
            out.append(line)
            used += size(line) + 1
            shown += 1
        out.append("")
        used += 1
        if full:
            break
    if shown < len(result.findings):
        left = len(result.findings) - shown
        out += [
            f"_{left} more finding{'s are' if left != 1 else ' is'} not shown: this report stops before the platform's "
            "size limit. The full list is in the SARIF, JSON or text report._",
            "",
        ]
    out += tail
    return "\n".join(out)
