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


_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")


def parse(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile: continuation lines joined (comment lines inside
    them dropped, as Docker does), heredocs (``RUN <<EOT`` … ``EOT``) kept in their
    instruction, parser directives honoured (``# escape=``)."""
    from modelw_lint.lang.textlines import split_lines

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
                while i < len(lines) and lines[i].strip().startswith("#"):
                    i += 1
                if i >= len(lines):
                    break
                current = lines[i]
                continue
            parts.append(body)
            break
        joined = " ".join(p.strip() for p in parts)
        for m in _HEREDOC.finditer(joined):  # the heredoc's body belongs to the instruction
            terminator = m.group(2)
            body_lines = []
            while i + 1 < len(lines) and lines[i + 1].strip() != terminator:
                i += 1
                body_lines.append(lines[i])
            i += 1 if i + 1 < len(lines) else 0
            joined += "\n" + "\n".join(body_lines)
        m = _INSTRUCTION.match(joined.split("\n", 1)[0])
        if m:
            rest = joined[len(joined.split("\n", 1)[0]):]
            out.append(Instruction(m.group(1).upper(), ((m.group(2) or "") + rest).strip(), start + 1, i + 1))
        i += 1
    return out


@dataclass(frozen=True)
class Stage:
    """A ``FROM`` of a Dockerfile, its image with build arguments substituted."""

    image: str  # "modelw/base:2026.07", "python:3.12-slim", "scratch", or an earlier stage's name
    name: str | None  # ``AS name``
    line: int
    from_stage: bool  # built on an earlier stage of the same Dockerfile
    unresolved: bool  # the image still holds a ``${VAR}`` without a default


# A default runs to the next "}" and never past another "$": each "${" then scans its own
# part of the line only (scanning to the next "}" was quadratic on "${A:-${A:-…").
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*+)(?::?[-+]([^}$]*+))?\}|([A-Za-z_][A-Za-z0-9_]*+))")


def substitute(value: str, args: dict[str, str]) -> tuple[str, bool]:
    """``${BASE}``, ``$BASE`` and ``${BASE:-default}`` replaced from ``args``; and whether a
    variable had no value."""
    missing = False

    def repl(m: re.Match[str]) -> str:
        nonlocal missing
        name = m.group(1) or m.group(3)
        if name in args and args[name] != "":
            return args[name]
        if m.group(2) is not None:
            return m.group(2)
        missing = True
        return m.group(0)

    return _VAR.sub(repl, value), missing


def stages(instructions: list[Instruction]) -> list[Stage]:
    """The stages of a Dockerfile in order: ``ARG`` values declared before a ``FROM`` (global
    build arguments) are substituted in it."""
    args: dict[str, str] = {}
    names: set[str] = set()
    out: list[Stage] = []
    for ins in instructions:
        if ins.keyword == "ARG" and not out:
            arg, _, default = ins.value.partition("=")
            args[arg.strip()] = default.strip().strip("\"'")
        elif ins.keyword == "FROM":
            words = [w for w in ins.words() if not w.startswith("--")]
            if not words:
                continue
            image, missing = substitute(words[0], args)
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            out.append(Stage(image, name, ins.line, image.lower() in names, missing))
            if name:
                names.add(name.lower())
    return out


def base_stage(found: list[Stage]) -> Stage | None:
    """The stage whose image the final image is really built on: ``FROM build`` followed back
    through earlier stages to an external image."""
    if not found:
        return None
    by_name = {s.name.lower(): s for s in found if s.name}
    current = found[-1]
    for _ in range(len(found)):
        if not current.from_stage:
            return current
        current = by_name.get(current.image.lower(), current)
        if current is found[-1]:
            break
    return current


def stage_instructions(instructions: list[Instruction]) -> list[list[Instruction]]:
    """The instructions of each stage, in the order of :func:`stages` (each list starts with
    its ``FROM``); instructions before the first ``FROM`` (global ``ARG``) belong to none."""
    out: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            if not [w for w in ins.words() if not w.startswith("--")]:
                continue
            out.append([ins])
        elif out:
            out[-1].append(ins)
    return out


# A stage for development or tests, by its name (``AS dev``, ``AS development``, ``AS test``).
DEV_STAGE = re.compile(r"(?:^|[._-])(?:dev|devel|develop|development|local|debug|test|tests|testing|ci)(?:[._-]|$)", re.I)


def deployed_stages(found: list[Stage], targets: set[str] | frozenset[str] = frozenset()) -> list[int]:
    """The stages a deployment runs: the ``target`` stages a build names when it names any
    that exist, else the final stage, unless the final stage is a development one
    (``FROM base AS dev`` last): then the last stage that is not."""
    if not found:
        return []
    wanted = {t.lower() for t in targets}
    named = [i for i, s in enumerate(found) if s.name is not None and s.name.lower() in wanted]
    if named:
        return named
    last = len(found) - 1
    if DEV_STAGE.search(found[last].name or ""):
        for i in range(last - 1, -1, -1):
            if not DEV_STAGE.search(found[i].name or ""):
                return [i]
    return [last]


def stage_commands(found: list[Stage], groups: list[list[Instruction]], index: int) -> list[Instruction]:
    """The ``CMD``/``ENTRYPOINT`` a stage runs: its own, else the ones of the stage it is built
    on (``FROM base AS prod`` inherits base's ``CMD``)."""
    by_name = {s.name.lower(): i for i, s in enumerate(found) if s.name}
    seen = set()
    while 0 <= index < len(groups) and index not in seen:
        seen.add(index)
        own = [ins for ins in groups[index] if ins.keyword in ("CMD", "ENTRYPOINT")]
        if own:
            return own
        stage = found[index]
        if not stage.from_stage:
            break
        index = by_name.get(stage.image.lower(), -1)
    return []
