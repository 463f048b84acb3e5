"""Progress: ratings over time, the practice calendar, what needs work."""
