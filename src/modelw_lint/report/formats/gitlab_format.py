"""``--format gitlab``: GitLab Code Quality, the subset of the Code Climate JSON that GitLab
reads (``description``, ``check_name``, ``fingerprint``, ``severity``, ``location.path``,
``location.lines.begin``). Save it as the job's ``codequality`` report artifact.

Fingerprints survive line shifts (see :mod:`modelw_lint.engine.fingerprint`); GitLab wants them
unique, so identical findings of one file are numbered."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from modelw_lint.engine.fingerprint import fingerprint
from modelw_lint.report.formats import ReportContext

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(result: Any, context: ReportContext) -> str:
    seen: Counter[str] = Counter()
    issues = []
    for f in result.findings:
        base = fingerprint(f, result.project)
        seen[base] += 1
        unique = base if seen[base] == 1 else hashlib.sha256(f"{base}:{seen[base]}".encode()).hexdigest()[:20]
        issues.append({
            "type": "issue",
            "check_name": f.code,
            "description": f"{f.code} {f.name}: {f.message}",
            "categories": ["Style"],
            "severity": SEVERITIES[f.severity.label],
            "fingerprint": unique,
            "location": {"path": f.path, "lines": {"begin": max(f.line, 1), "end": max(f.end_line, f.line, 1)}},
        })
    # ASCII only: a name's bidirectional override or escape sequence stays a \\u escape
    return json.dumps(issues, indent=2) + "\n"
