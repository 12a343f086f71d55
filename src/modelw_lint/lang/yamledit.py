"""Editing YAML without touching what is not edited: deploy specs and compose files carry
comments, anchors, key order, quotes and a team's indentation.

The document is read with ruamel.yaml's round-trip loader, which knows where each key, value
and item starts; an edit is then a splice of the text at those places (an :class:`Edit`), so
every byte outside the edited node stays as it was — stronger than dumping the document back,
which may re-indent or re-wrap. What cannot be edited that way (a multi-line scalar, a node
that holds an anchor used elsewhere) gives no edit at all: the caller offers no fix.

Keys of a path are mapping keys (str) or sequence indexes (int).
"""

from __future__ import annotations

import re
from typing import Any

from modelw_lint.core.finding import Edit

Path = tuple[Any, ...]



def _before_comment(rest: str) -> str:
    """A plain scalar's text: up to the first ``#`` that follows a blank (YAML's comment),
    trailing blanks removed; a scan, linear in the line."""
    i = rest.find("#")
    while i >= 0:
        if i > 0 and rest[i - 1] in " \t":
            return rest[:i].rstrip()
        i = rest.find("#", i + 1)
    return rest.rstrip()

class YamlDoc:
    """One YAML file (the first document that holds the path), read for editing."""

    def __init__(self, path: str, text: str):
        from ruamel.yaml import YAML

        self.path = path
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        yaml = YAML(typ="rt", pure=True)
        yaml.preserve_quotes = True
        self.docs = list(yaml.load_all(text))

    # -- positions -----------------------------------------------------------------------------

    def offset(self, line: int, column: int) -> int:
        return self.starts[line] + column

    def node(self, path: Path) -> tuple[Any, Any] | None:
        """(parent container, node) at ``path`` in the first document that has it."""
        for doc in self.docs:
            parent, current = None, doc
            for key in path:
                if isinstance(key, int):
                    if not isinstance(current, list) or not -len(current) <= key < len(current):
                        break
                elif not isinstance(current, dict) or key not in current:
                    break
                parent, current = current, current[key]
            else:
                return parent, current
        return None

    def _indent(self, line: int) -> int:
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def _blank_or_comment(self, line: int) -> bool:
        stripped = self.lines[line].strip()
        return not stripped or stripped.startswith("#")

    def _block_end(self, line: int, column: int) -> int:
        """The line after the block that starts at (``line``, ``column``): the next line
        that is not blank, not a comment, and not indented deeper."""
        n = line + 1
        last = line
        while n < len(self.lines):
            if not self._blank_or_comment(n):
                if self._indent(n) <= column:
                    break
                last = n
            n += 1
        # Blank lines and comments after the block's last line belong to what follows.
        return last + 1

    def _tidy_end(self, first: int, end: int) -> int:
        """``end``, moved past the blank lines that follow a removed block when a blank line
        also precedes it (so that two entries stay one blank line apart, not two)."""
        if first > 0 and not self.lines[first - 1].strip():
            while end < len(self.lines) and not self.lines[end].strip():
                end += 1
        return end

    def _leading_comments(self, line: int, column: int) -> int:
        """The first line of the comment lines right above ``line`` at its indentation."""
        n = line
        while n > 0:
            text = self.lines[n - 1]
            if text.strip().startswith("#") and self._indent(n - 1) == column:
                n -= 1
            else:
                break
        return n

    def _anchored(self, node: Any) -> bool:
        """Whether ``node`` or something inside defines an anchor (deleting it would break an
        alias elsewhere)."""
        stack = [node]
        while stack:
            current = stack.pop()
            anchor = getattr(current, "anchor", None)
            if anchor is not None and getattr(anchor, "value", None):
                return True
            if isinstance(current, dict):
                stack.extend(current.values())
            elif isinstance(current, list):
                stack.extend(current)
        return False

    def _scalar_span(self, line: int, column: int, flow: bool = False) -> tuple[int, int] | None:
        """Offsets of the one-line scalar whose text starts at (``line``, ``column``) (in a
        flow collection, a plain scalar also ends at ``,``, ``]`` or ``}``)."""
        text = self.lines[line].rstrip("\r\n")
        rest = text[column:]
        if not rest:
            return None
        if rest[0] in "\"'":
            quote = rest[0]
            i = 1
            while i < len(rest):
                if rest[i] == quote:
                    if quote == "'" and rest[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    break
                if quote == '"' and rest[i] == "\\":
                    i += 1
                i += 1
            else:
                return None  # continues on the next line
            end = i + 1
        elif rest[0] in "|>[{&*!":
            return None  # block, flow or tagged: not a one-line scalar
        elif flow:
            m = re.match(r"[^,\[\]{}#]*", rest)
            end = len(m.group(0).rstrip()) if m else 0
            if not end:
                return None
        else:
            value = _before_comment(rest)
            end = len(value)
            if column + end == len(text.rstrip()) and line + 1 < len(self.lines):
                following = self.lines[line + 1]
                if following.strip() and not following.strip().startswith("#") and self._indent(line + 1) > self._indent(line):
                    return None  # a plain scalar that continues on the next line
        start = self.offset(line, column)
        return start, start + end

    # -- edits ---------------------------------------------------------------------------------

    def delete(self, path: Path) -> Edit | None:
        """Remove a mapping entry (its key, its value block and the comments right above it)
        or a sequence item; None when that cannot be done without touching anything else."""
        found = self.node(path)
        if found is None or not path:
            return None
        parent, node = found
        key = path[-1]
        if self._anchored(node):
            return None
        if isinstance(key, int):
            return self._delete_item(parent, key)
        if getattr(getattr(parent, "fa", None), "flow_style", lambda: False)():
            return None
        line, column = parent.lc.key(key)
        first = self._leading_comments(line, column)
        end = self._tidy_end(first, self._block_end(line, column))
        return Edit(self.path, self.starts[first], self.starts[end], "")

    def _delete_item(self, seq: Any, index: int) -> Edit | None:
        index = index % len(seq)
        line, column = seq.lc.item(index)
        if seq.fa.flow_style():
            span = self._scalar_span(line, column, flow=True)
            if span is None or not isinstance(seq[index], str):
                return None
            start, end = span
            text = self.text
            after = re.compile(r"[ \t]*,[ \t]*").match(text, end)
            if after is not None:
                return Edit(self.path, start, after.end(), "")
            before = re.compile(r",[ \t]*$").search(text, 0, start)
            if before is not None:
                return Edit(self.path, before.start(), end, "")
            return Edit(self.path, start, end, "")  # the only item: `[]` stays
        # Block item: "- value" starts at the dash, two columns before the value.
        dash = column - 2
        if dash < 0 or self.lines[line][dash : dash + 1] != "-":
            return None
        first = self._leading_comments(line, dash)
        end = self._tidy_end(first, self._block_end(line, dash))
        return Edit(self.path, self.starts[first], self.starts[end], "")

    def replace_scalar(self, path: Path, new: str) -> Edit | None:
        """Replace a one-line scalar value (a mapping value or a sequence item) with ``new``,
        written in the quotes the old value used (plain if it had none and ``new`` needs none)."""
        found = self.node(path)
        if found is None or not path:
            return None
        parent, node = found
        if not isinstance(node, (str, int, float)) or isinstance(node, bool):
            return None
        key = path[-1]
        line, column = parent.lc.item(key) if isinstance(key, int) else parent.lc.value(key)
        span = self._scalar_span(line, column)
        if span is None:
            return None
        start, end = span
        old = self.text[start:end]
        quote = old[0] if old[:1] in "\"'" else ""
        if not quote and (new != new.strip() or re.search(r"^[&*!|>%@`\"'{\[]|: | #|^-\s|^[?:,]", new)):
            quote = '"'
        if quote == "'":
            written = "'" + new.replace("'", "''") + "'"
        elif quote == '"':
            written = '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            written = new
        return Edit(self.path, start, end, written)

    def replace_entry(self, path: Path, key: str, value: str) -> Edit | None:
        """Replace a mapping entry ``old_key: old_value`` (one line each) with ``key: value``,
        in place, keeping what follows on the line (a comment)."""
        found = self.node(path)
        if found is None or not path or isinstance(path[-1], int):
            return None
        parent, node = found
        if not isinstance(node, (str, int, float)) or isinstance(node, bool):
            return None
        kline, kcol = parent.lc.key(path[-1])
        vline, vcol = parent.lc.value(path[-1])
        if kline != vline:
            return None
        span = self._scalar_span(vline, vcol)
        if span is None:
            return None
        value_edit = self.replace_scalar(path, value)
        if value_edit is None:
            return None
        return Edit(self.path, self.offset(kline, kcol), span[1], f"{key}: {value_edit.replacement}")


def yaml_doc(path: str, text: str) -> YamlDoc | None:
    """The document, or None when ruamel.yaml cannot read it (no edit is offered then)."""
    try:
        return YamlDoc(path, text)
    except Exception:  # any reader error: the rules reported what they found; no fix
        return None
