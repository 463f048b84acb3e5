"""Menu actions that work on the whole library: backup, restore, export, reports."""
