"""Article metadata found in blocks: dates, bylines, tags."""
