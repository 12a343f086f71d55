"""Inline suppressions: ``# modelw-lint: ignore[MW201]`` and ``# noqa: MW201``.

A comment at the end of a line applies to that line; a comment alone on its line applies to
the next line. ``# modelw-lint: ignore`` without codes silences every code on that line. A bare
``# noqa`` belongs to other tools and is ignored, as are ``noqa`` codes that are not ours
(``# noqa: F401, MW201`` only concerns MW201: codes count as ours by their letters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .files import kind_of, split_lines

COMMENT_KINDS = {"python", "yaml", "toml", "dockerfile", "dotenv"}

_DIRECTIVE = re.compile(
    r"#\s*(?:modelw-lint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?|noqa\s*:\s*(?P<noqa>[A-Za-z0-9_, ]+))",
)
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
    if "modelw-lint" not in text and "noqa" not in text:
        return []
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
            if m.group("noqa") is not None:
                codes = tuple(
                    c for c in re.split(r"[,\s]+", m.group("noqa")) if _OUR_CODE.match(c) and c.rstrip("0123456789") in prefixes
                )
                if not codes:
                    continue
            elif m.group("codes") is not None:
                codes = tuple(c.strip() for c in m.group("codes").split(",") if c.strip())
            else:
                codes = None
            alone = not original[: m.start()].strip()
            found.append(Suppression(path, number, number + 1 if alone else number, m.start() + 1, codes))
    return found
