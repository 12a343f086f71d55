"""The engine on its own: inventory, root, parse-once, needles, suppressions, selection, packs."""

import json
import os

import pytest
from conftest import REPO, cli_runner

from modelw_lint import Edit, Example, FileRule, FixSafety, Pack, RepoRule, Severity
from modelw_lint.project import files as files_module
from modelw_lint.cli import main
from modelw_lint.config import Config, ConfigError
from modelw_lint.engine.linter import Linter
from modelw_lint.fix.fixloop import fix
from modelw_lint.project.inventory import find_root, list_files
from modelw_lint.engine.packs import Registry, load_packs
from modelw_lint.testing import git_add_all, write_files

# -- a tiny pack of its own, to test the engine without Model W -------------------------------


class TodoRule(FileRule):
    """
    ## What it does
    Flags TODO comments.
    ## Why it matters
    x
    ## Example
    x
    ## Use instead
    x
    ## Fix safety
    Safe: replaces TODO with DONE.
    ## References
    x
    """

    code = "TST001"
    name = "todo"
    family = "test"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    kinds = ("python", "yaml")
    needles = ("TODO",)
    fires = [Example.file("a.py", "# TODO\n")]
    silent = [Example.file("a.py", "# done\n")]

    def check_file(self, file):
        text = file.text
        start = 0
        while (i := text.find("TODO", start)) >= 0:
            line = file.line_of(i)
            yield self.finding(file.path, "a TODO", line, 1, fix=self.make_fix("mark done", [Edit(file.path, i, i + 4, "DONE")]))
            start = i + 4


class BrokenFixRule(FileRule):
    """## What it does\nx"""

    code = "TST002"
    name = "broken-fix"
    family = "test"
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("BREAK_ME",)

    def check_file(self, file):
        i = file.text.index("BREAK_ME")
        yield self.finding(file.path, "break", file.line_of(i), fix=self.make_fix("breaks the file", [Edit(file.path, i, i, "(((")]))


class MissingFolderRule(RepoRule):
    """## What it does\nx"""

    code = "TST003"
    name = "missing-docs"
    family = "test"
    reads = ("docs/*",)

    def check(self, project, python_count):
        if not project.dir_exists("docs"):
            yield self.repo_finding("README.md", f"no docs/ folder ({python_count} Python files)", "the root README")


def python_count(project):
    return sum(1 for _ in project.files("python"))


TEST_REGISTRY = Registry([Pack("test", [TodoRule, BrokenFixRule, MissingFolderRule], {"python_count": python_count})])


def lint(root, **config):
    return Linter(str(root), Config(**config), TEST_REGISTRY)


# -- root and inventory -----------------------------------------------------------------------


def test_root_is_the_git_top_else_the_outermost_config(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    assert find_root(str(tmp_path / "sub" / "deeper")) == str(tmp_path / "sub" / "deeper")
    (tmp_path / "sub" / ".modelw-lint.toml").write_text("")
    assert find_root(str(tmp_path / "sub" / "deeper")) == str(tmp_path / "sub")
    (tmp_path / "pyproject.toml").write_text("[tool.modelw-lint]\n")
    assert find_root(str(tmp_path / "sub" / "deeper")) == str(tmp_path)  # the outermost config
    (tmp_path / "sub" / ".git").mkdir()
    assert find_root(str(tmp_path / "sub" / "deeper")) == str(tmp_path / "sub")  # a work tree's top wins
    assert find_root(str(tmp_path / "sub" / "deeper" / "x.py")) == str(tmp_path / "sub")


def test_walk_honours_gitignore_and_skips(tmp_path):
    write_files(str(tmp_path), {
        ".gitignore": "*.log\n/build_out/\n",
        "a.py": "", "debug.log": "", "build_out/x.py": "",
        "pkg/.gitignore": "secret.py\n", "pkg/secret.py": "", "pkg/ok.py": "",
        "node_modules/x/index.js": "", ".venv/lib/x.py": "", "env2/pyvenv.cfg": "", "env2/lib/y.py": "",
        "front/.svelte-kit/out.js": "", "__pycache__/a.pyc": "",
    })
    inv = list_files(str(tmp_path))
    assert not inv.git
    assert sorted(inv.files) == [".gitignore", "a.py", "pkg/.gitignore", "pkg/ok.py"]


def test_walk_does_not_follow_directory_symlinks(tmp_path):
    write_files(str(tmp_path), {"real/a.py": ""})
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path, tmp_path / "real" / "loop")
    assert sorted(list_files(str(tmp_path)).files) == ["real/a.py"]


