"""The engine is typed strictly and the pack normally (pyproject.toml's [tool.mypy]); mypy,
installed with the test extras, checks both as a contributor would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_mypy_passes(tmp_path):
    assert shutil.which("mypy", path=os.path.dirname(sys.executable)) or shutil.which("mypy"), "mypy is a test dependency"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "Success: no issues found" in proc.stdout


def test_mypy_sees_a_type_error(tmp_path):
    """The configuration checks something: a wrong type in a strict engine module is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from modelw_lint.core.finding import Finding\n\ndef f(x: Finding) -> int:\n    return x.message\n")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--strict", str(bad)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "MYPYPATH": os.path.join(REPO, "src")},
    )
    assert proc.returncode == 1, proc.stdout
    assert "Incompatible return value type" in proc.stdout
