"""Every deliberate defect of tools/rule_mutations.py must still apply to today's code: a mutation
whose patch no longer matches would silently stop proving that its scenarios can fail."""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("rule_mutations", ROOT / "tools" / "rule_mutations.py")
rule_mutations = importlib.util.module_from_spec(spec)
sys.modules["rule_mutations"] = rule_mutations  # dataclasses look their module up there
spec.loader.exec_module(rule_mutations)


@pytest.mark.parametrize("mutation", rule_mutations.MUTATIONS, ids=lambda m: m.id)
def test_the_mutation_still_applies_exactly_once(mutation):
    source = (ROOT / mutation.file).read_text()
    assert source.count(mutation.old) == 1, f"{mutation.id}: its patch no longer matches {mutation.file}"
    assert (ROOT / mutation.feature).exists(), f"{mutation.id}: {mutation.feature} does not exist"


def test_mutation_ids_are_unique():
    ids = [m.id for m in rule_mutations.MUTATIONS]
    assert len(ids) == len(set(ids))


def test_a_mutation_whose_name_selects_nothing_is_recognised_by_the_suites_own_words():
    from support.evidence.cli import NOTHING_SELECTED

    assert NOTHING_SELECTED.startswith(rule_mutations.NOTHING_SELECTED)
