"""Persistence: the SQLite library of sessions and takes, and the audio files beside it."""
