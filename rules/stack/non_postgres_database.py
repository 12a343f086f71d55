from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang import yamltree
from modelw_lint.lang.pyast import NOT_LITERAL, assigned_names, dict_items, literal, subscript_path

from .._examples import settings, with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock

POSTGRES_SCHEMES = ("postgres", "postgresql", "postgis", "pgsql", "psql")
BAD_ENGINES = ("sqlite3", "mysql", "oracle", "spatialite")


def _scheme(url: str) -> str | None:
    m = re.match(r"^\s*([A-Za-z][\w+.-]*)://", url)
    return m.group(1).lower() if m else None


class NonPostgresDatabase(FileRule):
    """
    ## What it does
    Reports a database other than PostgreSQL: a `DATABASE_URL` whose scheme is not
    `postgres://`, `postgresql://` or `postgis://` in `.env` files, compose files and deploy
    specs, and a settings `ENGINE` set to SQLite, MySQL or Oracle.

    ## Why it matters
    The preset forces `psqlextra.backend` (django-postgres-extra) on `DATABASE_URL`: a
    SQLite or MySQL URL fails at start-up, and an `ENGINE` override silently gives up what
    the project relies on (JSON queries, PostGIS, transactional DDL, Procrastinate's queue).

    ## Example
    ```
    DATABASE_URL=sqlite:///db.sqlite3
    ```

    ## Use instead
    ```
    DATABASE_URL=postgres://acme:acme@localhost/acme
    ```

    ## Fix safety
    No fix: the database URL differs in every environment, and moving data to PostgreSQL is a
    migration, not an edit.

    ## References
    - Model W architecture, "Structured data — PostgreSQL"
    - model-w-reference §2.2 (DB), §3i (MW-I03)
    """

    code = "MW907"
    name = "non-postgres-database"
    family = "stack"
    severity = Severity.ERROR
    kinds = ("dotenv", "yaml", "python")
    needles = ("DATABASE_URL", "ENGINE")
    scope = "config_and_settings"

    fires = [
        Example.repo(
            with_files({"api/.env-template": "DATABASE_URL=sqlite:///db.sqlite3\n"}),
            note="SQLite in .env-template",
            line=1,
            message="DATABASE_URL uses sqlite://",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  api:\n    environment:\n      - DATABASE_URL=mysql://acme@db/acme\n"}),
            note="MySQL in compose",
        ),
        Example.repo(settings('DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"'), note="an ENGINE override"),
        Example.repo(
            settings('DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "acme"}}', preset=False),
            note="plain Django on MySQL",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="postgres:// in .env-template"),
        Example.repo(with_files({"api/.env.test": "DATABASE_URL=postgis://acme:acme@postgres/acme\n"}), note="PostGIS"),
        Example.repo(
            {**settings("X = 1"), "api/pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.settings_test\n",
             "api/acme/django/settings_test.py": 'from .settings import *\nDATABASES = {"default": {"ENGINE": '
                 '"django.db.backends.sqlite3"}}\n'},
            note="SQLite in test settings",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock]):
        if file.kind == "dotenv":
            for e in file.parsed:
                if e.key == "DATABASE_URL":
                    yield from self._url(file.path, e.value, e.line)
            return
        if file.kind == "yaml":
            for doc in file.parsed:
                for path, node in yamltree.walk_scalars(doc):
                    key = str(path[-1]) if path else ""
                    text = str(node.value)
                    if key != "DATABASE_URL" and text.startswith("DATABASE_URL="):
                        key, text = "DATABASE_URL", text.split("=", 1)[1]
                    if key == "DATABASE_URL":
                        yield from self._url(file.path, text, yamltree.line(node))
            return
        if file.tree is None:
            return
        for st in statements(file.tree, preset_blocks.get(file.path)):
            if not st.production:
                continue  # `if "test" in sys.argv:` SQLite for tests, or a development branch
            for name, value in assigned_names(st.stmt):
                if name == "DATABASES" and isinstance(value, ast.Dict):
                    for keys, engine in dict_items(value):
                        if len(keys) == 2 and keys[1] == "ENGINE":
                            yield from self._engine(file, engine)
            if isinstance(st.stmt, ast.Assign):
                for target in st.stmt.targets:
                    sub = subscript_path(target)
                    if sub and sub[0] == "DATABASES" and sub[1][-1:] == ["ENGINE"]:
                        yield from self._engine(file, st.stmt.value)

    def _url(self, path, url, line):
        scheme = _scheme(url)
        if scheme and scheme.split("+")[0] not in POSTGRES_SCHEMES:
            yield self.finding(path, f"DATABASE_URL uses {scheme}://: Model W runs on PostgreSQL (the preset forces psqlextra)", line)

    def _engine(self, file, node):
        engine = literal(node)
        if engine is not NOT_LITERAL and isinstance(engine, str) and engine.rsplit(".", 1)[-1] in BAD_ENGINES:
            yield self.finding_at_node(file, node, f"ENGINE {engine}: Model W runs on PostgreSQL (DATABASE_URL, psqlextra)")
