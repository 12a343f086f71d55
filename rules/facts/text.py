"""Small readers of configuration text shared by the facts and the rules."""

from __future__ import annotations

import functools
import re
from typing import Any


@functools.lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern:
    # [ \t] and not \s at the start of a line: \s would run across blank lines from every
    # line start (quadratic on a file of blank lines).
    return re.compile(r"""^[ \t]*["']?%s["']?[ \t]*[=:]|["']%s(?:[\[<>=!~;\s"']|$)""" % (re.escape(key), re.escape(key)), re.M | re.I)


def key_line(text: str | None, key: str, start: int = 0) -> int:
    """The 1-based line where ``key`` (a TOML key or JSON/list string) first appears."""
    text = text or ""
    m = _key_pattern(key).search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def table(data: Any, *keys: str) -> dict:
    """``data[k1][k2]…`` when every level is a table, else {} (a hostile ``tool = 3`` too)."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def strip_js_comments(text: str, html: bool = False) -> str:
    """JavaScript/TypeScript text with its comments (``// …``, ``/* … */``, and ``<!-- … -->``
    in Svelte and Vue files) blanked out, every other character (strings, line breaks) where
    it was: commented-out configuration is not configuration. One pass, linear in the text."""
    out = []
    i, n = 0, len(text)
    quote = ""  # the quote of the string being read
    start = 0  # where the text to keep as it is starts
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote or (ch == "\n" and quote != "`"):
                quote = ""
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
            i += 1
            continue
        if ch == "/" and i + 1 < n and text[i + 1] in "/*":
            end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
            end = n if end < 0 else (end if text[i + 1] == "/" else end + 2)
        elif html and ch == "<" and text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            end = n if end < 0 else end + 3
        else:
            i += 1
            continue
        out.append(text[start:i])
        out.append("".join(c if c == "\n" else " " for c in text[i:end]))
        i = start = end
    out.append(text[start:])
    return "".join(out)
