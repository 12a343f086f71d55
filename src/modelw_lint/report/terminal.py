"""Rule docs for a terminal: ``explain`` (headings, wrapped paragraphs, code blocks, examples as
a tree of file names plus the files they are about) and the ``rules`` table, fitted to the
terminal's width. The same metadata as docs/rules.md, drawn for a person at a prompt."""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import Any, Callable

import click

from modelw_lint.report.docs import anchor, docs_url, fix_label, fix_section
from modelw_lint.core.rule import SECTION_ORDER, EngineRule, Example

MAX_WIDTH = 100


def width(cap: int = MAX_WIDTH) -> int:
    """The terminal's width (``COLUMNS`` when set), at most ``cap`` (prose reads best short)."""
    return max(40, min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, cap))


class Style:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, **kw: Any) -> str:
        return click.style(text, **kw) if self.color else text

    def inline(self, text: str) -> str:
        """Inline ``code`` spans: coloured without their backticks, or kept as written."""
        if not self.color:
            return text
        return re.sub(r"`([^`]+)`", lambda m: click.style(m.group(1), fg="cyan"), text)


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """("code", text) for fenced blocks, ("list", item) for list items, ("text", paragraph)."""
    out: list[tuple[str, str]] = []
    lines = markdown.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("text", " ".join(s.strip() for s in para)))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.strip().startswith("```"):
            flush()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            out.append(("code", "\n".join(body)))
        elif re.match(r"^\s*[-*]\s+", line):
            flush()
            item = [re.sub(r"^\s*[-*]\s+", "", line)]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip() and not re.match(
                r"^\s*[-*]\s+",
                lines[i + 1],
            ):
                i += 1
                item.append(lines[i].strip())
            out.append(("list", " ".join(item)))
        elif not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return out


def render_markdown(markdown: str, style: Style, cols: int, indent: str = "  ") -> list[str]:
    out: list[str] = []
    for kind, text in _blocks(markdown):
        if kind == "code":
            out.extend(style(f"{indent}    {line}".rstrip(), dim=True) for line in text.splitlines())
        elif kind == "list":
            wrapped = textwrap.wrap(text, cols - len(indent) - 2, break_on_hyphens=False) or [""]
            out.append(f"{indent}• {style.inline(wrapped[0])}")
            out.extend(f"{indent}  {style.inline(w)}" for w in wrapped[1:])
        else:
            out.extend(f"{indent}{style.inline(w)}" for w in textwrap.wrap(text, cols - len(indent), break_on_hyphens=False))
        out.append("")
    return out


def tree(paths: list[str], mark: Callable[[str], bool] = lambda p: False) -> list[str]:
    """File names as a tree (``├──``/``└──``), a ``←`` after the marked ones."""
    root: dict[str, Any] = {}
    for path in sorted(paths):
        node = root
        for part in path.split("/"):
            node = node.setdefault(part, {})

    out: list[str] = []

    def walk(node: dict[str, Any], prefix: str, trail: str) -> None:
        names = list(node)
        for n, name in enumerate(names):
            last = n == len(names) - 1
            path = f"{trail}{name}"
            child = node[name]
            label = f"{name}/" if child else name
            out.append(f"{prefix}{'└── ' if last else '├── '}{label}{'  ←' if not child and mark(path) else ''}")
            if child:
                walk(child, prefix + ("    " if last else "│   "), path + "/")

    walk(root, "", "")
    return out


def _example(ex: Example, style: Style, cols: int) -> list[str]:
    out = [f"  {style('•', bold=True)} {ex.note or 'example'}"]
    shown = ex.shown
    if len(ex.files) > 1:
        explicit = bool(ex.show)
        out.extend(f"      {line}" for line in tree(list(ex.files), lambda p: explicit and p in shown))
        if not explicit:
            out.append(style("      (a whole project: the docs show every file)", dim=True))
            out.append("")
            return out
    for path, text in shown.items():
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        out.append(f"      {style(path, bold=True)}:")
        out.extend(style(f"        {line}".rstrip(), dim=True) for line in text.rstrip("\n").splitlines())
    out.append("")
    return out


def explain(rule: Any, color: bool = False) -> str:
    style = Style(color)
    cols = width()
    title = f"{rule.code} {rule.name}"
    out = [style(title, bold=True), "=" * len(title) if not color else "", ""]
    if color:
        out.pop(1)
    meta = f"{rule.family} · {rule.severity.label} · fix: {fix_label(rule)} · checks: {rule.kind()}"
    out += [f"  {meta}", ""]
    docs = rule.docs()
    for section in SECTION_ORDER:
        if section not in docs:
            continue
        out.append(style(section, bold=True, underline=True) if color else f"{section}\n{'-' * len(section)}")
        out.extend(render_markdown(fix_section(rule) if section == "Fix safety" else docs[section], style, cols))
    if not issubclass(rule, EngineRule):
        for label, examples in (("Examples that fire", rule.fires), ("Examples that stay silent", rule.silent)):
            heading = f"{label} ({len(examples)})"
            out.append(style(heading, bold=True, underline=True) if color else f"{heading}\n{'-' * len(heading)}")
            for ex in examples:
                out.extend(_example(ex, style, cols))
    out.append(f"Docs: {docs_url()}#{anchor(rule)}")
    return "\n".join(out).rstrip("\n") + "\n"


def rules_table(rules: list[Any], color: bool = False) -> str:
    """One aligned row per rule, fitted to the terminal's width: the summary at the end of the
    row when there is room for it, else on the next line, indented; cut with "…" if need be."""
    style = Style(color)
    cols = width(cap=240)
    heads = ("code", "name", "family", "severity", "fix")
    rows = [(r.code, r.name, r.family, r.severity.label, fix_label(r), r.short_description()) for r in rules]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(heads)]
    fixed = sum(widths) + 2 * len(widths)
    inline = cols - fixed >= 50
    room = cols - fixed if inline else cols - 7

    def cut(text: str) -> str:
        return text if len(text) <= room else text[: room - 1].rstrip() + "…"

    head = "  ".join(h.ljust(w) for h, w in zip(heads, widths)) + ("  summary" if inline else "")
    out = [style(head.rstrip()[:cols], bold=True)]
    for row in rows:
        cells = "  ".join(v.ljust(w) for v, w in zip(row[:5], widths))
        if inline:
            out.append(f"{cells}  {cut(row[5])}".rstrip())
        else:
            out += [cells.rstrip(), style(f"       {cut(row[5])}", dim=True)]
    checking = [r for r in rules if not issubclass(r, EngineRule)]
    safe = sum(1 for r in checking if fix_label(r) == "safe")
    unsafe = sum(1 for r in checking if fix_label(r) == "unsafe")
    note = (f"{len(checking)} rules (and {len(rules) - len(checking)} of the engine): {safe + unsafe} have a fix ({safe} safe, "
            f"{unsafe} unsafe); the others say why not (modelw-lint explain CODE, \"Fix safety\").")
    out += ["", *textwrap.wrap(note, cols)]
    return "\n".join(out) + "\n"
