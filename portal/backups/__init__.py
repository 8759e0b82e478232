"""Backups of the portal's database, their manifest and record, and the restore drill."""
