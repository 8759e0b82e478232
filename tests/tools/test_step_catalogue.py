"""docs/steps.md is generated from the steps, parameter types and features: it must match them."""
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("step_catalogue", ROOT / "tools" / "step_catalogue.py")
step_catalogue = importlib.util.module_from_spec(spec)
sys.modules["step_catalogue"] = step_catalogue  # dataclasses look their module up there
spec.loader.exec_module(step_catalogue)


def test_the_step_catalogue_is_up_to_date():
    # in a process of its own: loading the steps registers them in behave's global registry
    result = subprocess.run([sys.executable, "tools/step_catalogue.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + "\n(regenerate it: ./dev python tools/step_catalogue.py)"


def test_a_patterns_parameters_are_named_with_their_types():
    found = step_catalogue.FIELD.findall('{who:persona} shares "{title:q}" for {duration:duration} with {anything}')
    assert found == [("who", "persona"), ("title", "q"), ("duration", "duration"), ("anything", "")]
