"""Whole-library files in and out, no Qt: backup and restore archives (bounded, validated), the JSON export, moving a library."""
