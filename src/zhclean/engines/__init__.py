"""Engines run the same steps over shards: ``local`` (a process pool) for now."""
