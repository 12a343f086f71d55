"""``--format json``: a stable object documented in the README."""

from __future__ import annotations

import json
from typing import Any

from modelw_lint.report.formats import ReportContext, summary

SCHEMA_VERSION = 1


def render(result: Any, context: ReportContext) -> str:
    data = {
        "version": context.version,
        "schema": SCHEMA_VERSION,
        "root": result.root,
        "findings": [f.to_json() for f in result.findings],
        "summary": summary(result),
        "ignored": [{"code": c, "reason": r} for c, r in sorted(result.ignored_reasons.items())],
        "errors": list(result.errors),
    }
    for key, item in result.metadata.items():
        data[key] = item.data
    data.update(context.metadata)
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
