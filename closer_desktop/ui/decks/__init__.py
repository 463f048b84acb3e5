"""The deck manager: decks, their questions, what to practise."""
