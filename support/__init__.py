"""The acceptance harness: everything the steps call to drive and observe the portal."""
