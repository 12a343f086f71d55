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


# -- hostile file names and the parsers' worst cases (issue 21) ---------------------------------

# What a file name may hold that a report must not pass on raw.
HOSTILE_CHARS = st.sampled_from(["\n", "\r", "\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2028", "<", ">", "&", "|", "`",
                                 "%", ":", ",", '"', "'", "\\", "::warning::", "No findings.", "<script>", "é", " "])
HOSTILE_NAME = st.lists(st.one_of(HOSTILE_CHARS, st.text(alphabet="abc-_.", min_size=1, max_size=3)), min_size=1, max_size=8).map(
    lambda parts: "".join(parts).replace("/", "_").strip(". ") or "x"
)


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=HOSTILE_NAME)
def test_hostile_file_names_are_escaped_in_every_format(tmp_path_factory, name):
    import xml.etree.ElementTree as ET

    from modelw_lint_rules._examples import model_w_repo

    from modelw_lint.testing import write_files

    root = tmp_path_factory.mktemp("names")
    files = model_w_repo()
    files[f"api/acme/{name}/mailer.py"] = "from django.core.mail import send_mail\n\nsend_mail('\x1b[2J', '', None, ['a@b.c'])\n"
    write_files(str(root), files)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    for fmt in ("text", "concise", "github", "markdown", "junit", "json", "sarif", "gitlab"):
        result = cli_runner().invoke(main, ["check", str(root), "--output-format", fmt, "--no-cache"])
        assert result.exit_code == 1, (fmt, result.output)
        out = result.stdout
        assert not any(c in out for c in "\x1b\x07\x9b\u202e\u2066\u2028"), (fmt, out[:500])
        lines = out.splitlines()
        assert "No findings." not in lines
        assert not any(line.startswith("::warning::") for line in lines)
        if fmt == "junit":
            ET.fromstring(out)
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)


@settings(deadline=None, max_examples=40)
@given(pieces=st.lists(st.sampled_from([
    " ", "\t", "\n", "=", ":", "'", '"', "{", "}", "{{", "${", "${A:-", "#", "-k ", "--worker-class=", "location ", "=",
    "celery ", "worker ", "https://api.", "a", "Z_", "DJANGO_SETTINGS_MODULE", "from ", "proxy: {", ",", "&&", "||",
]), min_size=1, max_size=12), repeat=st.integers(min_value=500, max_value=3000))
def test_parsers_stay_fast_on_any_mix_of_their_worst_pieces(pieces, repeat):
    """Every hand-written parser and pattern on a repetition of pieces that made some of them
    backtrack (tests/test_linear_time.py holds each worst case at 100 kB)."""
    import time

    from modelw_lint_rules.deploy.dev_server_in_deploy import DEV_SERVERS
    from modelw_lint_rules.deploy.state_in_image import _env_pairs, is_secret_env
    from modelw_lint_rules.deploy.wsgi_only_server import ASGI_WORKER
    from modelw_lint_rules.facts.deploy import _after_keyword
    from modelw_lint_rules.facts.dependencies import pnpm_direct_versions
    from modelw_lint_rules.facts.settings import _DSM
    from modelw_lint_rules.facts.spec_formats import _LOCATION, is_reference
    from modelw_lint_rules.facts.text import key_line
    from modelw_lint_rules.routing.front_api_outside_back import ABSOLUTE_API
    from modelw_lint_rules.versions import specifier_sets

    from modelw_lint.lang.dockerfile import substitute
    from modelw_lint.report.formats.escape import printable
    from modelw_lint.lang.yamledit import _before_comment

    text = "".join(pieces) * repeat
    start = time.monotonic()
    key_line(text, "django")
    _env_pairs(text)
    is_secret_env(text)
    _after_keyword(text)
    pnpm_direct_versions(text)
    _before_comment(text)
    is_reference(text)
    substitute(text, {})
    printable(text)
    specifier_sets(text[:20000])
    for pattern in (_DSM, _LOCATION, ABSOLUTE_API, ASGI_WORKER):
        list(pattern.finditer(text))
    for pattern, _what in DEV_SERVERS:
        pattern.search(text)
    assert time.monotonic() - start < 5.0, (pieces, repeat)
