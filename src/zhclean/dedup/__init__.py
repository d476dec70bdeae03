"""Deduplication on repaired Simplified text: exact copies, near-duplicates (MinHash over
character 5-grams with LSH banding), and one canonical copy per cluster."""
