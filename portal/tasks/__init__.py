"""Named scheduled tasks: run by the worker on their schedule, or by a studio admin on demand."""
