"""People: how they arrive (invitations) and, later, how their systems use the API (API keys)."""
