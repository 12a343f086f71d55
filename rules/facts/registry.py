"""The pack's facts by name: each subject module (and each family that owns a fact) registers
its facts with :func:`fact`; ``rules/__init__.py`` hands :data:`FACTS` to the engine, which
injects them into rules by parameter name, computes each once per run and tracks what it read."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

FACTS: dict[str, Callable[..., Any]] = {}


def fact(func: F) -> F:
    """Register ``func`` as the fact named after it (a name may be registered once)."""
    if func.__name__ in FACTS and FACTS[func.__name__] is not func:
        raise ValueError(f"the fact {func.__name__!r} is registered twice ({FACTS[func.__name__].__module__} and {func.__module__})")
    FACTS[func.__name__] = func
    return func
