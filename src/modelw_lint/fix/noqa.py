"""``check --add-noqa``: a suppression comment for each finding on a line, as ruff's
``--add-noqa`` does, so that a legacy project passes today and every new drift fails.

Each comment is ``# modelw-lint: ignore[CODE, …]`` at the end of the finding's line, merged
into such a comment already there; in a Dockerfile or a .env file (where ``#`` after a value
is part of it) it goes alone on the line above, which applies to the next line. A file is
written only when it reads the same afterwards (the same Python syntax tree, the same YAML,
TOML, Dockerfile instructions or .env values); otherwise its comments go on the lines above,
and if that changes it too the file is left alone and said. Findings about a whole file or
the repository, and those in files without ``#`` comments (JSON, JavaScript), get none.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from modelw_lint.project.files import ParseError, parse_text
from modelw_lint.project.safeio import ChangedMeanwhile, write_atomic
from modelw_lint.engine.suppression import COMMENT_KINDS
from modelw_lint.lang.textlines import newline_of

_OURS = re.compile(r"#\s*modelw-lint:\s*ignore\[([^\]]*)\]", re.IGNORECASE)
ABOVE_ONLY = {"dockerfile", "dotenv"}  # a trailing "#" would be part of the value


@dataclass
class Added:
    """What ``--add-noqa`` did."""

    comments: int = 0
    files: int = 0
    left: list[Any] = field(default_factory=list)  # findings that got no comment
    problems: list[str] = field(default_factory=list)  # files left alone, with why


def add_noqa(linter: Any, result: Any) -> Added:
    """Add the comments for ``result``'s findings and write the files (nothing is printed)."""
    done = Added()
    wanted: dict[str, dict[int, set[str]]] = {}
    left = done.left
    for f in result.findings:
        file = result.project.file(f.path)
        whole_file = (f.line, f.column, f.end_line, f.end_column) == (1, 1, 1, 1)
        if f.family == "engine" or f.repo_level or whole_file or file is None or file.kind not in COMMENT_KINDS or f.line < 1:
            left.append(f)
            continue
        wanted.setdefault(f.path, {}).setdefault(f.line, set()).add(f.code)
    for path, lines in sorted(wanted.items()):
        file = result.project.file(path)
        text = file.text or ""
        new = with_comments(text, file.kind, lines)
        if new is None:
            done.problems.append(f"{path}: no comment added: it would not read the same with them")
            continue
        if new == text:
            continue
        try:
            write_atomic(linter.root, path, new, expected=text)
        except ChangedMeanwhile as exc:
            done.problems.append(str(exc))
            continue
        except OSError as exc:
            done.problems.append(f"cannot write {path}: {exc.strerror or exc}")
            continue
        done.files += 1
        done.comments += len(lines)
    return done


def with_comments(text: str, kind: str, wanted: dict[int, set[str]]) -> str | None:
    """``text`` with a suppression comment for each line of ``wanted`` (line -> codes), or
    None when no placement leaves the file reading the same."""
    before = _meaning(kind, text)
    if before is _UNREADABLE:
        return None
    placements = ("above",) if kind in ABOVE_ONLY else ("end", "above")
    for where in placements:
        new = _place(text, wanted, where)
        if _meaning(kind, new) == before:
            return new
    return None


def _place(text: str, wanted: dict[int, set[str]], where: str) -> str:
    newline = newline_of(text)
    lines = text.splitlines(keepends=True)
    for number in sorted(wanted, reverse=True):  # bottom up: earlier line numbers stay true
        if number > len(lines):
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        codes = set(wanted[number])
        existing = _OURS.search(body)
        if existing is not None:  # merge into the comment already there
            codes |= {c.strip() for c in existing.group(1).split(",") if c.strip()}
            lines[number - 1] = body[: existing.start()] + _comment(codes) + body[existing.end():] + ending
        elif where == "end":
            lines[number - 1] = body.rstrip() + "  " + _comment(codes) + (ending or "")
        else:
            indent = body[: len(body) - len(body.lstrip())]
            lines.insert(number - 1, indent + _comment(codes) + newline)
    return "".join(lines)


def _comment(codes: set[str]) -> str:
    return f"# modelw-lint: ignore[{', '.join(sorted(codes))}]"


_UNREADABLE = object()


def _meaning(kind: str, text: str) -> Any:
    """What a file says, comments aside: what must not change when comments are added."""
    try:
        if kind == "python":
            from modelw_lint.lang import pyguard

            return ast.dump(pyguard.parse(text[1:] if text.startswith("\ufeff") else text))
        if kind == "yaml":
            import yaml

            return list(yaml.safe_load_all(text))
        if kind == "dockerfile":
            return [(i.keyword, i.value) for i in parse_text(kind, text)]
        if kind == "dotenv":
            return [(e.key, e.value) for e in parse_text(kind, text)]
        return parse_text(kind, text)
    except (ParseError, SyntaxError, ValueError, Exception):  # noqa: BLE001 (an unreadable file gets no comment)
        return _UNREADABLE
