"""Delivery feedback: objective measures of a take (pauses, loudness, pitch, pace, fillers).

No Qt, and nothing heavy at import: numpy only. Praat (pitch) and Whisper (transcript) are
imported when first used, so the GUI can import this package at start-up for free.
"""

# `closer analysis-worker`: the command line that starts the app's analysis process (process.py
# starts it, worker.py is its side, cli.py dispatches it). Not for people.
WORKER_COMMAND = "analysis-worker"