def test_git_inventory_has_untracked_not_ignored_and_tracked_flags(tmp_path):
    write_files(str(tmp_path), {".gitignore": "ignored.py\n", "tracked.py": "", "ignored.py": "", "node_modules/m.js": ""})
    git_add_all(str(tmp_path))
    write_files(str(tmp_path), {"untracked.py": ""})
    inv = list_files(str(tmp_path))
    assert inv.git
    assert inv.files == {".gitignore": True, "tracked.py": True, "untracked.py": False}


def test_git_inventory_of_a_subfolder(tmp_path):
    write_files(str(tmp_path), {"outer.py": "", "sub/.modelw-lint.toml": "", "sub/inner.py": ""})
    git_add_all(str(tmp_path))
    assert sorted(list_files(str(tmp_path / "sub")).files) == [".modelw-lint.toml", "inner.py"]


def test_deleted_but_staged_files_are_skipped(tmp_path):
    write_files(str(tmp_path), {"a.py": "", "b.py": ""})
    git_add_all(str(tmp_path))
    (tmp_path / "b.py").unlink()
    assert list(list_files(str(tmp_path)).files) == ["a.py"]


# -- parse once, needles, facts ----------------------------------------------------------------


def test_each_file_parsed_at_most_once_and_only_with_a_needle(tmp_path, monkeypatch):
    write_files(str(tmp_path), {"a.py": "# TODO\nx = 1  # TODO again\n", "b.py": "x = 1\n", "c.yaml": "a: 1  # TODO\n"})
    from modelw_lint.lang import pyguard

    parsed = []
    real = files_module.parse_text
    real_python = pyguard.parse
    monkeypatch.setattr(files_module, "parse_text", lambda kind, text: parsed.append(kind) or real(kind, text))
    monkeypatch.setattr(pyguard, "parse", lambda text: parsed.append("python") or real_python(text))
    result = lint(tmp_path, select=["TST001", "TST003"]).run()
    assert sorted(parsed) == ["python", "yaml"]  # b.py has no needle: never parsed
    assert [(f.path, f.line) for f in result.findings if f.code == "TST001"] == [("a.py", 1), ("a.py", 2), ("c.yaml", 1)]


def test_facts_are_injected_and_computed_once(tmp_path, monkeypatch):
    calls = []
    registry = Registry([Pack("t", [MissingFolderRule], {"python_count": lambda project: calls.append(1) or 7})])
    write_files(str(tmp_path), {"README.md": "x"})
    result = Linter(str(tmp_path), Config(), registry).run()
    [f] = [f for f in result.findings if f.code == "TST003"]
    assert f.message == "no docs/ folder (7 Python files) (reported on README.md: the root README)"
    assert f.repo_level and calls == [1]


def test_a_rule_scope_is_computed_only_when_a_file_of_its_kinds_is_checked(tmp_path):
    # A hook run on Python files must not pay for a Dockerfile rule's scope (it may parse
    # every compose file of the repository to compute it).
    class DockerRule(FileRule):
        """## What it does\nx"""

        code = "TST010"
        name = "docker-rule"
        family = "test"
        kinds = ("dockerfile",)
        scope = "app_images"

        def check_file(self, file):
            yield self.finding(file.path, "an image")

    calls = []
    registry = Registry([Pack("t", [DockerRule, TodoRule], {"app_images": lambda project: calls.append(1) or {"Dockerfile"}})])
    write_files(str(tmp_path), {"a.py": "# TODO\n", "Dockerfile": "FROM python:3.14\n"})
    linter = Linter(str(tmp_path), Config(), registry)
    result = linter.run(only_paths={"a.py"}, changed={"a.py"})
    assert [f.code for f in result.findings] == ["TST001"] and calls == []
    result = Linter(str(tmp_path), Config(), registry).run(only_paths={"a.py", "Dockerfile"}, changed={"a.py", "Dockerfile"})
    assert sorted(f.code for f in result.findings) == ["TST001", "TST010"] and calls == [1]


