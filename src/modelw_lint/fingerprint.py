"""Fingerprints that survive line shifts: rule code + path + a normalised anchor.

The anchor is what the finding points at, whitespace folded: the offending code (the span of
the finding, or its whole line when the span is a point), or, for a repository-level finding,
its message. A rule may give a better anchor (a qualified name, a key path) in
``finding.extra["anchor"]``. Line numbers are never part of it, so an edit above a finding or
a reformatting does not make it new.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .finding import Finding


def anchor(finding: Finding, project: Any) -> str:
    if "anchor" in finding.extra:
        return _fold(str(finding.extra["anchor"]))
    if finding.repo_level:
        return _fold(re.sub(r" \(reported on [^)]*\)$", "", finding.message))
    file = project.file(finding.path) if project is not None else None
    text = file.text if file is not None else None
    if not text:
        return _fold(finding.message)
    start = file.offset(finding.line, finding.column - 1)
    end = file.offset(finding.end_line, finding.end_column - 1)
    snippet = text[start:end] if end > start else file.line_text(finding.line)
    return _fold(snippet) or _fold(finding.message)


def fingerprint(finding: Finding, project: Any) -> str:
    key = "\0".join((finding.code, finding.path, anchor(finding, project)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:2000]
