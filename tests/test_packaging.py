"""The Model W pack ships inside the wheel and is found through its entry point."""

import json
import os
import tomllib
from importlib.metadata import distribution, entry_points

from conftest import REPO


def test_pack_is_registered_as_an_entry_point():
    [ep] = [ep for ep in entry_points(group="modelw_lint.rules") if ep.name == "modelw"]
    assert ep.value == "modelw_lint_rules:pack"
    pack = ep.load()
    assert pack.rules and pack.facts


def test_installed_distribution_holds_the_pack():
    dist = distribution("modelw-lint")
    direct = dist.read_text("direct_url.json")
    editable = bool(direct and json.loads(direct).get("dir_info", {}).get("editable"))
    import modelw_lint_rules

    if editable:
        assert os.path.dirname(modelw_lint_rules.__file__) == os.path.join(REPO, "rules")
    else:
        # A regular install (as .ci/run does): the pack's files come from the wheel, not the checkout.
        files = {str(f) for f in dist.files}
        assert "modelw_lint_rules/__init__.py" in files
        assert "modelw_lint_rules/settings/hardcoded_secret_key.py" in files
        assert not modelw_lint_rules.__file__.startswith(os.path.join(REPO, "rules"))


def test_every_package_folder_is_listed_in_pyproject():
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        listed = set(tomllib.load(fh)["tool"]["setuptools"]["packages"])
    found = set()
    for base, name in (("src/modelw_lint", "modelw_lint"), ("rules", "modelw_lint_rules")):
        for folder, _dirs, files in os.walk(os.path.join(REPO, base)):
            if "__init__.py" in files and "__pycache__" not in folder:
                rel = os.path.relpath(folder, os.path.join(REPO, base))
                found.add(name if rel == "." else f"{name}.{rel.replace(os.sep, '.')}")
    assert found == listed