def test_a_crashing_rule_is_an_internal_error_not_a_traceback(tmp_path):
    class Crash(RepoRule):
        """## What it does\nx"""

        code = "TST009"
        name = "crash"
        family = "test"

        def check(self, project):
            raise KeyError("boom")

    write_files(str(tmp_path), {"a.py": "# TODO\n"})
    result = Linter(str(tmp_path), Config(), Registry([Pack("t", [Crash, TodoRule])])).run()
    assert len(result.errors) == 1 and "TST009" in result.errors[0] and "KeyError" in result.errors[0]
    assert [f.code for f in result.findings] == ["TST001"]


# -- suppressions ------------------------------------------------------------------------------


def test_suppressions_same_line_line_above_and_unused(tmp_path):
    write_files(str(tmp_path), {"a.py": (
        "x = 1  # TODO  # modelw-lint: ignore[TST001]\n"
        "# modelw-lint: ignore[TST001]\n"
        "y = 2  # TODO\n"
        "z = 3  # TODO  # noqa: E501, TST001\n"
        "w = 4  # TODO  # noqa: E501\n"
        "v = 5  # modelw-lint: ignore[TST001]\n"
        "u = 6  # noqa: TST999\n"
        "t = 7  # TODO # modelw-lint: ignore\n"
    )})
    result = lint(tmp_path, select=["TST001", "MW003"]).run()
    got = [(f.code, f.line, f.message) for f in result.findings]
    assert ("TST001", 5, "a TODO") in got
    assert [c for c, line, _ in got if c == "TST001"] == ["TST001"]
    unused = [(line, m) for c, line, m in got if c == "MW003"]
    assert unused == [(6, "unused suppression: no TST001 finding on this line"), (7, "unused suppression: unknown code TST999")]


def test_suppressions_are_read_whatever_their_case(tmp_path):
    write_files(str(tmp_path), {"a.py": (
        "x = 1  # TODO  # NOQA:TST001\n"
        "y = 2  # TODO  # modelw-lint: ignore[tst001]\n"
        "z = 3  # TODO  # Modelw-Lint: IGNORE\n"
        "w = 4  # TODO  # noqa: e501\n"
    )})
    got = [(f.code, f.line) for f in lint(tmp_path, select=["TST001", "MW003"]).run().findings]
    assert got == [("TST001", 4)]


def test_an_own_line_suppression_says_it_applies_to_the_next_line(tmp_path):
    write_files(str(tmp_path), {"a.py": "# modelw-lint: ignore[TST001]\nx = 1\n\n# modelw-lint: ignore\ny = 2\n"})
    got = [(f.line, f.message) for f in lint(tmp_path, select=["TST001", "MW003"]).run().findings]
    assert got == [
        (1, "unused suppression: no TST001 finding on the next line (2)"),
        (4, "unused suppression: no finding on the next line (5)"),
    ]


def test_file_level_suppressions(tmp_path):
    write_files(str(tmp_path), {
        "all.py": '"""Generated."""\n# modelw-lint: noqa\nx = 1  # TODO\ny = 2  # TODO\n',
        "some.py": "# modelw-lint: noqa: TST001\nx = 1  # TODO\n",
        "other.py": "# modelw-lint: noqa: E501\nx = 1  # TODO\n",  # not our code: not a directive
        "inline.py": "x = 1  # TODO  # modelw-lint: noqa\n",  # not alone: not file-level
        "unused.py": "# modelw-lint: noqa: TST001\nx = 1\n",
        "c.yaml": "# modelw-lint: noqa\na: 1  # TODO\n",
    })
    got = sorted((f.path, f.code, f.message) for f in lint(tmp_path, select=["TST001", "MW003"]).run().findings)
    assert got == [
        ("inline.py", "TST001", "a TODO"),
        ("other.py", "TST001", "a TODO"),
        ("unused.py", "MW003", "unused suppression: no TST001 finding in this file"),
    ]


