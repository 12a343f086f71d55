"""Maintainers: what Model W's published wheels say each release is, as rows of releases.toml.

    python -m modelw_lint_rules.refresh               # the newest release on the index, and the table's supported ones
    python -m modelw_lint_rules.refresh 2027.01       # one release (its makers, preset and modelw-docker)
    python -m modelw_lint_rules.refresh --check       # exit 1 when releases.toml disagrees with the wheels

For each release it downloads (``pip download --no-deps``, cached beside the official
templates, see scripts/official_templates.py) the newest ``modelw-project-maker``,
``modelw-preset-django`` and ``modelw-docker`` of that release, and reads:

- the maker's template: the ``python`` constraint and the preset range of ``api/pyproject.toml``
  (its extras: the queue, django-ninja), the ``modelw/base`` tag of ``api/Dockerfile``, the front's
  framework, preset pin and Node (``engines.node`` or ``@types/node``, when the template pins one:
  ``.nvmrc`` is the developer's Node, not the image's) in ``front/``, and its package manager
  (``pnpm-workspace.yaml``/``pnpm-lock.yaml`` or ``package-lock.json``);
- the preset: Django's range, how it sets the default storage;
- modelw-docker: the server ``modelw-docker serve`` runs by default.

It never runs what it downloads: wheels are read as zip files. The rows are printed as TOML,
with what differs from releases.toml; ``fronts`` (what a project may still run),
``celery_optional`` and ``supported`` (the newest four releases) are judgements, printed as the table has them or as
the pattern implies.
"""

from __future__ import annotations

import argparse
import email.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from .releases import BASE_FROM

MAKER, PRESET, DOCKER = "modelw-project-maker", "modelw-preset-django", "modelw-docker"
TEMPLATE = "model_w/project_maker/template/"
# Fields the wheels decide; the others are judgements kept from the table.
DERIVED = ("maker", "python", "preset", "base_image", "front", "front_preset", "package_manager", "queue", "django", "api",
           "storage_settings", "node", "server")


class RefreshError(RuntimeError):
    pass


def cache_root() -> Path:
    """Where downloaded wheels and generated templates are kept (``MODELW_LINT_TEMPLATES_CACHE``)."""
    explicit = os.environ.get("MODELW_LINT_TEMPLATES_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modelw-lint" / "templates"


def _pip(*args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"], capture_output=True, text=True, timeout=timeout,
    )
    if result.returncode != 0:
        raise RefreshError(f"pip {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-2000:]}")
    return result.stdout


def download(name: str, version: str, python_version: str = "3.14") -> Path:
    """The wheel of ``name==version`` from the package index, cached. ``python_version`` is the
    Python the wheel must accept (Model W's wheels from 2026 on require 3.14)."""
    folder = cache_root() / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if found:
        return found[0]
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        _pip("download", "--no-deps", "--quiet", "-d", tmp, "--python-version", python_version, "--only-binary=:all:", f"{name}=={version}")
        wheels = sorted(Path(tmp).glob("*.whl"))
        if not wheels:
            raise RefreshError(f"pip downloaded no wheel for {name}=={version}")
        target = folder / wheels[0].name
        os.replace(wheels[0], target)
        return target


def index_versions(name: str, python_version: str = "3.14") -> list[Version]:
    """Every version of ``name`` the package index has for that Python (pre-releases included)."""
    out = _pip("index", "versions", name, "--pre", "--python-version", python_version, "--only-binary=:all:")
    m = re.search(r"Available versions:\s*(.+)", out)
    versions = []
    for text in (m.group(1).split(",") if m else []):
        try:
            versions.append(Version(text.strip()))
        except InvalidVersion:
            continue
    return sorted(versions)


def release_of_version(version: Version) -> str:
    return f"{version.release[0]}.{version.release[1]:02d}"


def newest_of(versions: list[Version], release: str) -> Version | None:
    """The newest final version of a release (YYYY.MM), else its newest pre-release."""
    mine = [v for v in versions if len(v.release) >= 2 and release_of_version(v) == release]
    finals = [v for v in mine if not v.is_prerelease]
    return max(finals or mine, default=None)


# -- reading wheels ---------------------------------------------------------------------------


def _metadata(zf: zipfile.ZipFile) -> email.message.Message:
    name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    return email.parser.Parser().parsestr(zf.read(name).decode("utf-8"))


def _read(zf: zipfile.ZipFile, path: str) -> str | None:
    try:
        return zf.read(path).decode("utf-8")
    except KeyError:
        return None


def _tilde(spec: str) -> str:
    """``>=6.1,<6.2`` -> ``~6.1`` (the form the table writes Django and Python in)."""
    m = re.search(r">=\s*(\d+)\.(\d+)", spec)
    return f"~{m.group(1)}.{m.group(2)}" if m else spec


def read_maker(wheel: Path) -> dict:
    """What the maker's template says of its release."""
    row: dict = {}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        pyproject = tomllib.loads(_read(zf, TEMPLATE + "api/pyproject.toml") or "")
        deps = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {})
        row["python"] = str(deps.get("python", ""))
        preset = deps.get("modelw-preset-django", {})
        preset = preset if isinstance(preset, dict) else {"version": str(preset)}
        row["preset"] = str(preset.get("version", ""))
        extras = [str(e) for e in preset.get("extras", [])]
        row["queue"] = "procrastinate" if "procrastinate" in extras else "celery"
        row["api"] = ["ninja", "drf"] if "ninja" in extras else ["drf"]
        docker = _read(zf, TEMPLATE + "api/Dockerfile") or ""
        m = BASE_FROM.search(docker)
        row["base_image"] = m.group(2) if m else ""
        package = json.loads(_read(zf, TEMPLATE + "front/package.json") or "{}")
        front_deps = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
        presets = sorted(n for n in front_deps if n.startswith("@model-w/preset-"))
        row["front_preset"] = [presets[0], front_deps[presets[0]]] if presets else ["", ""]
        if "@sveltejs/kit" in front_deps or "@model-w/preset-sveltekit" in front_deps:
            row["front"] = "sveltekit"
        elif "nuxt" in front_deps and re.match(r"[~^]?2\.", front_deps["nuxt"]):
            row["front"] = "nuxt2"
        else:
            row["front"] = "nuxt3" if "nuxt" in front_deps or "@model-w/preset-nuxt3" in front_deps else ""
        pnpm = {TEMPLATE + "front/pnpm-workspace.yaml", TEMPLATE + "front/pnpm-lock.yaml"} & names
        row["package_manager"] = "pnpm" if pnpm else "npm"
        node = _node(package)
        if node:
            row["node"] = node
    return row


