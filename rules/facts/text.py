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
