"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

GitHub code scanning keeps 5,000 results of a run: beyond that, the most severe are kept and
a notification in ``runs[0].invocations[0].toolExecutionNotifications`` says how many were left
out."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from modelw_lint.report.docs import anchor as doc_anchor
from modelw_lint.report.docs import docs_url
from modelw_lint.engine.fingerprint import fingerprint
from modelw_lint.report.formats import ReportContext

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 5000


def _rule(r: Any) -> dict[str, Any]:
    docs = r.docs()
    full = " ".join(docs.get("What it does", "").split())
    why = " ".join(docs.get("Why it matters", "").split())
    markdown = "\n\n".join(f"**{k}**\n\n{v}" for k, v in docs.items())
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.short_description()},
        "fullDescription": {"text": full or r.short_description()},
        "help": {"text": f"{full}\n\n{why}".strip(), "markdown": markdown},
        "helpUri": f"{docs_url()}#{doc_anchor(r)}",
        "defaultConfiguration": {"level": LEVELS[r.severity.label]},
        "properties": {"tags": [r.family], "fix": r.fix_safety.value if r.fix_safety else "none"},
    }


def _uri(path: str) -> str:
    """A percent-encoded URI reference for a path; a file name that is not UTF-8 (kept as
    surrogate escapes) is encoded byte for byte, as RFC 3986 wants."""
    return quote(path.encode("utf-8", "surrogateescape"))


def _region(f: Any) -> dict[str, Any]:
    region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
    if (f.end_line, f.end_column) != (f.line, f.column):
        region.update(endLine=max(f.end_line, f.line), endColumn=max(f.end_column, 1))
    return region


def _invocation(result: Any, left_out: int) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    notes = [{"level": "error", "message": {"text": error}} for error in result.errors]
    if left_out:
        notes.append({
            "level": "warning",
            "message": {"text": f"{left_out} results left out: GitHub code scanning keeps {MAX_RESULTS} per run, "
                                "the most severe are here (the JSON or text report has them all)"},
        })
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def render(result: Any, context: ReportContext) -> str:
    rules = sorted(result.enabled, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    findings = list(result.findings)
    left_out = 0
    if len(findings) > MAX_RESULTS:
        keep = sorted(findings, key=lambda f: (-f.severity, f.sort_key))[:MAX_RESULTS]
        left_out = len(findings) - MAX_RESULTS
        findings = sorted(keep, key=lambda f: f.sort_key)
    for f in findings:
        item = {
            "ruleId": f.code,
            "level": LEVELS[f.severity.label],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": _region(f),
                }
            }],
            "partialFingerprints": {"modelwLint/v1": fingerprint(f, result.project)},
            "properties": {"repoLevel": f.repo_level, "family": f.family},
        }
        if f.code in index:
            item["ruleIndex"] = index[f.code]
        results.append(item)
    root_uri = "file://" + _uri(os.path.abspath(result.root).replace(os.sep, "/").rstrip("/") + "/")
    run = {
        "tool": {"driver": {
            "name": "modelw-lint",
            "version": context.version,
            "semanticVersion": context.version,
            "informationUri": docs_url(),
            "rules": [_rule(r) for r in rules],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
        "invocations": [_invocation(result, left_out)],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    properties = {key: item.data for key, item in result.metadata.items()}
    if properties:
        run["properties"] = properties
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
