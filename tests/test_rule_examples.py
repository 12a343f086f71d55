"""Every rule's examples are tests: the firing ones must fire, the silent ones stay silent,
and an example with a ``fixed`` expectation must fix to exactly that, once."""

import pytest

from modelw_lint.packs import Registry, load_packs
from modelw_lint.testing import check_example, iter_examples

_REGISTRY = Registry(load_packs())
CASES = list(iter_examples(_REGISTRY))


@pytest.mark.parametrize(
    "rule,example,must_fire,index",
    CASES,
    ids=[f"{r.code}-{'fires' if fire else 'silent'}-{i}" for r, _, fire, i in CASES],
)
def test_example(rule, example, must_fire, index, tmp_path):
    check_example(_REGISTRY, rule, example, str(tmp_path), must_fire)


@pytest.mark.parametrize("rule", _REGISTRY.sorted_rules(), ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule):
    assert rule.metadata_problems() == []


def test_every_family_is_known():
    families = {r.family for r in _REGISTRY.sorted_rules()}
    assert families <= {"engine", "layout", "settings", "queue", "storage", "sentry", "messaging", "routing", "deploy", "stack"}


def test_codes_match_families():
    prefixes = {
        "engine": "MW0", "layout": "MW1", "settings": "MW2", "queue": "MW3", "storage": "MW4", "sentry": "MW5",
        "messaging": "MW6", "routing": "MW7", "deploy": "MW8", "stack": "MW9",
    }
    for rule in _REGISTRY.sorted_rules():
        if rule.family in prefixes:
            assert rule.code.startswith(prefixes[rule.family]), rule.code


def test_one_rule_per_module():
    modules = [r.__module__ for r in _REGISTRY.checking_rules()]
    assert len(modules) == len(set(modules))


def test_repo_rules_declare_what_they_read():
    # Hook mode runs a repository rule only when a changed file matches what it reads.
    from modelw_lint.rule import RepoRule

    missing = [r.code for r in _REGISTRY.checking_rules() if issubclass(r, RepoRule) and not r.reads]
    assert missing == []