def test_suppression_in_yaml(tmp_path):
    write_files(str(tmp_path), {"c.yaml": "# modelw-lint: ignore[TST001]\na: 1  # TODO\n"})
    assert lint(tmp_path, select=["TST001"]).run().findings == []


# -- selection ---------------------------------------------------------------------------------


def test_selection_specificity(tmp_path):
    linter = Linter(str(tmp_path), Config(select=["test"], ignore=["TST00"]), TEST_REGISTRY)
    assert linter.enabled == []
    linter = Linter(str(tmp_path), Config(select=["TST001"], ignore=["test"]), TEST_REGISTRY)
    assert [r.code for r in linter.enabled] == ["TST001"]


def test_unknown_selector_in_config(tmp_path):
    with pytest.raises(ConfigError, match="unknown rule code or family 'NOPE'"):
        Linter(str(tmp_path), Config(source="x.toml", ignore=["NOPE"]), TEST_REGISTRY)


# -- fixes -------------------------------------------------------------------------------------


def test_fix_loop_atomic_write_keeps_mode(tmp_path):
    write_files(str(tmp_path), {"a.py": "# TODO TODO\n"})
    os.chmod(tmp_path / "a.py", 0o751)
    linter = lint(tmp_path, select=["TST001"])
    fixed = fix(linter)
    assert fixed.changes["a.py"][1] == "# DONE DONE\n"
    from modelw_lint.project.safeio import write_atomic

    write_atomic(str(tmp_path), "a.py", fixed.changes["a.py"][1])
    assert (tmp_path / "a.py").read_text() == "# DONE DONE\n"
    assert oct(os.stat(tmp_path / "a.py").st_mode & 0o777) == oct(0o751)
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []
    assert fix(lint(tmp_path, select=["TST001"])).changes == {}


def test_fix_that_breaks_the_file_is_reverted_and_reported(tmp_path):
    write_files(str(tmp_path), {"a.py": "x = 1  # TODO\nBREAK_ME = 2\n"})
    result = fix(lint(tmp_path))
    assert result.changes == {"a.py": ("x = 1  # TODO\nBREAK_ME = 2\n", "x = 1  # DONE\nBREAK_ME = 2\n")}
    codes = [f.code for f in result.findings]
    assert "MW004" in codes and "TST002" in codes
    [mw004] = [f for f in result.findings if f.code == "MW004"]
    assert "TST002" in mw004.message and "not applied" in mw004.message


def test_write_through_symlink_keeps_the_link(tmp_path):
    from modelw_lint.project.safeio import write_atomic

    write_files(str(tmp_path), {"real.py": "a\n"})
    os.symlink("real.py", tmp_path / "link.py")
    write_atomic(str(tmp_path), "link.py", "b\n")
    assert os.path.islink(tmp_path / "link.py") and (tmp_path / "real.py").read_text() == "b\n"


# -- packs -------------------------------------------------------------------------------------


LOCAL_PACK = '''
import pathlib

from modelw_lint import FileRule, Severity

pathlib.Path(MARKER).write_text("imported")  # proves the repository's code ran


class NoPrint(FileRule):
    """## What it does\\nNo print() in the API."""

    code = "ACME001"
    name = "no-print"
    family = "acme"
    severity = Severity.WARNING
    needles = ("print(",)

    def check_file(self, file):
        for number, line in enumerate(file.text.splitlines(), 1):
            if "print(" in line:
                yield self.finding(file.path, "print() in project code", number)
'''.lstrip()


def _repo_with_local_pack(fixture_copy, tmp_path, package):
    root = fixture_copy("compliant")
    marker = tmp_path / f"{package}-imported"
    write_files(str(root), {
        f"{package}/__init__.py": "",
        f"{package}/no_print.py": LOCAL_PACK.replace("MARKER", repr(str(marker))),
        "api/acme/apps/people/debug.py": "print('hi')\n",
        ".modelw-lint.toml": f'extend-exclude = ["{package}/"]\npacks = ["{package}.no_print"]\n',
    })
    return root, marker


