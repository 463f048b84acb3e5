"""History (every take, filtered and grouped) and Compare."""
