"""The practice page and the session summary."""
