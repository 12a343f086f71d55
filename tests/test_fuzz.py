"""Fuzzing the bundled fixtures: damaged files never crash a run or produce a finding that
points nowhere.

Each example copies a fixture repository, damages one to three of its files (truncated,
bytes flipped, nesting deepened, YAML anchors and aliases injected, binary junk, another
encoding, odd line breaks) and runs ``check`` (and ``--diff``) in process. Whatever the damage:
no exception escapes, no internal error is reported, the exit code is 0, 1 or 2 as documented,
and every finding names a path of the repository with a line inside that file.

Bounded for ``.ci/run`` (a few dozen examples); ``pytest --slow`` runs many more.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from conftest import FIXTURES, cli_runner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelw_lint.cli import main

FIXTURE_NAMES = sorted(n for n in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, n)))


def _files(name: str) -> list[str]:
    """The fixture's files, but its configuration: a damaged config is exit 2 by design."""
    out = []
    base = os.path.join(FIXTURES, name)
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if d != ".modelw-lint-cache"]
        out.extend(os.path.relpath(os.path.join(folder, f), base) for f in files if f != ".modelw-lint.toml")
    return sorted(out)


FILES = {name: _files(name) for name in FIXTURE_NAMES}


def truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def flip(data: bytes, draw) -> bytes:
    if not data:
        return b"\xff"
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


def deepen(data: bytes, draw) -> bytes:
    depth = draw(st.sampled_from([50, 250, 1200, 4000]))
    opener, closer = draw(st.sampled_from([(b"(", b")"), (b"[", b"]"), (b"{", b"}"), (b"-", b""), (b"not ", b"")]))
    at = draw(st.integers(0, len(data)))
    return data[:at] + b"\nx = " + opener * depth + b"1" + closer * depth + b"\n" + data[at:]


def yaml_bomb(data: bytes, draw) -> bytes:
    levels = draw(st.integers(2, 9))
    lines = [b'x-a: &a ["amqp://r//", "postgres://u:p@h/d", "l"]']
    names = b"abcdefghij"
    for i in range(1, levels):
        lines.append(b"x-%s: &%s [" % (names[i : i + 1], names[i : i + 1]) + b",".join([b"*" + names[i - 1 : i]] * 9) + b"]")
    lines.append(b"x-merged:\n  <<: *a\n  more: *" + names[levels - 1 : levels])
    return b"\n".join(lines) + b"\n" + data


def junk(data: bytes, draw) -> bytes:
    return draw(st.binary(min_size=1, max_size=300))


def reencode(data: bytes, draw) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, "replace")


def line_breaks(data: bytes, draw) -> bytes:
    text = data.decode("utf-8", "replace")
    style = draw(st.sampled_from(["\r", "\r\n", "\u2028", "\x0c", "\x85"]))
    return text.replace("\n", style).encode("utf-8")


def inject(data: bytes, draw) -> bytes:
    snippet = draw(st.text(alphabet=st.sampled_from(list("()[]{}:=,'\"#\\ \n\t-*&!|>%@ab1")), max_size=60))
    at = draw(st.integers(0, len(data)))
    return data[:at] + snippet.encode("utf-8") + data[at:]


MUTATIONS = [truncate, flip, deepen, yaml_bomb, junk, reencode, line_breaks, inject]


@st.composite
def damaged_repository(draw):
    name = draw(st.sampled_from(FIXTURE_NAMES))
    targets = draw(st.lists(st.sampled_from(FILES[name]), min_size=1, max_size=3, unique=True))
    damage = {}
    for path in targets:
        mutation = draw(st.sampled_from(MUTATIONS))
        with open(os.path.join(FIXTURES, name, path), "rb") as fh:
            damage[path] = mutation(fh.read(), draw)
    return name, damage


def _line_count(data: bytes) -> int:
    """An upper bound of the lines of a file, whatever counts as a line break for its parser."""
    text = data.decode("utf-8", "replace")
    return 1 + sum(text.count(c) for c in ("\n", "\r", "\x85", "\u2028", "\u2029"))


def _check_invariants(root, args):
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json", "--no-cache", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output  # damage is a finding, never an error
    if "--diff" in args:
        return
    data = json.loads(result.stdout)
    assert data["errors"] == []
    for f in data["findings"]:
        full = os.path.join(root, *f["path"].split("/"))
        assert os.path.lexists(full), f
        if os.path.isfile(full):
            with open(full, "rb") as fh:
                assert 1 <= f["line"] <= _line_count(fh.read()), f
        assert 1 <= f["line"] <= f["end_line"] or f["end_line"] == f["line"], f


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=damaged_repository())
def test_damaged_fixtures_never_crash(tmp_path_factory, case):
    name, damage = case
    root = tmp_path_factory.mktemp("fuzz") / name
    shutil.copytree(os.path.join(FIXTURES, name), root, ignore=shutil.ignore_patterns(".modelw-lint-cache"))
    for path, data in damage.items():
        with open(os.path.join(root, path), "wb") as fh:
            fh.write(data)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    _check_invariants(root, [])
    _check_invariants(root, ["--diff", "--unsafe-fixes"])
