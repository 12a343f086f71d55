"""What the layout rules share (now facts of the components subject, kept here by name)."""

from __future__ import annotations

from ..facts.components import OTHER_COMPONENTS, Front, anchor, is_js_front

__all__ = ["OTHER_COMPONENTS", "Front", "anchor", "is_js_front"]
