"""Fingerprints that survive line shifts: rule code + path + a normalised anchor.

The anchor is what the finding points at, whitespace folded: the offending code, when the
finding spans it; else (a point: a finding about a whole file, a module, the repository, or a
line it only stands at) its message without the places it names (line numbers, "reported
on"): a file-level finding shown at line 1 does not point at line 1's text, and an import
added at the top must not make it new. A rule may give a better anchor (a qualified name, a
key path) in ``finding.extra["anchor"]``. Line numbers are never part of it, so an edit above
a finding or a reformatting does not make it new.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from modelw_lint.core.finding import Finding


def anchor(finding: Finding, project: Any) -> str:
    if "anchor" in finding.extra:
        return _fold(str(finding.extra["anchor"]))
    message = _fold(_without_places(finding.message))
    file = project.file(finding.path) if project is not None and not finding.repo_level else None
    text = file.text if file is not None else None
    if file is None or not text:
        return message
    start = file.offset(finding.line, finding.column - 1)
    end = file.offset(finding.end_line, finding.end_column - 1)
    return (_fold(text[start:end]) if end > start else "") or message


def _without_places(message: str) -> str:
    """The message without where it was reported and without the lines it lists."""
    message = re.sub(r" \(reported on [^)]*\)$", "", message)
    return re.sub(r"\b(lines?) \d+(?:(?:, | and |-|–)\d+)*", r"\1 …", message)


def fingerprint(finding: Finding, project: Any) -> str:
    key = "\0".join((finding.code, finding.path, anchor(finding, project)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:2000]
