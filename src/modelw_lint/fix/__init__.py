"""Fixes: applying edits, the verified fix loop, suppression comments added on demand."""
