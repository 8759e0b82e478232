"""Share links: guests review cuts through expiring, revocable links without an account."""
