"""The portal's process clock is the system's, read in one place; an application starts with it."""
import time

from portal import clock
from portal.app import create_app
from portal.config import Settings


def test_the_system_clock_reads_the_system_s_time_and_monotonic_clock():
    before_time, before_monotonic = time.time(), time.monotonic()
    read_time, read_monotonic = clock.SYSTEM.time(), clock.SYSTEM.monotonic()
    assert before_time <= read_time <= time.time()
    assert before_monotonic <= read_monotonic <= time.monotonic()


def test_an_application_reads_this_process_s_time_from_the_system_clock():
    app = create_app(Settings(database_url="postgresql://u@127.0.0.1:9/x"), warm_up_at_start=False)
    assert app.state.clock is clock.SYSTEM
