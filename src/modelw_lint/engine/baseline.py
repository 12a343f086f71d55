"""Baselines for legacy projects: record today's findings, report only new ones.

The file is JSON, sorted and stable (diff-friendly). Each entry is a fingerprint (see
:mod:`modelw_lint.engine.fingerprint`) with a count: two identical findings in one file are counted,
not merged. Entries that no longer match are reported (MW005) so the baseline only shrinks.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from modelw_lint.config import ConfigError
from modelw_lint.engine.fingerprint import fingerprint
from modelw_lint.project.safeio import UnsafePath, read_regular

FORMAT_VERSION = 1


@dataclass
class Entry:
    code: str
    path: str
    fingerprint: str
    count: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, "fingerprint": self.fingerprint, "count": self.count, "message": self.message}


def entries_for(findings: list[Any], project: Any) -> list[Entry]:
    counts: Counter[str] = Counter()
    first: dict[str, Any] = {}
    for f in findings:
        fp = fingerprint(f, project)
        counts[fp] += 1
        first.setdefault(fp, f)
    out = [Entry(first[fp].code, first[fp].path, fp, n, first[fp].message) for fp, n in counts.items()]
    return sorted(out, key=lambda e: (e.path, e.code, e.fingerprint))


def dumps(entries: list[Entry]) -> str:
    data = {
        "tool": "modelw-lint",
        "version": FORMAT_VERSION,
        "findings": [e.to_json() for e in sorted(entries, key=lambda e: (e.path, e.code, e.fingerprint))],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


SIZE_LIMIT = 64 * 1024 * 1024  # bytes: a baseline of a very large legacy project is a few MB


def load(path: str) -> tuple[list[Entry], str]:
    """The entries of a baseline file and its text; a bad file is a ConfigError (exit 2).
    Only a regular file of at most :data:`SIZE_LIMIT` bytes is read."""
    try:
        text = read_regular(path, SIZE_LIMIT, "baseline").decode("utf-8")
        data = json.loads(text)
        entries = [
            Entry(str(e["code"]), str(e["path"]), str(e["fingerprint"]), int(e.get("count", 1)), str(e.get("message", "")))
            for e in data["findings"]
        ]
    except UnsafePath as exc:
        raise ConfigError(str(exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ConfigError(f"{path} is not a modelw-lint baseline: {exc}") from None
    return entries, text


@dataclass
class BaselineResult:
    kept: list[Any]  # findings not in the baseline
    matched: dict[str, int]  # fingerprint -> findings it silenced
    stale: list[tuple[Entry, int]]  # entries (or parts of them) that match nothing any more


def apply(findings: list[Any], project: Any, entries: list[Entry], ignore_codes: frozenset[str] = frozenset()) -> BaselineResult:
    budget = {e.fingerprint: e.count for e in entries}
    matched: Counter[str] = Counter()
    kept = []
    for f in findings:
        if f.code in ignore_codes:
            kept.append(f)
            continue
        fp = fingerprint(f, project)
        if budget.get(fp, 0) > matched[fp]:
            matched[fp] += 1
        else:
            kept.append(f)
    stale = [(e, e.count - matched[e.fingerprint]) for e in entries if matched[e.fingerprint] < e.count]
    return BaselineResult(kept, dict(matched), stale)


def pruned(entries: list[Entry], matched: dict[str, int]) -> list[Entry]:
    """The entries that still match, with their counts lowered to what matched."""
    out = []
    for e in entries:
        n = min(e.count, matched.get(e.fingerprint, 0))
        if n:
            out.append(Entry(e.code, e.path, e.fingerprint, n, e.message))
    return out


def write(path: str, entries: list[Entry], root: str | None = None) -> None:
    """Write the baseline atomically. With ``root`` (a path the repository's configuration
    chose), a path resolving outside the root is refused (:class:`UnsafePath`)."""
    from modelw_lint.project.safeio import write_atomic, write_user_file

    if root is None:
        write_user_file(path, dumps(entries))
    else:
        write_atomic(root, os.path.relpath(path, root).replace(os.sep, "/"), dumps(entries))
