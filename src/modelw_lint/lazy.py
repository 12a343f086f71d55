"""Modules imported on first use: a run that parses no Python never imports libcst (~0.25 s)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """Stands for a module until one of its attributes is used."""

    def __init__(self, name: str):
        super().__init__(name)
        self.__dict__["_lazy_name"] = name
        self.__dict__["_lazy_module"] = None

    def _load(self) -> ModuleType:
        module = self.__dict__["_lazy_module"]
        if module is None:
            module = importlib.import_module(self.__dict__["_lazy_name"])
            self.__dict__["_lazy_module"] = module
        return module

    def __getattr__(self, item: str) -> Any:
        return getattr(self._load(), item)


cst: Any = LazyModule("libcst")
