"""Widgets shared by several pages: the take player, waveform, transcript, ratings, feedback, level meter."""
