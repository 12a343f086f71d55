"""Inline suppressions: ``# modelw-lint: ignore[MW201]`` and ``# noqa: MW201``.

A comment at the end of a line applies to that line; a comment alone on its line applies to
the next line. ``# modelw-lint: ignore`` without codes silences every code on that line. A bare
``# noqa`` belongs to other tools and is ignored, as are ``noqa`` codes that are not ours
(``# noqa: F401, MW201`` only concerns MW201: codes count as ours by their letters). A comment
``# modelw-lint: noqa`` alone on its line silences every finding of the file, and
``# modelw-lint: noqa: MW201, MW202`` those codes in the file (ruff's ``# ruff: noqa``). Like
flake8 and ruff, directives and codes are read whatever their case (``# NOQA:mw201``).
"""

from __future__ import annotations

from typing import Any

import re
from dataclasses import dataclass, field

from modelw_lint.project.files import kind_of
from modelw_lint.lang.textlines import split_lines

COMMENT_KINDS = {"python", "yaml", "toml", "dockerfile", "dotenv"}

_DIRECTIVE = re.compile(
    r"#\s*(?:modelw-lint:\s*(?:(?P<file>noqa)(?:\s*:\s*(?P<filecodes>[A-Za-z0-9_, ]+))?"
    r"|ignore(?:\[(?P<codes>[^\]]*)\])?)|noqa\s*:\s*(?P<noqa>[A-Za-z0-9_, ]+))",
    re.IGNORECASE,
)
FILE = 0  # the target of a file-level suppression
_OUR_CODE = re.compile(r"^[A-Z]{1,5}[0-9]{3}$")


@dataclass
class Suppression:
    path: str
    line: int  # where the comment is
    target: int  # the line it applies to
    column: int
    codes: tuple[str, ...] | None  # None: every code
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    @property
    def where(self) -> str:
        """What it applies to, as the MW003 message says it."""
        if self.target == FILE:
            return "in this file"
        return "on this line" if self.target == self.line else f"on the next line ({self.target})"


