"""The project's own pre-commit configuration (.pre-commit-config.yaml), run by pre-commit on a
copy of this working tree: it passes as the tree is, and each hook stops a commit that breaks
what it guards."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def tree_copy(target: Path) -> Path:
    """The files git tracks or would add (this working tree, uncommitted changes included), in a
    fresh repository with everything staged."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    return target


def run_hooks(root: Path, home: Path, *hooks: str) -> tuple[int, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")  # the system hooks' tools
    # import-linter reads the packages Python imports: in a development set-up the editable
    # install is this tree; here the copy's engine must come first.
    env["PYTHONPATH"] = str(root / "src")
    env.pop("GIT_DIR", None)
    out, code = "", 0
    for hook in hooks or ("",):
        proc = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", *([hook] if hook else []), "--all-files"],
            cwd=root, capture_output=True, text=True, env=env, timeout=900,
        )
        out += proc.stdout + proc.stderr
        code = code or proc.returncode
    return code, out


@pytest.mark.slow
def test_the_projects_own_hooks_pass_and_catch_what_they_guard(tmp_path):
    pytest.importorskip("pre_commit")
    root = tree_copy(tmp_path / "repo")
    home = tmp_path / "pre-commit-home"
    code, out = run_hooks(root, home)
    assert code == 0, out
    results = {line.split(" (", 1)[0]: line.rsplit(".", 1)[-1] for line in out.splitlines() if "...." in line}
    assert results == {"ruff": "Passed", "layer contracts": "Passed", "mypy": "Passed"}, out

    # The core layer importing the CLI breaks the layer contract; an unused import breaks ruff;
    # a call with the wrong type breaks mypy.
    core = root / "src/modelw_lint/core/finding.py"
    core.write_text(core.read_text() + "\nimport modelw_lint.cli  # noqa: E402,F401\n")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    code, out = run_hooks(root, home, "import-contracts")
    assert code == 1 and "BROKEN" in out, out

    core.write_text(core.read_text().replace("import modelw_lint.cli  # noqa: E402,F401\n", "import os.path  # noqa: E402\n"))
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    code, out = run_hooks(root, home, "ruff")
    assert code == 1 and "F401" in out, out

    core.write_text(core.read_text().replace("import os.path  # noqa: E402\n", "\n\ndef _typed(n: int) -> str:\n    return n\n"))
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    code, out = run_hooks(root, home, "mypy")
    assert code == 1 and "finding.py" in out and "Incompatible return value" in out, out
