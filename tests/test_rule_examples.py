"""Every rule's examples are tests: the firing ones must fire, the silent ones stay silent,
and an example with a ``fixed`` expectation must fix to exactly that, once."""

import pytest

from modelw_lint.engine.packs import Registry, load_packs
from modelw_lint.testing import check_example, example_ids, iter_examples

_REGISTRY = Registry(load_packs())
CASES = list(iter_examples(_REGISTRY))


@pytest.mark.parametrize("rule,example,must_fire,index", CASES, ids=example_ids(CASES))
def test_example(rule, example, must_fire, index, tmp_path):
    check_example(_REGISTRY, rule, example, str(tmp_path), must_fire)


@pytest.mark.parametrize("rule", _REGISTRY.sorted_rules(), ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule):
    assert rule.metadata_problems() == []


def test_every_family_is_declared_by_its_pack():
    declared = {f.name for pack in _REGISTRY.packs for f in pack.families} | {"engine"}
    assert {r.family for r in _REGISTRY.sorted_rules()} <= declared


def test_codes_match_their_familys_prefix():
    prefixes = {f.name: f.prefix for f in _REGISTRY.families()}
    wrong = [r.code for r in _REGISTRY.sorted_rules() if not r.code.startswith(prefixes[r.family])]
    assert wrong == []
    assert len(set(prefixes.values())) == len(prefixes), "one prefix per family"


def test_one_rule_per_module():
    modules = [r.__module__ for r in _REGISTRY.checking_rules()]
    assert len(modules) == len(set(modules))


def test_repo_rules_declare_what_they_read():
    # Hook mode runs a repository rule only when a changed file matches what it reads.
    from modelw_lint.core.rule import RepoRule

    missing = [r.code for r in _REGISTRY.checking_rules() if issubclass(r, RepoRule) and not r.reads]
    assert missing == []


def _fact_types():
    import inspect

    out = {}
    for name, func in _REGISTRY.facts.items():
        ann = inspect.signature(func).return_annotation
        out[name] = None if ann is inspect.Signature.empty else (ann if isinstance(ann, str) else getattr(ann, "__name__", repr(ann)))
    return out


def test_facts_say_what_they_return():
    assert [name for name, ann in _fact_types().items() if ann is None] == []


def test_injected_parameters_carry_the_types_of_their_facts():
    """A reader of `check_file(self, file, preset_blocks: dict[str, PresetBlock])` learns what
    arrives without opening the facts; the annotation must be the fact's own return type."""
    import inspect

    from modelw_lint.core.rule import FileRule, injected_parameters

    types = _fact_types()
    wrong = []
    functions = [(f"fact {n}", f) for n, f in _REGISTRY.facts.items()]
    functions += [(r.code, r.check_file if issubclass(r, FileRule) else r.check) for r in _REGISTRY.checking_rules()]
    for owner, func in functions:
        sig = inspect.signature(func)
        for name in injected_parameters(func):
            ann = sig.parameters[name].annotation
            ann = None if ann is inspect.Parameter.empty else (ann if isinstance(ann, str) else getattr(ann, "__name__", repr(ann)))
            if ann != types.get(name):
                wrong.append(f"{owner}: {name}: {ann} (the fact returns {types.get(name)})")
    assert wrong == []


def test_an_example_that_states_the_wrong_line_or_message_fails(tmp_path):
    import dataclasses

    rule = _REGISTRY.lookup("MW201")
    example = rule.fires[0]
    assert (example.line, example.message) == (6, "literal SECRET_KEY in settings")
    check_example(_REGISTRY, rule, example, str(tmp_path / "as-stated"), True)
    with pytest.raises(AssertionError, match="expected MW201 on line 7"):
        check_example(_REGISTRY, rule, dataclasses.replace(example, line=7), str(tmp_path / "line"), True)
    with pytest.raises(AssertionError, match="saying 'DEBUG'"):
        check_example(_REGISTRY, rule, dataclasses.replace(example, message="DEBUG"), str(tmp_path / "message"), True)


def test_a_silent_example_cannot_state_a_finding():
    from modelw_lint import Example

    rule = _REGISTRY.lookup("MW201")
    broken = type("Broken", (rule,), {"silent": [Example.repo({"a.py": "x = 1\n"}, message="literal")]})
    assert "a silent example states a line or message (only firing examples report one)" in broken.metadata_problems()


def test_example_ids_come_from_notes():
    from modelw_lint.testing import example_ids

    ids = example_ids(CASES)
    assert "MW201-fires-inside-the-preset-block-the-fix-deletes-it" in ids
    assert len(set(ids)) == len(ids)
