"""Each step text's definition is looked up once; every step still gets its own arguments."""
from types import SimpleNamespace

from behave.step_registry import StepRegistry

from support.harness.step_index import remember_matches


def step(step_type: str, name: str):
    return SimpleNamespace(step_type=step_type, name=name)


def registry_with_steps():
    registry = StepRegistry()
    registry.add_step_definition("given", "{who} has {count:d} projects", lambda context, who, count: None)
    registry.add_step_definition("given", "{who} signs in", lambda context, who: None)
    registry.add_step_definition("step", "the portal is {state}", lambda context, state: None)
    return registry


TEXTS = [step("given", "Theo has 3 projects"), step("given", "Ada has 12 projects"), step("given", "Theo signs in"),
         step("given", "the portal is up"), step("when", "the portal is down"), step("then", "nothing matches this"),
         step("given", "Theo has many projects")]


def described(match):
    return None if match is None else (match.func, [(a.name, a.value) for a in match.arguments])


def test_the_remembered_look_up_finds_what_behave_finds_each_time():
    plain, remembering = registry_with_steps(), registry_with_steps()
    remember_matches(remembering)
    for _ in range(2):  # the first look-up, then the remembered one
        for text in TEXTS:
            expected, found = plain.find_match(text), remembering.find_match(text)
            assert (expected is None) == (found is None), text
            if expected is not None:
                assert [(a.name, a.value) for a in found.arguments] == [(a.name, a.value) for a in expected.arguments]
                assert found.func.__code__ is expected.func.__code__  # the same definition


def test_each_step_gets_its_own_arguments():
    registry = registry_with_steps()
    remember_matches(registry)
    assert [a.value for a in registry.find_match(step("given", "Theo has 3 projects")).arguments] == ["Theo", 3]
    assert [a.value for a in registry.find_match(step("given", "Ada has 12 projects")).arguments] == ["Ada", 12]
    assert [a.value for a in registry.find_match(step("given", "Theo has 3 projects")).arguments] == ["Theo", 3]


def test_a_definition_added_later_is_found():
    registry = registry_with_steps()
    remember_matches(registry)
    assert registry.find_match(step("then", "Theo sees a cut")) is None
    registry.add_step_definition("then", "{who} sees a cut", lambda context, who: None)
    assert [a.value for a in registry.find_match(step("then", "Theo sees a cut")).arguments] == ["Theo"]


def test_a_patterns_fixed_words_are_the_text_between_its_fields():
    from support.harness.step_index import fixed_words

    assert fixed_words("{who} signs in as {role}") == ["", " signs in as ", ""]
    assert fixed_words("the portal is up") == ["the portal is up"]
    assert fixed_words('the body is {{"a": {n:d}}}') == ['the body is {"a": ', "}"]


def test_a_text_without_a_definitions_fixed_words_is_not_tried_against_it():
    registry = registry_with_steps()
    remember_matches(registry)
    tried = []
    for definition in registry.steps["given"]:
        original = definition.match
        definition.match = lambda text, original=original, d=definition: tried.append(d.pattern) or original(text)
    assert registry.find_match(step("given", "Theo signs in")) is not None
    assert tried == ["{who} signs in"]  # "{who} has {count:d} projects" was never tried: no " has ", no " projects"
