"""A small Dockerfile parser: instructions with their line numbers (continuations joined)."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass

_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)(?:\s+(.*))?$")
_ESCAPE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.I)


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, CMD…
    value: str  # the arguments, continuation lines joined with a space
    line: int  # 1-based line of the keyword
    end_line: int

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON (exec) form's arguments, or None for the shell form."""
        text = self.value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                return None
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
        return None

    @property
    def command(self) -> str:
        """The command as one string, whatever the form."""
        args = self.exec_form
        return " ".join(args) if args is not None else self.value.strip()

    def words(self) -> list[str]:
        args = self.exec_form
        if args is not None:
            return args
        try:
            return shlex.split(self.value, comments=False)
        except ValueError:
            return self.value.split()


def parse(text: str) -> list[Instruction]:
    from .files import split_lines

    lines = split_lines(text)
    escape = "\\"
    for raw in lines[:5]:  # parser directives come first
        m = _ESCAPE.match(raw.strip())
        if m:
            escape = m.group(1)
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        parts = []
        current = raw
        while True:
            body = current.rstrip()
            if body.endswith(escape) and i + 1 < len(lines):
                parts.append(body[:-1])
                i += 1
                # comment lines inside a continuation are dropped, as Docker does
                while i < len(lines) and lines[i].strip().startswith("#"):
                    i += 1
                if i >= len(lines):
                    break
                current = lines[i]
                continue
            parts.append(body)
            break
        joined = " ".join(p.strip() for p in parts)
        m = _INSTRUCTION.match(joined)
        if m:
            out.append(Instruction(m.group(1).upper(), (m.group(2) or "").strip(), start + 1, i + 1))
        i += 1
    return out
