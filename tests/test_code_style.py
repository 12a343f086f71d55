"""The code keeps the line length it configures for ruff (`[tool.ruff] line-length`), so a
reader never scrolls sideways; checked here so that CI holds it without ruff installed."""

from __future__ import annotations

import os
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ruff_settings() -> tuple[int, list[str]]:
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        ruff = tomllib.load(fh)["tool"]["ruff"]
    return ruff["line-length"], ruff.get("extend-exclude", [])


def long_lines(root: str, limit: int, excluded: list[str]) -> list[str]:
    out = []
    for folder in ("src", "rules", "tests", "benchmarks"):
        for dirpath, dirs, files in os.walk(os.path.join(root, folder)):
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            dirs[:] = [d for d in dirs if not d.startswith(".") and f"{rel_dir}/{d}" not in excluded and d not in excluded]
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as fh:
                    for number, line in enumerate(fh, 1):
                        if len(line.rstrip("\n")) > limit:
                            out.append(f"{os.path.relpath(path, root)}:{number}: {len(line.rstrip())} > {limit}")
    return out


def test_lines_stay_within_the_configured_length():
    limit, excluded = _ruff_settings()
    assert long_lines(REPO, limit, excluded) == []


def test_a_long_line_is_seen(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text("x = 1\n" + "y = '" + "a" * 200 + "'\n")
    assert long_lines(str(tmp_path), 140, []) == [f"src{os.sep}m.py:2: 206 > 140"]
