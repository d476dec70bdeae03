"""Engines map the job's ``run_shard`` over its shards (``job/run.py``'s ``Engine``):
``local``, a process pool on this machine."""
