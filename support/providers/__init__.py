"""Fakes of the providers the portal calls, speaking their real wire formats (shared PROVIDERS.md)."""
