"""The suite's behave runner (pyproject.toml's [tool.behave] runner): the console's runner
(support/evidence/cli.py), which also provisions the run's database while behave imports the hooks
and the steps (support/harness/early_start.py)."""
from __future__ import annotations

from support.evidence.cli import SpecRunner
from support.harness import early_start
from support.harness.termination import cleanup_on_termination


class SuiteRunner(SpecRunner):
    def run_with_paths(self):
        with cleanup_on_termination():  # SIGTERM during the imports still drops the database
            early = None if self.config.dry_run else early_start.begin(self.config.userdata)
            try:
                return super().run_with_paths()
            finally:
                early_start.hand_back(early)  # dropped at once if the run never claimed it
