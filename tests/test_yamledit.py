"""YAML edits for fixes: only the edited node changes; comments, anchors, key order, quotes
and indentation elsewhere stay byte for byte (the edits are splices at the places ruamel.yaml's
round-trip reader gives), and the result still reads as the intended document."""

from __future__ import annotations

import yaml

from modelw_lint.lang.yamledit import YamlDoc

# Shaped like the template's snow.yml, with a team's own comments and an anchor.
SNOW = """\
# Deployment of acme on Snow (see the wiki)
version: 1
x-env: &env
  DJANGO_SETTINGS_MODULE: acme.django.settings  # keep in sync with manage.py
  REDIS_URL: "redis://cache:6379"

components:
  - name: api
    image: acme-api
    env:
      <<: *env
      CELERY_BROKER_URL: 'amqp://guest@mq//'   # legacy broker
      SENTRY_ENVIRONMENT: production
    route_prefixes: [/back, /admin]

  # The queue, until we move to Redis.
  - name: mq
    image: rabbitmq:3-management
    ports:
      - 5672

  - name: front
    image: acme-front
    command: node build
"""

COMPOSE = """\
services:
  api:
    build: ./api
    depends_on:
      - db
      - mq   # broker
    command: ["modelw-docker", "serve"]

  mq:
    image: "rabbitmq:3"

  db:
    image: postgres:16
    depends_on: {mq: {condition: service_started}, cache: {condition: service_started}}
"""


def apply(text, *edits):
    for e in sorted((e for e in edits), key=lambda e: -e.start):
        assert e is not None
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


def outside_unchanged(old, new, edits):
    """Every byte before the first edit and after the last one is the same."""
    first = min(e.start for e in edits)
    last = max(e.end for e in edits)
    assert new[:first] == old[:first]
    assert new[len(new) - (len(old) - last):] == old[last:]


def test_deleting_a_list_item_keeps_comments_and_anchors():
    doc = YamlDoc("snow.yml", SNOW)
    edit = doc.delete(("components", 1))
    new = apply(SNOW, edit)
    outside_unchanged(SNOW, new, [edit])
    assert "# The queue" not in new and "rabbitmq" not in new
    assert "# Deployment of acme on Snow" in new and "# keep in sync with manage.py" in new and "&env" in new
    assert "  - name: api" in new and "\n\n  - name: front" in new  # one blank line between, as before
    data = yaml.safe_load(new)
    assert [c["name"] for c in data["components"]] == ["api", "front"]
    assert data["components"][0]["env"]["REDIS_URL"] == "redis://cache:6379"  # the merge still works


def test_replacing_and_renaming_a_value_keeps_its_quotes_and_comment():
    doc = YamlDoc("snow.yml", SNOW)
    edit = doc.replace_entry(("components", 0, "env", "CELERY_BROKER_URL"), "REDIS_URL", "redis://cache:6379")
    new = apply(SNOW, edit)
    outside_unchanged(SNOW, new, [edit])
    assert "      REDIS_URL: 'redis://cache:6379'   # legacy broker\n" in new
    for value in ('node "build"', "echo a: b # not a comment", "- x", "'quoted'", "  padded "):
        edit = YamlDoc("snow.yml", SNOW).replace_scalar(("components", 2, "command"), value)
        assert yaml.safe_load(apply(SNOW, edit))["components"][2]["command"] == value, "quoted when it needs to be"


def test_deleting_a_service_and_what_depends_on_it():
    doc = YamlDoc("docker-compose.yml", COMPOSE)
    edits = [
        doc.delete(("services", "mq")),
        doc.delete(("services", "api", "depends_on", 1)),
        doc.delete(("services", "db", "depends_on", "mq")),
    ]
    assert edits[2] is None, "a flow mapping is not edited in place: no fix rather than a rewrite"
    new = apply(COMPOSE, *edits[:2])
    assert yaml.safe_load(new)["services"]["api"]["depends_on"] == ["db"]
    assert "mq:" not in new.split("db:")[0]
    assert '    command: ["modelw-docker", "serve"]\n\n  db:\n' in new


def test_flow_sequence_items():
    doc = YamlDoc("snow.yml", SNOW)
    for index, expected in ((0, "[/admin]"), (1, "[/back]")):
        new = apply(SNOW, doc.delete(("components", 0, "route_prefixes", index)))
        assert f"route_prefixes: {expected}\n" in new


def test_what_cannot_be_edited_in_place_gives_no_edit():
    anchored = YamlDoc("snow.yml", SNOW)
    assert anchored.delete(("x-env",)) is None, "its anchor is used elsewhere"
    folded = YamlDoc("c.yml", "a:\n  b: >\n    one\n    two\n  c: plain\n")
    assert folded.replace_scalar(("a", "b"), "x") is None
    multi = YamlDoc("c.yml", "a:\n  b: one\n    two\n")
    assert multi.replace_scalar(("a", "b"), "x") is None
    assert folded.delete(("missing",)) is None


def test_crlf_files_keep_their_line_endings():
    text = COMPOSE.replace("\n", "\r\n")
    doc = YamlDoc("docker-compose.yml", text)
    new = apply(text, doc.delete(("services", "mq")))
    assert "\n" not in new.replace("\r\n", "")
    assert yaml.safe_load(new)["services"].keys() == {"api", "db"}
