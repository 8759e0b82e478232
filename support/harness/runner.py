"""The suite's behave runner (pyproject.toml's [tool.behave] runner): the console's runner
(support/evidence/cli.py), which also provisions the run's database while behave imports the hooks
and the steps (support/harness/early_start.py), and looks each step text's definition up once
(support/harness/step_index.py)."""
from __future__ import annotations

from behave.runner import the_step_registry

from support.evidence.cli import SpecRunner
from support.harness import early_start
from support.harness.step_index import remember_matches
from support.harness.termination import cleanup_on_termination


class SuiteRunner(SpecRunner):
    def run_with_paths(self):
        # the registry the runner matches steps in (behave's module attribute `registry` is replaced
        # by a fresh, unused one at start; the runner and the step decorators keep the original)
        remember_matches(self.step_registry or the_step_registry)
        with cleanup_on_termination():  # SIGTERM during the imports still drops the database
            early = None if self.config.dry_run else early_start.begin(self.config.userdata)
            try:
                return super().run_with_paths()
            finally:
                early_start.hand_back(early)  # dropped at once if the run never claimed it
