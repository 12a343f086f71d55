"""``--format github``: GitHub Actions workflow commands (annotations).

GitHub shows at most 10 annotations of each type per step and drops the rest silently, so
errors in the files with the most errors come first, and the findings left out are listed
as plain log lines with a count. With ``GITHUB_STEP_SUMMARY`` set, a Markdown summary (counts
and the table) is appended to that file, within the 1 MiB GitHub allows a step's summary
(what the file already holds counts): rows that would not fit are left out, with a count.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from typing import Any

from modelw_lint.report.formats import ReportContext
from modelw_lint.report.formats.concise_format import line as concise_line
from modelw_lint.report.formats.escape import printable
from modelw_lint.report.formats.markdown_format import document

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
LIMIT = 10
SUMMARY_LIMIT = 1024 * 1024  # bytes of a step's job summary


def _data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def ordered(findings: list[Any]) -> list[Any]:
    """Most severe first; within a severity, files with the most such findings first."""
    per_file = Counter((f.severity, f.path) for f in findings)
    return sorted(findings, key=lambda f: (-f.severity, -per_file[(f.severity, f.path)], f.path, f.line, f.column, f.code))


def annotation(f: Any) -> str:
    props = (
        f"file={_prop(f.path)},line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column},"
        f"title={_prop(f'{f.code} {f.name}')}"
    )
    return f"::{COMMANDS[f.severity.label]} {props}::{_data(f.message)}"


def render(result: Any, context: ReportContext) -> str:
    out: list[str] = []
    left_out: list[Any] = []
    shown: Counter[str] = Counter()
    for f in ordered(result.findings):
        kind = COMMANDS[f.severity.label]
        if shown[kind] < LIMIT:
            shown[kind] += 1
            out.append(annotation(f))
        else:
            left_out.append(f)
    if left_out:
        counts = Counter(COMMANDS[f.severity.label] for f in left_out)
        parts = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in sorted(counts.items()))
        out.append(f"modelw-lint: {len(left_out)} more findings were not annotated ({parts}; GitHub shows {LIMIT} of each type per step):")
        # Plain log lines hold the repository's names: workflow commands are off around them
        # (a token no file can guess turns them back on).
        token = secrets.token_hex(16)
        out.append(f"::stop-commands::{token}")
        out.extend("  " + concise_line(f) for f in left_out)
        out.append(f"::{token}::")
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:
            used = os.path.getsize(summary_path)
        except OSError:
            used = 0
        budget = SUMMARY_LIMIT - used - 1
        if budget > 1024:
            text = document(result, budget, lambda s: len(s.encode("utf-8")))
            with open(summary_path, "a", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            out.append("modelw-lint: the job summary is full (GitHub allows 1 MiB per step): no summary written.")
    total = len(result.findings)
    out.append(f"modelw-lint: {total} finding{'s' if total != 1 else ''}.")
    return "\n".join(out) + "\n"
