"""Dialogs: settings, about, and waiting for a library another process holds."""