def _node(package: dict) -> str:
    """The Node major the front builds with, when it pins one (``engines.node``, ``@types/node``)."""
    for spec in (package.get("engines", {}).get("node"), package.get("devDependencies", {}).get("@types/node")):
        m = re.match(r"[~^>=\s]*(\d+)", spec or "")
        if m:
            return m.group(1)
    return ""


def read_preset(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        meta = _metadata(zf)
        code = _read(zf, "model_w/preset/django/__init__.py") or ""
    requires = meta.get_all("Requires-Dist") or []
    django = next((r for r in requires if re.match(r"django(\[[^\]]*\])?\s*[(<>=~ ]", r, re.I)), "")
    spec = re.sub(r"^django(\[[^\]]*\])?\s*", "", django, flags=re.I).strip("() ").split(";")[0].strip(" )")
    return {
        "django": _tilde(spec),
        "storage_settings": "STORAGES" if re.search(r"""yield\s+["']STORAGES["']""", code) else "DEFAULT_FILE_STORAGE",
        "requires_python": meta.get("Requires-Python", ""),
    }


def read_docker(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        config = _read(zf, "model_w/docker/config.py") or ""
    return {"server": "granian" if re.search(r"""server\s*=\s*["']granian["']""", config) else "gunicorn"}


# -- rows --------------------------------------------------------------------------------------


@dataclass
class Row:
    release: str
    values: dict
    sources: list[str]


def _python_for(python: str) -> str:
    m = re.search(r"(\d+)\.(\d+)", python)
    return f"{m.group(1)}.{m.group(2)}" if m else "3.14"


def row_for(release: str, makers: list[Version] | None = None) -> Row:
    """The row the wheels of ``release`` (YYYY.MM) imply."""
    makers = makers if makers is not None else index_versions(MAKER)
    maker = newest_of(makers, release)
    if maker is None:
        raise RefreshError(f"no {MAKER} for {release} on the package index")
    wheel = download(MAKER, str(maker))
    values = {"maker": str(maker), **read_maker(wheel)}
    python = _python_for(values["python"])
    sources = [wheel.name]
    for name, reader in ((PRESET, read_preset), (DOCKER, read_docker)):
        version = newest_of(index_versions(name, python), release)
        if version is None:
            continue
        found = download(name, str(version), python)
        sources.append(found.name)
        values.update({k: v for k, v in reader(found).items() if k != "requires_python"})
    return Row(release, values, sources)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def render(row: Row, table: dict) -> str:
    """A releases.toml table for the row (judgements from the table, or its newest release's)."""
    known = table.get(row.release)
    newest = list(table.values())[-1] if table else {}
    lines = [f'[releases."{row.release}"]']
    for key in DERIVED:
        if key in row.values:
            lines.append(f"{key} = {_toml_value(row.values[key])}")
    for key in ("fronts", "celery_optional", "supported"):
        value = (known or {}).get(key, newest.get(key) if known is None else None)
        if value is not None:
            note = "" if known else "  # as the newest release of the table: check"
            lines.append(f"{key} = {_toml_value(value)}{note}")
    return "\n".join(lines)


def differences(row: Row, table: dict) -> list[str]:
    """What releases.toml says otherwise for the fields the wheels decide."""
    known = table.get(row.release)
    if known is None:
        return [f"{row.release} is not in releases.toml"]
    out = []
    for key in DERIVED:
        if key not in row.values:
            continue
        mine, theirs = known.get(key), row.values[key]
        if isinstance(theirs, list):
            mine = list(mine or [])
        if mine != theirs:
            out.append(f"{row.release} {key}: releases.toml has {_toml_value(mine)}, the wheels say {_toml_value(theirs)}")
    return out


def load_table() -> dict:
    from importlib import resources

    text = resources.files(__package__).joinpath("releases.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["releases"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modelw_lint_rules.refresh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("releases", nargs="*", help="releases (YYYY.MM); default: the table's supported ones and any newer")
    parser.add_argument("--check", action="store_true", help="exit 1 when releases.toml disagrees with the wheels")
    args = parser.parse_args(argv)
    table = load_table()
    try:
        makers = index_versions(MAKER)
        names = list(args.releases)
        if not names:
            newest_known = max(table)
            newer = sorted({release_of_version(v) for v in makers if release_of_version(v) > newest_known})
            names = [n for n, r in table.items() if r.get("supported")] + newer
        problems = []
        for name in names:
            row = row_for(name, makers)
            print(f"# from {', '.join(row.sources)}")
            print(render(row, table) + "\n")
            problems += differences(row, table)
    except RefreshError as exc:
        print(f"refresh: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(f"# differs: {line}", file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