def _python_comments(text: str) -> dict[int, int] | None:
    """Line -> column where a real comment starts (so docstrings that show the syntax do not
    count); None when the file does not tokenize (then every ``#`` counts)."""
    import io
    import tokenize

    starts: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                starts[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return starts


def scan(path: str, text: str, prefixes: frozenset[str] = frozenset({"MW"}), kind: str | None = None) -> list[Suppression]:
    """Suppression comments of a file; ``prefixes`` are the letters of the loaded rule codes,
    ``kind`` the file's kind (how its lines break)."""
    if "noqa" not in text and "modelw-lint" not in text:
        low = text.lower()  # C speed; a case-insensitive regex search is ~20× slower
        if "noqa" not in low and "modelw-lint" not in low:
            return []
    if not any(_ours(m, prefixes) for m in _DIRECTIVE.finditer(text)):
        return []  # only other tools' noqa codes (E501): no need to find the real comments
    comments = _python_comments(text) if path.endswith((".py", ".pyi")) else None
    found = []
    for number, original in enumerate(split_lines(text, kind or kind_of(path)), 1):
        if "#" not in original:
            continue
        line = original
        if comments is not None:
            if number not in comments:
                continue
            offset = comments[number]
            line = " " * offset + original[offset:]  # only the comment counts, columns kept
        for m in _DIRECTIVE.finditer(line):
            alone = not original[: m.start()].strip()
            target = number + 1 if alone else number
            if m.group("file") is not None:
                if not alone:
                    continue  # a file-level directive stands alone, as ruff's does
                target = FILE
                codes = _codes(m.group("filecodes"), prefixes) if m.group("filecodes") else None
                if codes == ():
                    continue
            elif m.group("noqa") is not None:
                codes = _codes(m.group("noqa"), prefixes)
                if not codes:
                    continue
            elif m.group("codes") is not None:
                codes = tuple(c.strip().upper() for c in m.group("codes").split(",") if c.strip())
            else:
                codes = None
            found.append(Suppression(path, number, target, m.start() + 1, codes))
    return found


def _ours(m: re.Match[str], prefixes: frozenset[str]) -> bool:
    """Whether a directive, wherever it is, could be one of ours: a ``modelw-lint:`` one, or a
    ``noqa`` naming one of our codes."""
    return m.group("noqa") is None or bool(_codes(m.group("noqa"), prefixes))


def _codes(listed: str, prefixes: frozenset[str]) -> tuple[str, ...]:
    """Our codes in a ``noqa`` list (other tools' codes left to them), upper-cased."""
    upper = (c.upper() for c in re.split(r"[,\s]+", listed))
    return tuple(c for c in upper if _OUR_CODE.match(c) and c.rstrip("0123456789") in prefixes)


# -- applying them -----------------------------------------------------------------------------


def as_data(found: list[Suppression]) -> list[list[Any]]:
    """Suppressions as the cache keeps them."""
    return [[s.line, s.target, s.column, list(s.codes) if s.codes is not None else None] for s in found]


def of_file(file: Any, prefixes: frozenset[str]) -> list[Suppression]:
    """The suppression comments of a project file (none for kinds without comments)."""
    if file is None or file.kind not in COMMENT_KINDS or not file.text:
        return []
    return scan(file.path, file.text, prefixes, file.kind)


def apply(
    findings: list[Any], project: Any, prefixes: frozenset[str], cached: dict[str, list[Any]], scope: set[str] | None,
    unused_rule: Any, enabled_codes: set[str], known_codes: Any,
) -> list[Any]:
    """``findings`` without those a comment silences, plus ``unused_rule`` (MW003) findings
    for comments that silenced nothing (when that rule is enabled).

    The comments are those of every file holding a finding and of every file the run read
    (``scope``, in hook mode, limits the latter to the given files: MW003 reports nothing else);
    ``cached`` holds those of files the cached run read and that did not change."""
    touched = {f.path for f in project.touched_files()}
    if scope is not None:
        touched &= scope
    paths = {f.path for f in findings} | touched
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    everything: list[Suppression] = []
    for path, entries in sorted(cached.items()):
        paths.discard(path)  # known from the cache: no need to read the file again
        for line, target, column, codes in entries:
            s = Suppression(path, line, target, column, tuple(codes) if codes is not None else None)
            everything.append(s)
            by_line.setdefault((path, target), []).append(s)
    for path in sorted(paths):
        for s in of_file(project.file(path), prefixes):
            everything.append(s)
            by_line.setdefault((path, s.target), []).append(s)
    kept = []
    for f in findings:
        candidates = by_line.get((f.path, f.line), []) + by_line.get((f.path, FILE), [])
        hit = next((s for s in candidates if s.covers(f.code)), None)
        if hit is None:
            kept.append(f)
        else:
            hit.used.add(f.code)
    if unused_rule.code in enabled_codes:
        kept.extend(_unused(everything, unused_rule(), scope, enabled_codes, known_codes))
    return kept


def _unused(everything: list[Suppression], rule: Any, scope: set[str] | None, enabled_codes: set[str], known_codes: Any) -> list[Any]:
    out = []
    for s in everything:
        if scope is not None and s.path not in scope:
            continue  # hook mode: other files were not fully checked
        if s.codes is None:
            if not s.used:
                out.append(rule.finding(s.path, f"unused suppression: no finding {s.where}", s.line, s.column))
            continue
        unused = [c for c in s.codes if c not in s.used and (c in enabled_codes or c not in known_codes)]
        if unused:
            unknown = [c for c in unused if c not in known_codes]
            detail = f"unknown code {', '.join(unknown)}" if unknown else f"no {', '.join(unused)} finding {s.where}"
            out.append(rule.finding(s.path, f"unused suppression: {detail}", s.line, s.column))
    return out
