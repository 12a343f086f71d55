"""What the messaging rules share: Wailer's type registries as the settings declare them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


from modelw_lint.lazy import cst
from modelw_lint.pysyntax import NOT_LITERAL, literal

from ..settings._common import statements

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


def wailer_registries(project: Any, project_settings: set[str], preset_blocks: dict) -> dict[str, WailerRegistry]:
    """{"email": …, "sms": …}: the keys registered in WAILER_EMAIL_TYPES / WAILER_SMS_TYPES,
    from dict literals, subscript assignments and ``.update({...})`` in the settings."""
    out = {"email": WailerRegistry(), "sms": WailerRegistry()}
    for path in sorted(project_settings):
        file = project.file(path)
        if file is None or "WAILER_" not in (file.text or "") or file.parsed is None:
            continue
        for st in statements(file.parsed, preset_blocks.get(path)):
            small = st.small
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name) and target.value in REGISTRIES:
                    reg = out[REGISTRIES[target.value]]
                    _add_dict(file, reg, small.value)
                elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value in REGISTRIES:
                    reg = out[REGISTRIES[target.value.value]]
                    index = target.slice[0].slice if len(target.slice) == 1 else None
                    key = literal(index.value) if isinstance(index, cst.Index) else NOT_LITERAL
                    if isinstance(key, str):
                        _add(file, reg, key, small.value)
                    else:
                        reg.complete = False
            elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name) and small.target.value in REGISTRIES:
                _add_dict(file, out[REGISTRIES[small.target.value]], small.value)
            elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                if (
                    isinstance(func, cst.Attribute) and func.attr.value == "update"
                    and isinstance(func.value, cst.Name) and func.value.value in REGISTRIES
                ):
                    reg = out[REGISTRIES[func.value.value]]
                    args = small.value.args
                    if len(args) == 1 and args[0].keyword is None:
                        _add_dict(file, reg, args[0].value)
                    else:
                        reg.complete = False
    return out


def _add_dict(file: Any, reg: WailerRegistry, node: cst.BaseExpression) -> None:
    if not isinstance(node, cst.Dict):
        reg.complete = False
        return
    for el in node.elements:
        key = literal(el.key) if isinstance(el, cst.DictElement) else NOT_LITERAL
        if isinstance(key, str):
            _add(file, reg, key, el.value)
        else:
            reg.complete = False


def _add(file: Any, reg: WailerRegistry, key: str, value: cst.BaseExpression) -> None:
    dotted = literal(value)
    reg.entries[key] = WailerEntry(key, dotted if isinstance(dotted, str) else None, file.path, file.range_of(value)[0], value)
