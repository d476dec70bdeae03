"""The inspector and the report over a run's output folder."""
