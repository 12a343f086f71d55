"""Names a Python fix must not break: what a fix leaves undefined, and imports it leaves unused.

A fix that deletes ``CACHES = {...}`` while a later line reads ``CACHES["default"]`` leaves a
name undefined: the fix is refused. A fix that deletes ``sentry_sdk.init(...)`` leaves
``import sentry_sdk`` unused: the import goes too, as part of the same fix. Names are judged by
pyflakes (on CPython's ``ast``), before and after: only what the fix changed counts.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass


@dataclass
class Names:
    undefined: Counter[str]  # name -> uses pyflakes cannot bind
    unused_imports: list[tuple[str, int]]  # (name as written, line)


def names(text: str) -> Names | None:
    """pyflakes' view of a module's names; None when it does not compile."""
    from pyflakes import checker, messages

    from modelw_lint.lang import pyguard

    try:
        tree = pyguard.parse(text)
    except (pyguard.TooDeep, SyntaxError, ValueError):
        return None
    found = checker.Checker(tree, filename="<fix>")
    undefined: Counter[str] = Counter()
    unused: list[tuple[str, int]] = []
    for message in found.messages:
        if isinstance(message, messages.UndefinedName):
            undefined[message.message_args[0]] += 1
        elif isinstance(message, messages.UnusedImport):
            unused.append((message.message_args[0], message.lineno))
    return Names(undefined, unused)


def left_undefined(old: str, new: str) -> list[str]:
    """Names the new text uses without a definition, that the old text defined."""
    before, after = names(old), names(new)
    if before is None or after is None:
        return []
    return sorted(name for name, count in after.undefined.items() if count > before.undefined.get(name, 0))


def drop_unused_imports(old: str, new: str) -> str:
    """The new text without the imports that only the fix made unused (an import already
    unused before is the project's business, not the fix's)."""
    before, after = names(old), names(new)
    if before is None or after is None:
        return new
    already = Counter(name for name, _line in before.unused_imports)
    made = []
    for name, line in after.unused_imports:
        if already[name] > 0:
            already[name] -= 1  # unused before the fix too
            continue
        made.append((name, line))
    if not made:
        return new
    tree = ast.parse(new)
    lines = new.splitlines(keepends=True)
    starts = [0]
    for text_line in lines:
        starts.append(starts[-1] + len(text_line))
    edits: list[tuple[int, int]] = []
    for name, lineno in made:
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno != lineno:
                continue
            alias = next((a for a in node.names if _written(node, a) == name), None)
            if alias is None:
                continue
            if len(node.names) == 1:
                first, last = node.lineno, node.end_lineno or node.lineno
                line_text = "".join(lines[first - 1:last])
                if line_text.strip().startswith(("import", "from")) and ";" not in line_text:
                    edits.append((starts[first - 1], starts[last]))
            else:
                start = _offset(lines, starts, alias.lineno, alias.col_offset)
                end = _offset(lines, starts, alias.end_lineno or alias.lineno, alias.end_col_offset or alias.col_offset)
                after_text = new[end:]
                m = re.match(r"\s*,\s*", after_text)
                if m:
                    end += m.end()
                else:
                    m = re.search(r",\s*$", new[:start])
                    if m:
                        start = m.start()
                edits.append((start, end))
    for start, end in sorted(set(edits), reverse=True):
        new = new[:start] + new[end:]
    if not new.startswith(("\n", "\r")):
        return new
    return new.lstrip("\r\n")  # the import was the first line: no blank line left at the top


def _written(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    """How pyflakes names an import in its messages."""
    if isinstance(node, ast.ImportFrom):
        module = "." * node.level + (node.module or "")
        full = f"{module}.{alias.name}" if module and not module.endswith(".") else f"{module}{alias.name}"
    else:
        full = alias.name
    return f"{full} as {alias.asname}" if alias.asname else full


def _offset(lines: list[str], starts: list[int], line: int, byte_col: int) -> int:
    text = lines[line - 1]
    col = byte_col if text.isascii() else len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))
    return starts[line - 1] + col
