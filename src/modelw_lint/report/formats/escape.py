"""Text from a repository, made safe for whoever reads it.

File names and file contents reach every report: a name can hold a newline (a line of its own
that reads ``No findings.`` or ``::warning::``), an escape sequence (which retitles or clears
the terminal), a right-to-left override, a lone surrogate (a name that is not UTF-8). Each
consumer gets its own escaping on top of :func:`printable`, which every format applies to
what it prints: control characters, bidirectional controls, line and paragraph separators and
surrogates become visible escapes (``\\x1b``, ``\\n``, ``\\u202e``), so one finding is one
line and nothing the repository wrote is interpreted.
"""

from __future__ import annotations

import re

# C0 (but tab), DEL and C1 controls; bidirectional marks, embeddings, overrides and isolates;
# line and paragraph separators; the byte-order mark; surrogates (undecodable bytes of a name);
# the two non-characters XML refuses.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with nothing a terminal, a log parser or an XML reader would interpret:
    one line, no escape sequences, no direction overrides, no surrogates (linear)."""
    value = str(text)
    return _UNSAFE.sub(_escape, value) if _UNSAFE.search(value) else value


def safe_url(url: object) -> str:
    """A link target only when it is an http(s) URL or an anchor on the page; ``#`` otherwise
    (a ``javascript:`` link in a merged audit becomes inert)."""
    value = str(url or "").strip()
    if re.match(r"(?i)^(https?://|#)", value) and not _UNSAFE.search(value):
        return "".join(f"%{ord(c):02X}" if c in ' "\'()<>`' else c for c in value)
    return "#"
