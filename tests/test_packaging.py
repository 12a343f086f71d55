"""The Model W pack ships inside the wheel and is found through its entry point."""

import os
import tomllib
from importlib.metadata import distributions, entry_points

from conftest import REPO


def test_pack_is_registered_as_an_entry_point():
    [ep] = [ep for ep in entry_points(group="modelw_lint.rules") if ep.name == "modelw"]
    assert ep.value == "modelw_lint_rules:pack"
    pack = ep.load()
    assert pack.rules and pack.facts


def test_installed_distribution_holds_the_pack():
    import modelw_lint_rules

    module_file = os.path.realpath(modelw_lint_rules.__file__)
    rules_folder = os.path.realpath(os.path.join(REPO, "rules")) + os.sep
    if module_file.startswith(rules_folder):
        # An editable install (a developer's checkout) maps the package to rules/.
        assert module_file == os.path.realpath(os.path.join(REPO, "rules", "__init__.py"))
        return
    # A regular install (as .ci/run does): the pack comes from the wheel, not the checkout.
    holders = [
        d for d in distributions(name="modelw-lint")
        if any(str(f) == "modelw_lint_rules/settings/hardcoded_secret_key.py" for f in (d.files or ()))
    ]
    assert holders, "no installed modelw-lint distribution ships modelw_lint_rules"
    assert os.path.realpath(holders[0].locate_file("modelw_lint_rules/__init__.py")) == module_file


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


def test_the_import_paths_of_packs_written_for_0_1_still_work():
    """The engine moved into packages (core, lang, project, config, engine, fix, report, cli);
    the paths rule packs import keep working, as the very modules at their new place."""
    import importlib

    from modelw_lint import _MOVED

    for old, new in _MOVED.items():
        moved = importlib.import_module(f"modelw_lint.{old}")
        assert moved is importlib.import_module(f"modelw_lint.{new}"), old
        assert moved.__spec__.name == f"modelw_lint.{new}"
    from modelw_lint.pyast import ImportMap
    from modelw_lint.rule import FileRule

    assert ImportMap.__module__ == "modelw_lint.lang.pyast" and FileRule.__module__ == "modelw_lint.core.rule"


def _installed(folder, dist, text):
    info = folder / dist
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(text)


def test_packs_are_found_as_importlib_metadata_finds_them(tmp_path, monkeypatch):
    """modelw-lint reads entry points itself (importlib.metadata is slow to import): the same
    answer for this environment, for a team pack installed in a folder of sys.path, for the
    first of two installs of one distribution, and for an egg-info install."""
    import sys

    from modelw_lint.engine import entrypoints

    def ours(group):
        return sorted((e.name, e.value) for e in entrypoints.entry_points(group))

    def standard(group):
        return sorted((e.name, e.value) for e in entry_points(group=group))

    for group in ("modelw_lint.rules", "console_scripts", "pytest11"):
        assert ours(group) == standard(group)
    first, second = tmp_path / "first", tmp_path / "second"
    _installed(
        first, "acme_pack-1.0.dist-info", "[modelw_lint.rules]\nacme = acme_pack:pack\n\n[console_scripts]\nacme = acme_pack.cli:main\n",
    )
    _installed(second, "Acme.Pack-0.9.dist-info", "[modelw_lint.rules]\nacme = acme_old:pack\n")
    _installed(second, "legacy_pack.egg-info", "# an old install\n[modelw_lint.rules]\nlegacy = legacy_pack.rules:PACK [extra]\n")
    monkeypatch.setattr(sys, "path", [str(first), str(second), *sys.path])
    assert ours("modelw_lint.rules") == standard("modelw_lint.rules")
    assert ("acme", "acme_pack:pack") in ours("modelw_lint.rules") and ("acme", "acme_old:pack") not in ours("modelw_lint.rules")
    assert ("legacy", "legacy_pack.rules:PACK [extra]") in ours("modelw_lint.rules")
    (first / "legacy_pack").mkdir()
    (first / "legacy_pack" / "__init__.py").write_text("")
    (first / "legacy_pack" / "rules.py").write_text("PACK = 'the pack object'\n")
    [legacy] = [e for e in entrypoints.entry_points("modelw_lint.rules") if e.name == "legacy"]
    assert legacy.load() == "the pack object"


def test_a_pack_committed_in_the_current_directory_is_not_loaded(tmp_path, monkeypatch):
    """`python -m modelw_lint` run inside a repository puts it first on sys.path: a pack the
    repository commits as a dist-info must not be found there (its code would run), whether
    the folders are read directly or through importlib.metadata (a zip file on sys.path)."""
    import sys
    import zipfile

    from modelw_lint.engine import entrypoints

    repo = tmp_path / "repo"
    _installed(repo, "evil-1.0.dist-info", "[modelw_lint.rules]\nevil = evil:pack\n")
    (repo / "evil-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    monkeypatch.chdir(repo)
    for entry in (str(repo), ""):
        monkeypatch.setattr(sys, "path", [entry, *sys.path])
        assert "evil" not in {e.name for e in entrypoints.entry_points("modelw_lint.rules")}
        archive = tmp_path / "lib.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("placeholder.txt", "")
        monkeypatch.setattr(sys, "path", [entry, str(archive), *sys.path])
        found = {e.name for e in entrypoints.entry_points("modelw_lint.rules")}
        assert "evil" not in found and "modelw" in found
