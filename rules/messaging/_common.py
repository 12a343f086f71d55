"""What the messaging rules share: Wailer's type registries as the settings declare them (a
fact the messaging family owns)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from modelw_lint.lang.pyast import NOT_LITERAL, literal

from ..facts.registry import fact
from ..facts.settings import statements

if TYPE_CHECKING:
    from ..facts.settings import PresetBlock

REGISTRIES = {"WAILER_EMAIL_TYPES": "email", "WAILER_SMS_TYPES": "sms"}


@dataclass
class WailerEntry:
    key: str
    dotted: str | None  # None when the value is not a literal string
    path: str
    line: int
    node: Any


@dataclass
class WailerRegistry:
    entries: dict[str, WailerEntry] = field(default_factory=dict)
    complete: bool = True  # False when some part is not a literal: unknown keys are not reported


@fact
def wailer_registries(project: Any, project_settings: set[str], preset_blocks: dict[str, PresetBlock]) -> dict[str, WailerRegistry]:
    """{"email": …, "sms": …}: the keys registered in WAILER_EMAIL_TYPES / WAILER_SMS_TYPES,
    from dict literals, subscript assignments and ``.update({...})`` in the settings."""
    out = {"email": WailerRegistry(), "sms": WailerRegistry()}
    for path in sorted(project_settings):
        file = project.file(path)
        if file is None or not file.contains("WAILER_") or file.tree is None:
            continue
        for st in statements(file.tree, preset_blocks.get(path)):
            stmt = st.stmt
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name) and target.id in REGISTRIES:
                    _add_dict(file, out[REGISTRIES[target.id]], stmt.value)
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in REGISTRIES:
                    reg = out[REGISTRIES[target.value.id]]
                    key = literal(target.slice)
                    if isinstance(key, str):
                        _add(file, reg, key, stmt.value)
                    else:
                        reg.complete = False
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in REGISTRIES:
                _add_dict(file, out[REGISTRIES[stmt.target.id]], stmt.value)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name) \
                        and func.value.id in REGISTRIES:
                    reg = out[REGISTRIES[func.value.id]]
                    args = stmt.value.args
                    if len(args) == 1 and not stmt.value.keywords:
                        _add_dict(file, reg, args[0])
                    else:
                        reg.complete = False
    return out


def _add_dict(file: Any, reg: WailerRegistry, node: ast.expr) -> None:
    if not isinstance(node, ast.Dict):
        reg.complete = False
        return
    for key_node, value in zip(node.keys, node.values):
        key = literal(key_node) if key_node is not None else NOT_LITERAL
        if isinstance(key, str):
            _add(file, reg, key, value)
        else:
            reg.complete = False


def _add(file: Any, reg: WailerRegistry, key: str, value: ast.expr) -> None:
    dotted = literal(value)
    reg.entries[key] = WailerEntry(key, dotted if isinstance(dotted, str) else None, file.path, value.lineno, value)
