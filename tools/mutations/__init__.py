"""The deliberate defects of tools/rule_mutations.py, one module per domain of the portal."""