def test_local_pack_is_not_imported_without_trust(tmp_path, fixture_copy):
    root, marker = _repo_with_local_pack(fixture_copy, tmp_path, "lint_rules_untrusted")
    for args in (["check"], ["check", "--hook", "api/acme/apps/people/debug.py"], ["check", "--diff"], ["baseline"]):
        old = os.getcwd()
        os.chdir(root)
        try:
            result = cli_runner().invoke(main, [*args, "--format", "json"] if args == ["check"] else args)
        finally:
            os.chdir(old)
        assert result.exit_code in (0, 1), result.output
        assert not marker.exists(), f"{args}: the repository's pack was imported"
    data = json.loads(cli_runner().invoke(main, ["check", str(root), "--format", "json"]).stdout)
    [finding] = data["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == ("MW006", ".modelw-lint.toml", 2)
    assert "--local-packs" in finding["message"] and "lint_rules_untrusted.no_print" in finding["message"]


def test_local_pack_from_config_with_trust(tmp_path, fixture_copy):
    root, marker = _repo_with_local_pack(fixture_copy, tmp_path, "lint_rules_trusted")
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json", "--local-packs"])
    data = json.loads(result.stdout)
    assert [(f["code"], f["path"]) for f in data["findings"]] == [("ACME001", "api/acme/apps/people/debug.py")]
    assert result.exit_code == 1 and marker.exists()


def test_local_packs_trusted_by_environment(tmp_path, fixture_copy):
    root, marker = _repo_with_local_pack(fixture_copy, tmp_path, "lint_rules_env")
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json"], env={"MODELW_LINT_LOCAL_PACKS": "1"})
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ACME001"] and marker.exists()


def test_missing_local_pack_is_exit_2(tmp_path):
    (tmp_path / ".modelw-lint.toml").write_text('packs = ["nowhere.rules"]\n')
    result = cli_runner().invoke(main, ["check", str(tmp_path), "--local-packs"])
    assert result.exit_code == 2 and "cannot import local rule pack 'nowhere.rules'" in result.output


def test_entry_point_pack_is_found():
    registry = Registry(load_packs())
    assert "MW201" in registry.rules and "settings_modules" in registry.facts


def test_suppression_syntax_in_a_python_string_is_not_a_suppression(tmp_path):
    write_files(str(tmp_path), {"a.py": 'DOC = """write # modelw-lint: ignore[TST001] to silence"""\nx = 1  # TODO\n'})
    result = lint(tmp_path, select=["TST001", "MW003"]).run()
    assert [(f.code, f.line) for f in result.findings] == [("TST001", 2)]


# -- the rules' `reads` globs ------------------------------------------------------------------


def _sample_paths():
    paths = set()
    for base in ("fixtures", os.path.join("tests", "corpus")):
        top = os.path.join(REPO, base)
        for folder, _dirs, files in os.walk(top):
            for name in files:
                rel = os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/")
                paths.add(rel)
                paths.add(rel.split("/", 1)[1] if "/" in rel else rel)
    paths |= {
        "Dogefile", "deploy/Dogefile", "requirements.txt", "requirements-dev.txt", "api/requirements/base.txt",
        "api/requirements/prod.in", "a/b/c/pyproject.toml", ".do/app.yaml", "x/.do/app.yaml", ".env", "api/.env.local",
        "compose/production/django/Dockerfile", "docker-compose.override.yml", "api/settings/prod.py", "settings/x.py",
        "a/settings/b/c.py", "snow.yml", "api/snow.yml", "package.json", "front/package.json", "a/b/package.json",
    }
    return sorted(paths)


def test_reads_globs_match_as_gitignore_does(registry):
    """The engine matches `reads` without pathspec (on the hook's hot path): the same answers
    as pathspec's GitIgnoreSpec for every rule's globs and a few made-up ones."""
    import pathspec

    from modelw_lint.lang.globs import ReadsMatcher

    pattern_sets = {tuple(r.reads) for r in registry.sorted_rules() if getattr(r, "reads", None)}
    pattern_sets |= {("docs/",), ("a/**",), ("**/b",), ("c?.py",), ("[ab]*.toml",), ("/top.txt",)}
    paths = _sample_paths() + ["docs/x.md", "a/b/c", "x/b", "c1.py", "a.toml", "top.txt", "sub/top.txt"]
    assert len(pattern_sets) > 20 and len(paths) > 300
    for patterns in pattern_sets:
        ours, theirs = ReadsMatcher(patterns), pathspec.GitIgnoreSpec.from_lines(patterns)
        wrong = [p for p in paths if ours.match_file(p) != theirs.match_file(p)]
        assert wrong == [], (patterns, wrong[:5])


# -- the rule contract -------------------------------------------------------------------------


def _rule(fix_safety=None, fix_text="No fix: a person decides what to do here.", fixed=False, module=None, extra=""):
    from modelw_lint.core.finding import FixSafety as FS

    doc = f"""
    ## What it does
    Reports things.

    ## Why it matters
    Because.

    ## Example
    x

    ## Use instead
    y

    ## Fix safety
    {fix_text}
    {extra}
    ## References
    - here
    """
    attrs = {
        "__doc__": doc, "code": "TST900", "name": "some-rule", "family": "test",
        "fix_safety": {None: None, "safe": FS.SAFE, "unsafe": FS.UNSAFE}[fix_safety],
        "fires": [Example.file("a.py", "x = 1\n", fixed="x = 2\n" if fixed else None)],
        "silent": [Example.file("a.py", "y = 1\n")],
        "__module__": module or "pack.test.some_rule",
    }
    return type("SomeRule", (FileRule,), attrs)


def test_the_rule_contract_is_checked():
    assert _rule().metadata_problems() == []
    assert _rule("unsafe", "Unsafe: it may change what runs; no edit when it cannot be complete.", fixed=True).metadata_problems() == []
    assert _rule("unsafe", "Unsafe: it may change what runs.", fixed=True).metadata_problems() == [
        '"Fix safety" of an unsafe fix does not say when it is not offered ("no edit when …")',
    ]
    assert _rule(fix_text="No fix.").metadata_problems() == ['"Fix safety" says "No fix" without why ("No fix: <why>")']
    assert _rule(fixed=True).metadata_problems() == ["an example shows a fix (fixed=…) but fix_safety is None"]
    assert _rule("safe", "Safe: nothing changes.").metadata_problems() == [
        "a rule with a fix has no example showing it (Example(..., fixed=…))",
    ]
    assert _rule("unsafe", "Safe: nothing changes; no edit otherwise.", fixed=True).metadata_problems() == [
        '"Fix safety" does not say why the fix is unsafe',
    ]
    assert _rule("safe", "No fix: really.", fixed=True).metadata_problems()[0] == 'fix_safety is safe but "Fix safety" says "No fix"'
    assert _rule(module="pack.test.other_name").metadata_problems() == [
        "the module is other_name.py, not some_rule.py (one rule per module, named for it)",
    ]
    assert _rule(extra="\n    ## Known limits\n    Only one file.\n").metadata_problems() == []
    assert "unknown docs section '## Caveats'" in _rule(extra="\n    ## Caveats\n    Hm.\n").metadata_problems()[0]


def test_paths_a_listing_refuses_or_skips():
    """What git lists is checked in string operations: paths leaving the root, and folders
    never checked, whatever their depth."""
    from modelw_lint.project.inventory import _in_skipped_folder, _unsafe_path

    for bad in ("/etc/passwd", "a//b.py", "a/./b.py", "../x.py", "a/../../x.py", "a/b/..", ".", "..", "", "a\\b.py", "a/"):
        assert _unsafe_path(bad) is not None, bad
    for good in ("a.py", "a/b.py", ".env", "a/.hidden/b.py", "a/..b/c.py", "a/b../c.py", "..a", "a/..."):
        assert _unsafe_path(good) is None, good
    for skipped in ("node_modules/x.js", "a/node_modules/b/c.js", "x/.venv/lib/y.py", "pkg.egg-info/PKG-INFO", "a/b.egg-info/c"):
        assert _in_skipped_folder(skipped), skipped
    for kept in ("node_modules", "a/node_modules.py", "a/build.py", "x.egg-info", "a/my_node_modules/b.js", "dist.txt"):
        assert not _in_skipped_folder(kept), kept
