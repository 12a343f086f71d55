"""Lines as each kind of file counts them (the positions of findings depend on it)."""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile("\r\n|[\r\n]")
_YAML_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_breaks(kind: str | None = None) -> re.Pattern[str]:
    """What ends a line for this kind of file: ``\r\n``, ``\r`` or ``\n`` as Python counts
    them (not the form feeds and separators that ``str.splitlines`` also splits on); YAML also
    counts NEL, U+2028 and U+2029, as PyYAML does."""
    return _YAML_LINE_BREAKS if kind == "yaml" else _LINE_BREAKS


def split_lines(text: str, kind: str | None = None) -> list[str]:
    """The lines of ``text`` without their breaks (a final break does not open a new line)."""
    lines = line_breaks(kind).split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def newline_of(text: str | None) -> str:
    """The line ending a text uses (its first one): a line added to a CRLF file ends in CRLF."""
    m = _LINE_BREAKS.search(text or "")
    return m.group(0) if m else "\n"
