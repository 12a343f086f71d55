"""What the storage rules share: which backends count as S3-like, where settings set them."""

from __future__ import annotations

from typing import Iterator


from modelw_lint.lazy import cst
from modelw_lint.pysyntax import assigned_names, dict_items, literal, subscript_path

from ..settings._common import statements

S3_LIKE = (
    "storages.backends.s3boto3.", "storages.backends.s3.", "storages.backends.s3boto.",
    "storages.backends.gcloud.", "storages.backends.azure_storage.", "storages.backends.apache_libcloud.",
)


def is_s3_like(backend: str) -> bool:
    return backend.startswith(S3_LIKE)


def default_storage_backends(module: cst.Module, block) -> Iterator[tuple[cst.CSTNode, str, str]]:
    """(node, backend, setting) for every literal default-storage backend a settings module
    sets: ``DEFAULT_FILE_STORAGE``, ``STORAGES = {"default": {"BACKEND": …}}``,
    ``STORAGES["default"] = {…}`` and ``STORAGES["default"]["BACKEND"] = …``."""
    for st in statements(module, block):
        small = st.small
        for name, value in assigned_names(small):
            if name == "DEFAULT_FILE_STORAGE":
                backend = literal(value)
                if isinstance(backend, str):
                    yield value, backend, "DEFAULT_FILE_STORAGE"
            elif name == "STORAGES" and isinstance(value, cst.Dict):
                yield from _from_dict(value, [])
        if isinstance(small, cst.Assign):
            for target in small.targets:
                sub = subscript_path(target.target)
                if sub and sub[0] == "STORAGES" and sub[1]:
                    yield from _from_dict_or_value(small.value, sub[1])


def _from_dict_or_value(node, keys):
    """The default backend set by ``node`` at ``STORAGES[keys...]``."""
    if keys == ["default", "BACKEND"]:
        backend = literal(node)
        if isinstance(backend, str):
            yield node, backend, 'STORAGES["default"]["BACKEND"]'
    elif isinstance(node, cst.Dict):
        yield from _from_dict(node, keys)


def _from_dict(node: cst.Dict, keys: list):
    for more, value in dict_items(node):
        if [*keys, *more] == ["default", "BACKEND"]:
            yield from _from_dict_or_value(value, ["default", "BACKEND"])
