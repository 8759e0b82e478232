from types import SimpleNamespace

from support.evidence.cli import selection_text, took


def test_the_selection_is_named_as_it_was_given():
    cfg = SimpleNamespace(tags=["@negative"], name=["racing"], paths=["features/api"])
    assert selection_text(cfg) == "--tags @negative, --name 'racing', features/api"
    assert selection_text(SimpleNamespace(tags=None, name=None, paths=[])) == "the whole suite"


def test_took_reads_like_behaves_own_line():
    assert took(72.5) == "Took 1min 12.500s"
    assert took(0.25) == "Took 0min 0.250s"
