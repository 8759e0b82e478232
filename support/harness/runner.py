"""The suite's behave runner (pyproject.toml's [tool.behave] runner): the console's runner
(support/evidence/cli.py), which also provisions the run's database while behave imports the hooks
and the steps (support/harness/early_start.py), and looks each step text's definition up once
(support/harness/step_index.py)."""
from __future__ import annotations

import gc

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
            gc.disable()  # until the steps are loaded (load_step_definitions)
            try:
                return super().run_with_paths()
            finally:
                gc.enable()  # also when the hooks or the steps failed to load
                early_start.hand_back(early)  # dropped at once if the run never claimed it

    def load_step_definitions(self, extra_step_paths=None):
        """Importing the hooks, the harness, the portal and the steps makes some hundred thousand
        objects that live as long as the run, and the cyclic garbage collector went through them
        over 300 times meanwhile: 0.2-0.35 s of the 1.3-1.6 s the imports took. It is off while
        they load; then what they made is frozen (kept out of every later collection, whose full
        passes would otherwise go through all of it again) and collection starts as usual."""
        try:
            return super().load_step_definitions(extra_step_paths)
        finally:
            gc.freeze()
            gc.enable()
