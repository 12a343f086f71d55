"""The small parsers of the engine: Dockerfile, .env, YAML trees."""

from modelw_lint.lang import yamltree
from modelw_lint.lang.dockerfile import parse
from modelw_lint.project.files import parse_dotenv, parse_text


def test_dockerfile_instructions_lines_and_continuations():
    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM modelw/base:2026.07 AS base\n"
        "\n"
        "RUN apt-get update \\\n"
        "    # a comment inside\n"
        "    && apt-get install -y libpq5\n"
        'CMD ["modelw-docker", "serve"]\n'
        "ENV A=1 B=2\n"
    )
    ins = parse(text)
    assert [(i.keyword, i.line, i.end_line) for i in ins] == [("FROM", 2, 2), ("RUN", 4, 6), ("CMD", 7, 7), ("ENV", 8, 8)]
    assert ins[1].value == "apt-get update && apt-get install -y libpq5"
    assert ins[2].exec_form == ["modelw-docker", "serve"] and ins[2].command == "modelw-docker serve"
    assert ins[0].exec_form is None and ins[0].words() == ["modelw/base:2026.07", "AS", "base"]


def test_dockerfile_escape_directive():
    ins = parse("# escape=`\nRUN echo a `\n  b\n")
    assert ins[0].value == "echo a b" and ins[0].end_line == 3


def test_dotenv():
    entries = parse_dotenv('# c\nexport A=1\nB="two words"\nC=x # note\nnot a line\n')
    assert [(e.key, e.value, e.line) for e in entries] == [("A", "1", 2), ("B", "two words", 3), ("C", "x", 4)]


def test_dotenv_as_python_dotenv_reads_it():
    text = (
        'A="quoted" # a comment after the quotes\n'
        "CERT='-----BEGIN CERTIFICATE-----\n"
        "DATABASE_URL=sqlite:///inside/the/value\n"
        "-----END CERTIFICATE-----'\n"
        'ESCAPED="say \\"hi\\""\r\n'
        "EMPTY=\n"
        "NO_VALUE\n"
        "DATABASE_URL=postgres://db/app\n"
    )
    entries = [(e.key, e.value, e.line) for e in parse_dotenv(text)]
    assert entries == [
        ("A", "quoted", 1),
        ("CERT", "-----BEGIN CERTIFICATE-----\nDATABASE_URL=sqlite:///inside/the/value\n-----END CERTIFICATE-----", 2),
        ("ESCAPED", 'say "hi"', 5),
        ("EMPTY", "", 6),
        ("DATABASE_URL", "postgres://db/app", 8),
    ]


def test_a_multi_line_dotenv_value_is_not_read_as_settings(tmp_path, registry):
    from modelw_lint.config import Config
    from modelw_lint.engine.linter import Linter
    from modelw_lint.testing import write_files

    write_files(str(tmp_path), {
        "api/.env-template": "CERT='-----BEGIN-----\nDATABASE_URL=sqlite:///db.sqlite3\n-----END-----'\n"
            "DATABASE_URL=postgres://localhost/app\n",
    })
    found = Linter(str(tmp_path), Config(select=["MW907"]), registry).run().findings
    assert found == []


def test_yaml_tree_positions():
    [doc] = parse_text("yaml", "services:\n  api:\n    environment:\n      - A=1\n      - B\n  web:\n    environment:\n      C: x\n")
    api_env = yamltree.get(yamltree.get(yamltree.get(doc, "services"), "api"), "environment")
    assert [(yamltree.scalar(n), yamltree.line(n)) for n in yamltree.elements(api_env)] == [("A=1", 4), ("B", 5)]
    assert [(p, n.value, yamltree.line(n)) for p, n in yamltree.walk_scalars(doc) if p[1] == "web"] == [(
        ("services", "web", "environment", "C"),
        "x",
        8,
    )]


def test_yaml_is_loaded_safely(tmp_path):
    # Python tags are never constructed: composing keeps them as plain nodes.
    marker = tmp_path / "pwned"
    [doc] = parse_text("yaml", f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    node = yamltree.get(doc, "a")
    assert node.tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert [n.value for _p, n in yamltree.walk_scalars(doc)] == [f"touch {marker}"]
    assert not marker.exists()


def test_yaml_aliases_are_walked_once():
    # A "billion laughs": each level aliases the previous one nine times. Walking it costs
    # its size, and each scalar is met once, where its anchor defines it.
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    [doc] = parse_text("yaml", "\n".join(levels) + "\n")
    scalars = list(yamltree.walk_scalars(doc))
    assert len(scalars) == 9 and all(p[0] == "a" for p, _n in scalars)
