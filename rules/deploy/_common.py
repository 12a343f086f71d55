"""What the deploy rules share: reading a deploy command's words where they are written, and
writing a new command in the same form."""

from __future__ import annotations

import json
import shlex
from typing import Any

from ..releases import is_base_image

# Where a deployment's commands are written: what the rules on those commands read.
COMMAND_FILES = ("**/Dockerfile*", "**/Procfile", "**/*compose*.y*ml", "Dogefile", "snow.yml", "Fluxfile", ".do/app.yaml")

def modelw_images(project: Any, application_dockerfiles: dict) -> bool:
    """Whether the application's images are built on ``modelw/base``, directly or through a
    base the repository builds (``modelw-docker`` is there to serve them)."""
    return any(app.root is not None and is_base_image(app.root.image) for app in application_dockerfiles.values())


def tokens(project, cmd) -> list[str] | None:
    """The command's words, read from where it is written."""
    import yaml

    file = project.file(cmd.path)
    raw = (file.text or "")[cmd.span[0] : cmd.span[1]] if file is not None else ""
    try:
        if cmd.style in ("exec", "flow", '"', "'"):
            value = yaml.safe_load(raw)  # a JSON list is YAML too
            if isinstance(value, str):
                return shlex.split(value)
            return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
        return shlex.split(raw)
    except (ValueError, yaml.YAMLError):
        return None


def as_text(tokens: list[str]) -> str:
    return "`" + shlex.join(tokens) + "`"


def written(tokens: list[str], style: str) -> str:
    """The command in the form the old one was written in."""
    if style in ("exec", "flow"):
        return json.dumps(tokens)
    text = shlex.join(tokens)
    if style == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    return text
