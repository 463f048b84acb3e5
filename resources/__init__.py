"""Data files shipped with Closer: question decks, icons and styles (installed as package data)."""
