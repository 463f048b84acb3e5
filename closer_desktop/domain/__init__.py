"""The practice domain: decks, questions, takes and ratings. Knows nothing of Qt, audio or SQL."""
